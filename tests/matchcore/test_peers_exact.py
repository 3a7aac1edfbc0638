"""The exact CP-SAT solver as an oracle on tiny populations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from matchcore.peers.exact import _slots, exact_groups, solve_exact
from matchcore.peers.formation import form_groups
from matchcore.peers.model import AVAILABILITY_SLOTS, Config
from matchcore.peers.rules import describe, violations
from matchcore.peers.search import solve_chunk
from tests.matchcore.peers_strategies import populations


@settings(max_examples=15, deadline=None)
@given(populations(max_size=9))
def test_the_heuristic_never_beats_the_exact_optimum(people):
    config = Config()

    exact = solve_exact(people, config, time_limit=10)
    ours = form_groups(people, config)

    by_id = {p.id: p for p in people}
    for group in exact.groups:
        assert violations([by_id[i] for i in group.members], config) == []
    placed_exact = sum(len(g.members) for g in exact.groups)
    placed_ours = sum(len(g.members) for g in ours.groups)
    assert placed_ours <= placed_exact
    if placed_ours == placed_exact and exact.groups and exact.stats["optimal"]:
        assert ours.worst_score <= exact.worst_score + 2e-3


@settings(max_examples=10, deadline=None)
@given(populations(max_size=14))
def test_small_blocks_solved_exactly_never_do_worse_than_the_heuristic_alone(people):
    heuristic = form_groups(people, Config(exact_up_to=0))
    exact = form_groups(people, Config())

    def placed(result):
        return sum(len(g.members) for g in result.groups)

    assert placed(exact) >= placed(heuristic)
    by_id = {p.id: p for p in people}
    for group in exact.groups:
        assert violations([by_id[i] for i in group.members], config=Config()) == []


def test_exact_settings_are_checked():
    with pytest.raises(ValueError):
        Config(exact_up_to=31)
    with pytest.raises(ValueError):
        Config(exact_time_limit=-1)
    with pytest.raises(TypeError):
        Config(exact_up_to=2.5)


def _key(people, config, groups):
    """(people placed, worst score, mean score) of groups of indices into `people`."""
    scores = [describe(0, [people[i] for i in g], config.weights).score for g in groups]
    return (sum(map(len, groups)), min(scores, default=0.0), sum(scores) / max(len(scores), 1))


@settings(max_examples=10, deadline=None)
@given(populations(max_size=20))
def test_cp_sat_started_from_the_heuristics_groups_never_returns_worse(people):
    config = Config(exact_time_limit=0.2)
    heuristic, _ = solve_chunk(people, config, seed=0, mixed=True)
    position = {p.id: k for k, p in enumerate(people)}
    hint = [[position[i] for i in g] for g in heuristic]
    for group in hint:
        assert violations([people[i] for i in group], config) == []

    found = exact_groups(people, config, hint)

    if found is not None:
        for group in found:
            assert violations([people[i] for i in group], config) == []
        placed, worst, _ = _key(people, config, found)
        hint_placed, hint_worst, _ = _key(people, config, hint)
        assert placed >= hint_placed
        if placed == hint_placed and hint:
            # the model's scores are rounded to 1e-3
            assert worst >= hint_worst - 2e-3


@settings(max_examples=25, deadline=None)
@given(populations(max_size=24))
def test_the_model_keeps_an_hour_for_every_set_of_people_free_together(people):
    config = Config()
    kept = [
        {p for p, person in enumerate(people) if person.availability >> h & 1}
        for h in _slots(people, config)
    ]

    for h in range(AVAILABILITY_SLOTS):
        free = {p for p, person in enumerate(people) if person.availability >> h & 1}
        if len(free) >= config.min_size:
            assert any(free <= other for other in kept)
