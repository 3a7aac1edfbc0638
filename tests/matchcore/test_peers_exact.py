"""The exact CP-SAT solver as an oracle on tiny populations."""

from __future__ import annotations

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
