"""The exact CP-SAT solver as an oracle on tiny populations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from matchcore.peers.exact import solve_exact
from matchcore.peers.formation import form_groups
from matchcore.peers.model import Config
from matchcore.peers.rules import violations
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
