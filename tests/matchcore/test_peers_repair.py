"""Incremental repair: constraints kept, few moves, untouched groups unchanged."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matchcore.peers.formation import form_groups
from matchcore.peers.model import Config, Participant, hours
from matchcore.peers.repair import repair
from matchcore.peers.rules import describe, violations
from tests.matchcore.peers_strategies import participant, populations

EVENING = hours(1, 18, 20)


def person(id: int, **changes) -> Participant:
    return Participant(**{"id": id, "availability": EVENING, "languages": ("fr",), **changes})


def test_a_leaver_from_a_minimal_group_is_replaced_by_one_member_of_a_larger_group():
    people = [person(i) for i in range(1, 9)]
    weights = Config().weights
    start = (describe(0, people[:3], weights), describe(1, people[3:], weights))

    result = repair(start, people, leaving=[1])

    assert len(result.moves) == 2  # the leaver out, one member of the group of 5 in
    assert result.moves[1].from_group == 1 and result.moves[1].to_group == 0
    assert result.waiting == ()
    assert sorted(len(g.members) for g in result.groups) == [3, 4]
    for group in result.groups:
        assert violations([p for p in people if p.id in group.members], Config()) == []


def test_two_groups_left_too_small_merge_into_one():
    people = [person(i) for i in range(1, 7)]
    weights = Config().weights
    start = (
        describe(0, [people[0], people[1], people[4]], weights),
        describe(1, [people[2], people[3], people[5]], weights),
    )

    result = repair(start, people, leaving=[5, 6])

    assert [set(g.members) for g in result.groups] == [{1, 2, 3, 4}]
    assert {(m.participant_id, m.from_group, m.to_group) for m in result.moves} == {
        (5, 0, None),
        (6, 1, None),
        (1, 0, 1),
        (2, 0, 1),
    }
    assert result.waiting == ()


def test_an_arrival_joins_a_group_with_room_and_others_stay_put():
    people = [person(i) for i in range(1, 9)]
    start = form_groups(people).groups
    newcomer = person(99)

    result = repair(start, people, arriving=[newcomer])

    assert [m.participant_id for m in result.moves] == [99]
    assert sum(99 in g.members for g in result.groups) == 1
    assert len([g for g in result.groups if g in start]) == len(start) - 1


def test_arrivals_that_fit_nowhere_wait_then_form_a_group_together():
    people = [person(i) for i in range(1, 5)]
    start = form_groups(people).groups
    others = [person(i, availability=hours(4, 9, 11)) for i in (50, 51)]

    first = repair(start, people, arriving=others)
    assert {u.participant_id for u in first.waiting} == {50, 51}

    second = repair(
        first.groups, people, arriving=[*others, person(52, availability=hours(4, 9, 10))]
    )
    assert second.waiting == ()
    assert any(set(g.members) == {50, 51, 52} for g in second.groups)


@settings(max_examples=40, deadline=None)
@given(populations(max_size=20), st.data())
def test_repair_keeps_every_hard_constraint_and_moves_few_people(people, data):
    config = Config()
    start = form_groups(people, config).groups
    placed = sorted(i for g in start for i in g.members)
    leaving = (
        data.draw(st.lists(st.sampled_from(placed), max_size=2, unique=True)) if placed else []
    )
    arriving = [data.draw(participant(1000 + k)) for k in range(data.draw(st.integers(0, 3)))]

    result = repair(start, people, leaving=leaving, arriving=arriving, config=config)

    by_id = {p.id: p for p in [*people, *arriving]}
    for group in result.groups:
        assert violations([by_id[i] for i in group.members], config) == []
        assert not set(group.members) & set(leaving)
    everyone = [i for g in result.groups for i in g.members] + [
        u.participant_id for u in result.waiting
    ]
    assert len(everyone) == len(set(everyone))
    # Each leaver costs at most a dissolved group's members, each arrival one move (or a new group).
    assert len(result.moves) <= len(leaving) * config.max_size + len(arriving)
    untouched = [g for g in start if not set(g.members) & set(leaving)]
    changed = [g for g in untouched if g not in result.groups]
    assert len(changed) <= len(leaving) + len(arriving)
