"""Peer-group formation (matchcore.peers): hard constraints on generated populations, known
answers, reasons for the unplaced, determinism, validation of the configuration."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings

from matchcore.peers.formation import form_groups
from matchcore.peers.model import (
    Config,
    Mode,
    Participant,
    ProjectType,
    Stage,
    UnplacedReason,
    Weights,
    hours,
)
from matchcore.peers.rules import violations
from tests.matchcore.peers_strategies import populations, weights

EVENING = hours(1, 18, 20)


# The constraints and the determinism hold whatever the exact budget: the properties below use
# a short one (half a deterministic unit, same code path) instead of the production 40, which made
# them the two slowest tests of the suite (84 s and 105 s).
SHORT_BUDGET = 0.5


def person(id: int, **changes) -> Participant:
    return Participant(**{"id": id, "availability": EVENING, "languages": ("fr",), **changes})


@settings(max_examples=80, deadline=None)
@given(populations(), weights())
def test_every_group_respects_every_hard_constraint(people, weights):
    config = Config(weights=weights, exact_time_limit_alone=SHORT_BUDGET)

    result = form_groups(people, config)

    by_id = {p.id: p for p in people}
    for group in result.groups:
        members = [by_id[i] for i in group.members]
        assert violations(members, config) == []
        assert config.min_size <= len(members) <= config.max_size
        assert group.common_slots and all(p.availability & group.common_slots for p in members)
        assert all(group.language in p.languages for p in members)
        assert all(group.mode in p.mode for p in members)
        if group.mode is Mode.IN_PERSON:
            assert {p.place for p in members} == {group.place}
        assert 0.0 <= group.score <= 1.0
    placed = [i for g in result.groups for i in g.members]
    unplaced = [u.participant_id for u in result.unplaced]
    assert sorted(placed + unplaced) == sorted(by_id)


@settings(max_examples=40, deadline=None)
@given(populations(max_size=16))
def test_same_seed_same_groups(people):
    config = Config(seed=3, exact_time_limit_alone=SHORT_BUDGET)
    assert form_groups(people, config) == form_groups(people, config)


def test_empty_and_too_small_cohorts():
    assert form_groups([]).groups == ()
    result = form_groups([person(1), person(2)])
    assert result.groups == ()
    assert {u.reason for u in result.unplaced} == {UnplacedReason.COHORT_TOO_SMALL}


def test_all_incompatible_people_are_left_out_with_their_reason():
    people = [
        person(1, languages=("fr",)),
        person(2, languages=("en",)),
        person(3, languages=("ar",)),
        person(4, availability=hours(0, 9, 10)),
        person(5, availability=hours(3, 9, 10)),
    ]

    result = form_groups(people)

    assert result.groups == ()
    assert {u.participant_id: u.reason for u in result.unplaced} == {
        1: UnplacedReason.NO_COMMON_LANGUAGE,
        2: UnplacedReason.NO_COMMON_LANGUAGE,
        3: UnplacedReason.NO_COMMON_LANGUAGE,
        4: UnplacedReason.NO_COMMON_LANGUAGE,
        5: UnplacedReason.NO_COMMON_LANGUAGE,
    } or all(u.reason is not UnplacedReason.NO_ROOM for u in result.unplaced)


def test_modes_places_and_slots_decide_who_meets():
    video = [person(i, mode=Mode.VIDEO) for i in range(1, 4)]
    paris = [person(i, mode=Mode.IN_PERSON, place="75") for i in range(4, 7)]
    lyon = person(7, mode=Mode.IN_PERSON, place="69")

    result = form_groups([*video, *paris, lyon])

    assert {g.members for g in result.groups} == {(1, 2, 3), (4, 5, 6)}
    assert {g.mode for g in result.groups} == {Mode.VIDEO, Mode.IN_PERSON}
    assert result.unplaced[0].participant_id == 7
    assert result.unplaced[0].reason is UnplacedReason.NO_COMPATIBLE_MODE


def test_nobody_who_asked_is_isolated_with_their_attribute():
    people = [person(i) for i in range(1, 7)] + [
        person(7, attribute="over_50", avoid_isolation=True),
        person(8, attribute="over_50"),
    ]

    result = form_groups(people)

    (home,) = [g for g in result.groups if 7 in g.members]
    assert 8 in home.members


def test_similar_people_end_up_together_and_groups_are_explained():
    people = [person(i, stage=Stage.EXPLORING) for i in range(1, 5)] + [
        person(i, stage=Stage.LAUNCHING, project_type=ProjectType.CREATION) for i in range(5, 9)
    ]

    result = form_groups(people)

    assert {g.members for g in result.groups} == {(1, 2, 3, 4), (5, 6, 7, 8)}
    for group in result.groups:
        assert group.shared_stage is not None and group.shared_direction is not None
        assert group.factors[0].contribution >= group.factors[-1].contribution
        assert group.score == pytest.approx(sum(f.contribution for f in group.factors), abs=1e-3)
    assert result.worst_score == min(g.score for g in result.groups)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -0.1])
def test_weights_must_be_finite_and_non_negative(bad):
    with pytest.raises(ValueError, match="stage"):
        Weights(stage=bad)


def test_sizes_and_people_are_validated():
    with pytest.raises(ValueError):
        Config(min_size=4, target_size=3)
    with pytest.raises(ValueError):
        Weights(0, 0, 0, 0)
    with pytest.raises(ValueError):
        person(1, availability=1 << 168)
    with pytest.raises(ValueError):
        person(1, mode=Mode.IN_PERSON)  # no place
    with pytest.raises(ValueError, match="unique"):
        form_groups([person(1), person(1)])


def test_the_small_cohorts_of_one_population_share_the_exact_budget():
    # 12 cohorts of 6 people: 12 chunks small enough for CP-SAT share 6 units, half a unit each.
    people = [person(i, cohort=f"c{i // 6}") for i in range(72)]
    config = Config(exact_time_limit=4.0, exact_total_limit=6.0, workers=1)

    result = form_groups(people, config)

    assert result.stats["exact_chunks"] == 12
    assert result.stats["exact_time_limit"] == pytest.approx(0.5)
    assert len(result.groups) == 24 and not result.unplaced  # 3 + 3 in each cohort
    # a few such cohorts each keep the per-chunk limit; one cohort alone gets the larger one
    few = form_groups(people[:18], config)
    assert few.stats["exact_chunks"] == 3 and few.stats["exact_time_limit"] == 2.0
    alone = form_groups(people[:6], Config(exact_time_limit_alone=3.0))
    assert alone.stats["exact_time_limit"] == 3.0


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_reported_per_chunk_and_does_not_change_the_groups(workers):
    # Two cohorts of 8: two chunks solved exactly, on two processes when there are two.
    people = [person(i, cohort="a" if i < 8 else "b") for i in range(16)]
    config = Config(workers=workers, exact_time_limit=SHORT_BUDGET, exact_total_limit=1.0)
    seen = []

    result = form_groups(people, config, progress=seen.append)

    assert len(seen) == 2 and seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    assert result.groups == form_groups(people, replace(config, workers=1)).groups
