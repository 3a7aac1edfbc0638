"""Compatibility of one pair (matchcore.mentoring.compatibility) and its vectorised twin
(matchcore.mentoring.candidates): known answers, hard constraints, weight validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchcore.mentoring.candidates import MentorIndex, exclusion_map, score_block
from matchcore.mentoring.compatibility import (
    factor_values,
    incompatibility,
    scaled_score,
    top_factors,
)
from matchcore.mentoring.model import (
    Exclusion,
    ExclusionReason,
    Factor,
    HelpKind,
    Incompatibility,
    MenteeNeeds,
    MentorOffer,
    Mode,
    Weights,
)
from tests.matchcore.mentoring_strategies import pools

MENTEE = MenteeNeeds(
    id=1,
    target_fiche="M1805",
    languages=("fr", "en"),
    mobility_fiches=frozenset({"K2111"}),
    skill_gap=frozenset({1, 2, 3, 4}),
    help_wanted=frozenset({HelpKind.NETWORK, HelpKind.CV}),
    availability=0b1111,
    mode=Mode.EITHER,
    place="75",
)


def mentor(**changes) -> MentorOffer:
    fields = {
        "id": 10,
        "fiches": ("M1805",),
        "languages": ("fr",),
        "capacity": 2,
        "transmissible_skills": frozenset({1, 2}),
        "help_offered": frozenset({HelpKind.NETWORK}),
        "availability": 0b0011,
        "mode": Mode.IN_PERSON,
        "place": "75",
    }
    return MentorOffer(**(fields | changes))


@pytest.mark.parametrize(
    ("fiches", "expected"),
    [
        (("M1805",), 1.0),
        (("M1802",), 0.75),
        (("M1203",), 0.5),
        (("M1402", "K2111"), 0.5),
        (("A1101", "K2111"), 0.25),
        (("A1101",), 0.0),
    ],
)
def test_fiche_proximity_same_fiche_then_domaine_then_grand_domaine_then_mobility(fiches, expected):
    values = factor_values(MENTEE, mentor(fiches=fiches))

    assert values[Factor.FICHE] == expected


def test_factor_values_are_shares_of_what_the_mentee_needs():
    values = factor_values(MENTEE, mentor())

    assert values == {
        Factor.FICHE: 1.0,
        Factor.SKILLS: 0.5,
        Factor.HELP: 0.5,
        Factor.AVAILABILITY: 0.5,
        Factor.MODE_PLACE: 1.0,
        Factor.LANGUAGE: 1.0,
    }


def test_top_factors_are_the_largest_contributions_as_data():
    factors = top_factors(MENTEE, mentor(), Weights())

    assert [item.factor for item in factors] == [Factor.FICHE, Factor.SKILLS, Factor.HELP]
    assert factors[0].contribution == pytest.approx(0.30)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"languages": ("de",)}, Incompatibility.NO_COMMON_LANGUAGE),
        ({"place": "13"}, Incompatibility.MODE_MISMATCH),  # in person only, elsewhere
        ({"employer": "ACME"}, Incompatibility.SAME_EMPLOYER),
    ],
)
def test_hard_constraints(changes, reason):
    mentee = MenteeNeeds(**(MENTEE.__dict__ | {"employer": "ACME"}))

    assert incompatibility(mentee, mentor(**changes)) is reason


def test_remote_only_mentee_and_in_person_only_mentor_cannot_meet():
    remote = MenteeNeeds(**(MENTEE.__dict__ | {"mode": Mode.REMOTE}))

    assert incompatibility(remote, mentor()) is Incompatibility.MODE_MISMATCH
    assert incompatibility(remote, mentor(mode=Mode.EITHER, place="13")) is None


def test_an_explicit_exclusion_is_a_hard_constraint():
    assert incompatibility(MENTEE, mentor(), {(1, 10)}) is Incompatibility.EXCLUDED


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_or_infinite_weights_are_rejected_with_a_clear_error(bad):
    with pytest.raises(ValueError, match="weight skills must be finite"):
        Weights(skills=bad)


def test_negative_or_all_zero_weights_are_rejected():
    with pytest.raises(ValueError, match="must be >= 0"):
        Weights(help=-0.1)
    with pytest.raises(ValueError, match="at least one weight must be positive"):
        Weights(0, 0, 0, 0, 0, 0)


def test_negative_capacity_is_rejected():
    with pytest.raises(ValueError, match="capacity must be >= 0"):
        mentor(capacity=-1)


@settings(max_examples=60, deadline=None)
@given(pools())
def test_vectorised_scores_equal_the_pairwise_rules(pool):
    mentees, mentors, exclusions, weights = pool
    index = MentorIndex.build(mentors)
    scores = score_block(mentees, index, weights, exclusion_map(index, exclusions))
    excluded = {(e.mentee_id, e.mentor_id) for e in exclusions}

    for i, mentee in enumerate(mentees):
        for j, offer in enumerate(mentors):
            if incompatibility(mentee, offer, excluded) is not None:
                assert scores[i, j] == -1
            else:
                assert abs(int(scores[i, j]) - scaled_score(mentee, offer, weights)) <= 1


def test_exclusion_reasons_are_kept():
    exclusion = Exclusion(1, 10, ExclusionReason.PREVIOUS_MENTORSHIP)

    assert exclusion.reason is ExclusionReason.PREVIOUS_MENTORSHIP


@given(st.integers(0, 5), st.sampled_from([math.nan, math.inf, -math.inf]))
def test_any_non_finite_weight_is_rejected(position, bad):
    values = [0.5] * 6
    values[position] = bad

    with pytest.raises(ValueError, match="must be finite"):
        Weights(*values)
