"""The isolation questionnaire as data, and its pure scoring function."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisser.assessments import isolation
from tisser.assessments.isolation import Band

ALL_ITEMS = [item.id for item in isolation.ITEMS]


def answering(value_for) -> dict[str, int]:
    return {item.id: value_for(item) for item in isolation.ITEMS}


def test_the_questionnaire_has_five_dimensions_of_three_or_four_items():
    assert [d.id for d in isolation.DIMENSIONS] == [
        "remote",
        "culture",
        "workload",
        "management",
        "felt",
    ]
    for dimension in isolation.DIMENSIONS:
        assert 3 <= len(dimension.items) <= 4
        assert any(item.reverse for item in dimension.items)
        assert set(dimension.readings) == set(Band)
    assert len(ALL_ITEMS) == len(set(ALL_ITEMS))
    assert set(isolation.OVERALL_READINGS) == set(Band)


def test_agreeing_with_every_risk_and_disagreeing_with_every_protection_scores_100():
    answers = answering(lambda item: 1 if item.reverse else 5)

    scores = isolation.score(answers)

    assert scores == {**dict.fromkeys(isolation.DIMENSION_IDS, 100), "overall": 100}


def test_the_opposite_scores_0():
    answers = answering(lambda item: 5 if item.reverse else 1)

    scores = isolation.score(answers)

    assert scores == {**dict.fromkeys(isolation.DIMENSION_IDS, 0), "overall": 0}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Agreeing with everything: each dimension of 3 items has two risks and one
        # protection → (1 + 1 + 0) / 3; "felt" has three risks of four → 3 / 4.
        (5, {"remote": 67, "culture": 67, "workload": 67, "management": 67, "felt": 75}),
        (3, {"remote": 50, "culture": 50, "workload": 50, "management": 50, "felt": 50}),
        (1, {"remote": 33, "culture": 33, "workload": 33, "management": 33, "felt": 25}),
    ],
)
def test_the_same_answer_everywhere(value, expected):
    scores = isolation.score(answering(lambda item: value))

    assert {k: v for k, v in scores.items() if k != "overall"} == expected
    assert scores["overall"] == round(sum(expected.values()) / 5)


def test_the_overall_score_is_the_mean_of_the_dimensions():
    answers = answering(lambda item: 1 if item.reverse else 5)  # every dimension at 100
    for item in isolation.dimension_by_id("felt").items:
        answers[item.id] = 5 if item.reverse else 1  # felt at 0

    scores = isolation.score(answers)

    assert scores["felt"] == 0
    assert scores["overall"] == 80


def test_a_missing_or_out_of_range_answer_is_refused():
    answers = answering(lambda item: 3)
    with pytest.raises(ValueError):
        isolation.score({**answers, "remote_1": 6})
    del answers["felt_4"]
    with pytest.raises(KeyError):
        isolation.score(answers)


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, Band.LOW), (33, Band.LOW), (34, Band.MODERATE), (66, Band.MODERATE), (67, Band.HIGH)],
)
def test_bands(score, band):
    assert isolation.band_of(score) is band


@given(st.fixed_dictionaries({item_id: st.integers(1, 5) for item_id in ALL_ITEMS}))
def test_every_score_is_between_0_and_100(answers):
    scores = isolation.score(answers)

    assert set(scores) == {*isolation.DIMENSION_IDS, "overall"}
    assert all(0 <= value <= 100 for value in scores.values())
    assert min(scores.values()) <= scores["overall"] <= max(scores.values())


@given(
    st.fixed_dictionaries({item_id: st.integers(1, 5) for item_id in ALL_ITEMS}),
    st.sampled_from(isolation.ITEMS),
)
def test_moving_towards_the_risk_never_lowers_a_score(answers, item):
    risky = 1 if item.reverse else 5
    worse = {**answers, item.id: risky}

    before, after = isolation.score(answers), isolation.score(worse)

    assert all(after[key] >= before[key] for key in before)
