"""The small-numbers rule (tisser.core.small_numbers): withheld below five people, never
defeated by subtracting two published figures, and a part hidden when it or the rest is
small."""

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tisser.core.small_numbers import (
    MIN_PEOPLE,
    WITHHELD,
    breakdown_shown,
    counts_of,
    followed_rate,
    marked,
    mean_of,
    part_of,
    ratio_of,
)


def one_each(values):
    return [(person, value) for person, value in enumerate(values)]


@pytest.mark.parametrize("people", [0, 1, 4])
def test_a_mean_of_fewer_than_five_people_is_withheld_and_says_why(people):
    figure = mean_of(one_each([50.0] * people))

    assert figure.value is None and not figure.shown
    assert figure.count == people and figure.people == people
    assert figure.text == str(WITHHELD)
    assert "moins de 5 personnes" in figure.text


def test_the_difference_of_two_readings_never_gives_one_persons_score():
    # The finding: 49.0 over 5 people, then 50.5 over 6: 6 × 50.5 − 5 × 49.0 = 58.0.
    first_five = [40.0, 45.0, 50.0, 50.0, 60.0]
    before = mean_of(one_each(first_five))
    after = mean_of(one_each([*first_five, 58.0]))

    assert (before.value, before.over) == (49.0, 5)
    assert (after.value, after.over) == (before.value, before.over)
    assert after.count == 6
    assert after.over * after.value - before.over * before.value != 58.0


def test_a_second_answer_of_someone_already_counted_waits_for_five_newcomers():
    answers = one_each([10.0, 20.0, 30.0, 40.0, 50.0])
    again = [*answers, (0, 90.0)]  # the first person answers again

    assert mean_of(again) == mean_of(answers)
    then = mean_of([*again, *((person, 30.0) for person in range(5, 10))])
    assert then.over == 10 and then.value == pytest.approx((150 + 90 + 150) / 11)


@settings(deadline=None)  # a shared, loaded machine must not fail it on time
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 100)), max_size=40))
def test_any_two_readings_are_the_same_or_differ_by_at_least_five_people(answers):
    # Every reading of the page as answers arrive, one at a time.
    readings = [mean_of(answers[:end]) for end in range(len(answers) + 1)]
    shown = [figure for figure in readings if figure.shown]

    for earlier, later in pairwise(shown):
        assert later.over % MIN_PEOPLE == 0
        assert (later.value, later.over) == (earlier.value, earlier.over) or (
            later.over - earlier.over >= MIN_PEOPLE
        )


def test_a_rate_counts_people_not_answers():
    one_person_many = [(1, 1.0, 1.0)] * 9
    assert ratio_of(one_person_many).value is None

    five = [(person, 0.5, 1.0) for person in range(5)]
    figure = ratio_of([*five, (9, 0.0, 1.0)])
    assert figure.value == 0.5 and figure.over == 5 and figure.count == 6


@pytest.mark.parametrize(
    ("part", "total", "shown"),
    [(4, 20, None), (5, 9, None), (5, 10, 5), (16, 20, None), (15, 20, 15), (0, 3, None)],
)
def test_a_part_is_hidden_when_it_or_the_rest_is_small(part, total, shown):
    assert part_of(part, total) == shown


@pytest.mark.parametrize(
    ("people", "part", "whole", "shown"),
    [(4, 3.0, 4.0, None), (5, 0.0, 0.0, None), (5, 3.0, 4.0, 80), (6, 7.5, 10.0, 80)],
)
def test_a_rate_fed_by_the_same_people_needs_five_and_is_rounded_to_ten(people, part, whole, shown):
    assert followed_rate(people=people, part=part, whole=whole) == shown


# --- Populations, breakdowns and distributions (issue #17) -----------------------------------


@pytest.mark.parametrize(("people", "kept"), [(0, 0), (4, 0), (5, 5), (9, 5), (10, 10), (14, 10)])
def test_a_population_is_read_up_to_its_last_mark_of_five(people, kept):
    assert marked(list(range(people))) == list(range(kept))


def test_a_breakdown_is_shown_whole_or_not_at_all():
    assert breakdown_shown([5, 5, 7])
    assert not breakdown_shown([5, 4, 7])
    assert not breakdown_shown([12, 0])
    assert not breakdown_shown([])
    # Beside a total of the same population: its very people, or five apart at least.
    assert breakdown_shown([5, 5], apart=0)
    assert not breakdown_shown([5, 5], apart=2)
    assert breakdown_shown([5, 5], apart=5)


def test_a_distribution_hides_small_counts_and_what_would_give_them_back():
    # 3 worse: hidden; alone it would be 20 − 10 − 7, so the next smallest (7) goes too.
    assert counts_of({"better": 10, "same": 7, "worse": 3}) == {
        "better": 10,
        "same": None,
        "worse": None,
    }
    # Hidden counts that already add up to five people stay the only ones hidden.
    assert counts_of({"better": 10, "same": 2, "worse": 3, "much": 9}) == {
        "better": 10,
        "same": None,
        "worse": None,
        "much": 9,
    }
    # As `part_of`: everybody in one category says everyone's answer; nobody is hidden too.
    assert counts_of({"better": 8, "same": 0, "worse": 0}) == {
        "better": None,
        "same": None,
        "worse": None,
    }
    assert counts_of({"better": 12, "same": 6, "worse": 0}) == {
        "better": 12,
        "same": 6,
        "worse": None,
    }


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from("abcde"), st.integers(0, 30), min_size=1))
def test_no_hidden_count_can_be_had_from_the_total_and_the_others(counts):
    shown = counts_of(counts)
    hidden = [key for key, value in shown.items() if value is None]
    hidden_total = sum(counts[key] for key in hidden)
    # What is hidden adds up to nothing or to at least five people, unless nothing is shown…
    assert hidden_total == 0 or hidden_total >= MIN_PEOPLE or not any(shown.values())
    # …and every count shown is at least five, with a rest of at least five.
    total = sum(counts.values())
    for value in shown.values():
        if value is not None:
            assert value >= MIN_PEOPLE and total - value >= MIN_PEOPLE
