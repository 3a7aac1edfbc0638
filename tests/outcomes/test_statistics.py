"""The programme's statistics against values computed by hand."""

import pytest

from tisser.outcomes.statistics import paired_change, terciles


def test_a_paired_change_and_its_confidence_interval():
    # Differences −10, −15, 0, −20, −5: mean −10; s² = (0 + 25 + 100 + 100 + 25) / 4 = 62.5;
    # s / √5 = 3.5355; t(0.975, 4) = 2.7764 → half-width 9.8162.
    change = paired_change([(60, 50), (70, 55), (50, 50), (80, 60), (65, 60)], margin=10)

    assert change is not None
    assert (change.people, change.before, change.after, change.change) == (5, 65.0, 55.0, -10.0)
    assert change.low == pytest.approx(-19.8162, abs=1e-4)
    assert change.high == pytest.approx(-0.1838, abs=1e-4)
    # −10, −15, −20 fall by 10 or more; 0 and −5 do not; nobody rose by 10.
    assert (change.improved, change.stable, change.worse) == (3, 2, 0)


def test_a_rise_by_the_margin_is_a_worsening_and_one_person_has_no_interval():
    change = paired_change([(40, 52)], margin=10)

    assert change is not None
    assert (change.change, change.low, change.high) == (12.0, None, None)
    assert (change.improved, change.stable, change.worse) == (0, 0, 1)
    assert paired_change([], margin=10) is None


def test_identical_changes_have_an_interval_of_zero_width():
    change = paired_change([(50, 40)] * 6, margin=10)

    assert change is not None
    assert change.low == change.high == change.change == -10.0


def test_terciles_split_by_the_key_in_nearly_equal_thirds():
    lower, middle, upper = terciles([5, 1, 9, 3, 7, 2, 8, 4, 6, 0], key=lambda value: value)

    assert (lower, middle, upper) == ([0, 1, 2], [3, 4, 5, 6], [7, 8, 9])
    assert terciles([], key=lambda value: value) == ([], [], [])
