"""The matching round (matchcore.mentoring.assignment) and suggestions: known answers,
properties on generated pools, equality with the dense exact solver."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from matchcore.mentoring.assignment import assign_mentors
from matchcore.mentoring.candidates import MentorIndex
from matchcore.mentoring.compatibility import incompatibility
from matchcore.mentoring.dense import dense_assignment, full_scores
from matchcore.mentoring.model import (
    Exclusion,
    ExclusionReason,
    MenteeNeeds,
    MentorOffer,
    Mode,
    UnmatchedReason,
    Weights,
)
from matchcore.mentoring.suggest import suggest_mentors
from tests.matchcore.mentoring_strategies import pools


def mentee(id: int, fiche: str = "M1805", **changes) -> MenteeNeeds:
    return MenteeNeeds(id=id, target_fiche=fiche, languages=("fr",), **changes)


def mentor(id: int, fiches=("M1805",), capacity: int = 1, **changes) -> MentorOffer:
    return MentorOffer(id=id, fiches=fiches, languages=("fr",), capacity=capacity, **changes)


def test_the_number_matched_comes_before_the_scores():
    # Mentee 1 fits both mentors, mentee 2 only the weaker one: the best total match gives
    # mentee 1 the strong mentor... and leaves mentee 2 out, so the round must not.
    mentees = [mentee(1), mentee(2, mode=Mode.REMOTE)]
    mentors = [mentor(10, mode=Mode.IN_PERSON), mentor(11, fiches=("A1101",))]

    result = assign_mentors(mentees, mentors)

    assert {(m.mentee_id, m.mentor_id) for m in result.matches} == {(1, 10), (2, 11)}
    assert result.unmatched == ()


def test_unmatched_mentees_get_their_reason():
    mentees = [mentee(1), mentee(2), MenteeNeeds(3, "M1805", languages=("de",))]

    result = assign_mentors(mentees, [mentor(10)])

    # 1 and 2 tie: either may win, but always the same one for the same input.
    (match,) = result.matches
    loser = 3 - match.mentee_id
    assert {u.mentee_id: u.reason for u in result.unmatched} == {
        loser: UnmatchedReason.CAPACITY_EXHAUSTED,
        3: UnmatchedReason.NO_COMPATIBLE_MENTOR,
    }
    assert assign_mentors(mentees, [mentor(10)]) == result


def test_each_pair_is_explained_by_its_top_factors():
    result = assign_mentors([mentee(1)], [mentor(10)])

    (match,) = result.matches
    assert match.top_factors[0].factor == "fiche"
    assert match.score == pytest.approx(sum(f.contribution for f in match.top_factors), abs=1e-3)


def test_empty_pools_and_zero_capacities():
    assert assign_mentors([], []).matches == ()
    assert assign_mentors([], [mentor(10)]).objective == 0
    result = assign_mentors([mentee(1)], [mentor(10, capacity=0)])
    assert result.matches == ()
    assert result.unmatched[0].reason is UnmatchedReason.CAPACITY_EXHAUSTED
    assert assign_mentors([mentee(1)], []).unmatched[0].reason is (
        UnmatchedReason.NO_COMPATIBLE_MENTOR
    )


def test_an_ended_mentorship_is_never_matched_again():
    exclusion = Exclusion(1, 10, ExclusionReason.PREVIOUS_MENTORSHIP)

    result = assign_mentors(
        [mentee(1)], [mentor(10), mentor(11, fiches=("A1101",))], Weights(), [exclusion]
    )

    assert [(m.mentee_id, m.mentor_id) for m in result.matches] == [(1, 11)]


@settings(max_examples=80, deadline=None)
@given(pools())
def test_properties_of_every_round(pool):
    mentees, mentors, exclusions, weights = pool
    result = assign_mentors(mentees, mentors, weights, exclusions, k=2)
    by_id = {m.id: m for m in mentors}
    mentee_by_id = {m.id: m for m in mentees}
    excluded = {(e.mentee_id, e.mentor_id) for e in exclusions}

    load = {}
    for match in result.matches:
        load[match.mentor_id] = load.get(match.mentor_id, 0) + 1
        assert (match.mentee_id, match.mentor_id) not in excluded
        assert (
            incompatibility(mentee_by_id[match.mentee_id], by_id[match.mentor_id], excluded) is None
        )
    assert all(count <= by_id[mentor_id].capacity for mentor_id, count in load.items())
    seen = [m.mentee_id for m in result.matches] + [u.mentee_id for u in result.unmatched]
    assert sorted(seen) == sorted(m.id for m in mentees)
    assert assign_mentors(mentees, mentors, weights, exclusions, k=2) == result


@settings(max_examples=80, deadline=None)
@given(pools(max_mentees=10, max_mentors=6))
def test_without_pruning_the_round_equals_the_dense_exact_solver(pool):
    mentees, mentors, exclusions, weights = pool
    index = MentorIndex.build(mentors)

    result = assign_mentors(mentees, index, weights, exclusions, k=max(len(mentors), 1))

    matched, objective = dense_assignment(
        full_scores(mentees, index, weights, exclusions), index.capacity
    )
    assert (len(result.matches), result.objective) == (matched, objective)


@pytest.mark.parametrize("seed", range(3))
def test_dense_equality_on_random_instances_of_a_few_hundred(seed):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from mentor_population import population

    mentees, mentors, exclusions = population(300, 80, seed)
    index = MentorIndex.build(mentors)

    result = assign_mentors(mentees, index, Weights(), exclusions, k=80)

    scores = full_scores(mentees, index, Weights(), exclusions)
    assert (len(result.matches), result.objective) == dense_assignment(scores, index.capacity)
    assert np.all(
        np.bincount([index.position[m.mentor_id] for m in result.matches], minlength=80)
        <= index.capacity
    )


def test_suggestions_are_the_best_compatible_mentors_with_room_explained():
    mentors = [
        mentor(10, fiches=("A1101",)),
        mentor(11),
        mentor(12, capacity=0),
        MentorOffer(13, ("M1805",), languages=("de",), capacity=1),
        mentor(14, fiches=("M1802",)),
    ]

    suggestions = suggest_mentors(mentee(1), MentorIndex.build(mentors), Weights(), k=5)

    assert [s.mentor_id for s in suggestions] == [11, 14, 10]
    assert suggestions[0].top_factors[0].factor == "fiche"
    assert suggestions[0].score > suggestions[1].score > suggestions[2].score


@settings(max_examples=60, deadline=None)
@given(pools())
def test_suggestions_agree_with_the_full_scores(pool):
    mentees, mentors, exclusions, weights = pool
    index = MentorIndex.build(mentors)
    scores = full_scores(mentees, index, weights, exclusions)

    for i, one in enumerate(mentees):
        suggestions = suggest_mentors(one, index, weights, k=3, exclusions=exclusions)
        eligible = sorted(
            (-int(scores[i, j]), j)
            for j in range(len(mentors))
            if scores[i, j] >= 0 and mentors[j].capacity > 0
        )[:3]
        assert [s.mentor_id for s in suggestions] == [mentors[j].id for _, j in eligible]
