"""A matching round: as many mentees matched as possible, then the best total compatibility,
no mentor above capacity — solved exactly on the candidate graph by a min-cost flow.

Network: source → each mentee (capacity 1) → each of its candidate mentors (capacity 1) →
sink (capacity = the mentor's capacity), plus a source → sink bypass (cost 0) for the mentees
left unmatched. A mentee → mentor arc costs ``-(BONUS + s)`` where ``s`` is the pair's score
scaled to an integer in ``[0, SCORE_SCALE]``.

Scaling and exactness: ``BONUS = U * SCORE_SCALE + 1`` with ``U = min(mentees, total
capacity)``, an upper bound of the number of pairs. One more pair is then worth more than
any gain in scores (``k`` pairs score at most ``k * SCORE_SCALE < BONUS``), so the flow
maximises the number matched first and the sum of integer scores second — exactly, since
the costs are integers. Against the real-valued scores the result is within
``0.5 / SCORE_SCALE`` per pair of the best total (rounding), i.e. 5e-5 per pair.
The largest cost magnitude is ``~U * SCORE_SCALE`` (1e9 for 100,000 mentees), far from the
64-bit range OR-Tools checks.

Exact on the candidate graph; the graph keeps ``k`` mentors per mentee (see
:mod:`.candidates`), so with pruning the round may miss a better assignment that uses a
mentor outside some mentee's top ``k``. The benches measure the gap against the dense solver.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

from .candidates import (
    DEFAULT_BLOCK,
    DEFAULT_WORKERS,
    CandidateGraph,
    MentorIndex,
    candidate_graph,
    merge_graphs,
)
from .compatibility import top_factors
from .model import (
    SCORE_SCALE,
    Exclusion,
    Match,
    MenteeNeeds,
    MentorOffer,
    RoundResult,
    Unmatched,
    UnmatchedReason,
    Weights,
)

DEFAULT_K = 30
# Passes that give mentees left unmatched their best mentors among those with room left.
DEFAULT_REFINE = 3
DEFAULT_WEIGHTS = Weights()


class AssignmentError(RuntimeError):
    pass


def solve_candidate_graph(
    graph: CandidateGraph, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The optimal arcs of ``graph``: (mentee positions, arc positions into ``graph.mentor``)."""
    n_mentees = len(graph.indptr) - 1
    n_mentors = len(capacity)
    if n_mentees == 0 or graph.arcs == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    bound = min(n_mentees, int(capacity.sum()))
    bonus = bound * SCORE_SCALE + 1
    source, sink = 0, n_mentees + n_mentors + 1
    mentee_nodes = np.arange(1, n_mentees + 1, dtype=np.int32)
    arc_tails = np.repeat(mentee_nodes, np.diff(graph.indptr))
    arc_heads = (graph.mentor + n_mentees + 1).astype(np.int32)
    used = np.flatnonzero(capacity > 0)
    tails = np.concatenate(
        [
            np.zeros(n_mentees, np.int32),
            arc_tails,
            (used + n_mentees + 1).astype(np.int32),
            np.array([source], np.int32),
        ]
    )
    heads = np.concatenate(
        [mentee_nodes, arc_heads, np.full(len(used), sink, np.int32), np.array([sink], np.int32)]
    )
    capacities = np.concatenate(
        [
            np.ones(n_mentees + graph.arcs, np.int64),
            capacity[used].astype(np.int64),
            np.array([n_mentees], np.int64),
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(n_mentees, np.int64),
            -(bonus + graph.score.astype(np.int64)),
            np.zeros(len(used) + 1, np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([n_mentees, -n_mentees], np.int64)
    )
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise AssignmentError(f"min-cost flow did not reach an optimum: {status}")
    pair_arcs = arcs[n_mentees : n_mentees + graph.arcs]
    chosen = np.flatnonzero(flow.flows(pair_arcs) > 0)
    return np.searchsorted(graph.indptr, chosen, side="right") - 1, chosen


def assign_mentors(
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer] | MentorIndex,
    weights: Weights = DEFAULT_WEIGHTS,
    exclusions: Iterable[Exclusion] = (),
    k: int = DEFAULT_K,
    block: int = DEFAULT_BLOCK,
    workers: int = DEFAULT_WORKERS,
    refine: int = DEFAULT_REFINE,
) -> RoundResult:
    """Match mentees to mentors for one round.

    Maximises the number of mentees matched, then the sum of integer-scaled compatibility
    scores, over each mentee's ``k`` best compatible mentors with room (plus, for up to
    ``refine`` passes, the best mentors still having room for mentees left unmatched);
    never exceeds a mentor's capacity; never pairs an excluded, same-employer, language- or
    mode-incompatible pair. Every unmatched mentee gets a reason: NO_COMPATIBLE_MENTOR when
    no mentor meets the pairwise constraints, CAPACITY_EXHAUSTED when some do but had no room
    left.
    Deterministic: same inputs, same result. Mentee ids must be unique.
    """
    mentees = tuple(mentees)
    if len({mentee.id for mentee in mentees}) != len(mentees):
        raise ValueError("mentee ids must be unique")
    index = mentors if isinstance(mentors, MentorIndex) else MentorIndex.build(mentors)
    started = time.perf_counter()
    exclusions = tuple(exclusions)
    graph = candidate_graph(mentees, index, weights, k, exclusions, block, workers)
    scored = time.perf_counter()
    mentee_positions, chosen = solve_candidate_graph(graph, index.capacity)
    for _ in range(refine):
        # Top-k lists crowd onto popular mentors; a mentee left out while some compatible
        # mentor still has room gets that mentor's arcs, then the flow is solved again.
        room = index.capacity - np.bincount(graph.mentor[chosen], minlength=len(index))
        matched = np.zeros(len(mentees), dtype=bool)
        matched[mentee_positions] = True
        waiting = np.flatnonzero(~matched & (graph.compatible > 0))
        if len(waiting) == 0 or room.sum() == 0:
            break
        # Only the mentors with room are scored again, so a pass costs little when room is scarce.
        with_room = np.flatnonzero(room > 0)
        extra = candidate_graph(
            [mentees[i] for i in waiting],
            MentorIndex.build([index.mentors[j] for j in with_room]),
            weights,
            k,
            exclusions,
            block,
            workers,
        )
        if extra.arcs == 0:
            break
        extra = CandidateGraph(extra.indptr, with_room[extra.mentor], extra.score, extra.compatible)
        graph = merge_graphs(graph, extra, waiting)
        mentee_positions, chosen = solve_candidate_graph(graph, index.capacity)
    solved = time.perf_counter()
    matches = []
    for position, arc in zip(mentee_positions.tolist(), chosen.tolist(), strict=True):
        mentee, mentor = mentees[position], index.mentors[int(graph.mentor[arc])]
        matches.append(
            Match(
                mentee_id=mentee.id,
                mentor_id=mentor.id,
                score=int(graph.score[arc]) / SCORE_SCALE,
                top_factors=top_factors(mentee, mentor, weights),
            )
        )
    matched = np.zeros(len(mentees), dtype=bool)
    matched[mentee_positions] = True
    unmatched = tuple(
        Unmatched(
            mentee.id,
            UnmatchedReason.CAPACITY_EXHAUSTED
            if graph.compatible[i] > 0
            else UnmatchedReason.NO_COMPATIBLE_MENTOR,
        )
        for i, mentee in enumerate(mentees)
        if not matched[i]
    )
    return RoundResult(
        matches=tuple(sorted(matches, key=lambda match: match.mentee_id)),
        unmatched=tuple(sorted(unmatched, key=lambda item: item.mentee_id)),
        objective=int(graph.score[chosen].sum()),
        candidate_arcs=graph.arcs,
        stats={
            "candidates_s": scored - started,
            "flow_s": solved - scored,
            "explain_s": time.perf_counter() - solved,
        },
    )
