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

Exact on the whole instance whenever it fits: when there are at most ``max_arcs``
(:data:`EXACT_MAX_ARCS`, 5,000,000 = 5,000 mentees × 1,000 mentors all compatible) compatible
pairs whose mentor has room, they are all kept in memory and the round is the optimum — the
same objective as the dense solver (:mod:`.dense`): solved on each mentee's top ``k``, proven
optimal over every pair by dual prices (:func:`_price`), or else solved on all of them.
Beyond, the graph keeps ``k`` mentors per mentee (see :mod:`.candidates`) and the round may
miss a better assignment that uses a mentor outside some mentee's top ``k``: it says so
(``RoundResult.pruned``), prices its solution over every pair, adds the pairs that beat their
price, and bounds how much it may miss — proven optimal when the bound is met.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

from .candidates import (
    DEFAULT_BLOCK,
    DEFAULT_WORKERS,
    NO_PAIR,
    CandidateGraph,
    MentorIndex,
    candidate_graph,
    merge_graphs,
    price_pass,
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

# The most compatible pairs with room a round keeps in memory, and so is exact on: 5,000
# mentees × 1,000 mentors with every pair compatible. Measured (ADR 0026, 2 busy cores):
# ~3.5 s and ~0.35 GB when its prices prove the top-k graph optimal, ~12 s and ~0.85 GB
# when the complete graph must be solved whole.
EXACT_MAX_ARCS = 5_000_000
# Beyond it: the best K mentors with room for each mentee.
DEFAULT_K = 30
# Pricing passes over the complete graph's arcs, in memory, before solving it whole.
EXACT_PRICE_PASSES = 4
# Passes over every pair after a pruned round: each prices the mentors, bounds the optimum
# and adds the pairs that would pay more than their price (column generation).
DEFAULT_PRICE_PASSES = 2
# Passes of the mentor prices when bounding a pruned round (each one is a pass over the
# graph's arcs); a price that has not settled still gives a valid, looser bound.
BOUND_PASSES = 200
# Passes that give mentees left unmatched their best mentors among those with room left.
DEFAULT_REFINE = 3
DEFAULT_WEIGHTS = Weights()


class AssignmentError(RuntimeError):
    pass


def pair_bonus(n_mentees: int, capacity: np.ndarray) -> int:
    """What one more pair is worth in the flow: more than any total of scores."""
    return min(n_mentees, int(capacity.sum())) * SCORE_SCALE + 1


def solve_candidate_graph(
    graph: CandidateGraph, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The optimal arcs of ``graph``: (mentee positions, arc positions into ``graph.mentor``)."""
    n_mentees = len(graph.indptr) - 1
    n_mentors = len(capacity)
    if n_mentees == 0 or graph.arcs == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    bonus = pair_bonus(n_mentees, capacity)
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


def mentor_prices(
    graph: CandidateGraph, bonus: int, assigned: np.ndarray, n_mentors: int
) -> np.ndarray:
    """The least mentor prices ``v >= 0`` (dual values of the capacities) that the solution
    ``assigned`` (mentor position by mentee, -1 when unmatched) supports on ``graph``, where a
    pair is worth ``w = bonus + score``: ``v_j >= w_ij`` when mentee ``i`` is unmatched (else
    it would take ``j``), ``v_j >= v_m + w_ij - w_im`` when ``i`` holds a place of ``m``
    (else it would move to ``j``). A longest-path fixpoint over the mentors, at most
    :data:`BOUND_PASSES` passes over the arcs; unsettled, the prices still give a valid bound."""
    n_mentees = len(graph.indptr) - 1
    weight = bonus + graph.score
    arc_mentee = np.repeat(np.arange(n_mentees), np.diff(graph.indptr))
    held = assigned[arc_mentee]
    chosen_arc = graph.mentor == held
    held_weight = np.zeros(n_mentees, np.int64)
    held_weight[arc_mentee[chosen_arc]] = weight[chosen_arc]
    price = np.zeros(n_mentors, np.int64)
    free = held < 0
    np.maximum.at(price, graph.mentor[free], weight[free])
    floor = price.copy()
    moves = ~free & ~chosen_arc
    order = np.argsort(graph.mentor[moves], kind="stable")
    heads = graph.mentor[moves][order]
    tails = held[moves][order]
    gains = (weight[moves] - held_weight[arc_mentee[moves]])[order]
    if len(heads):
        targets, starts = np.unique(heads, return_index=True)
        for _ in range(BOUND_PASSES):
            updated = floor.copy()
            updated[targets] = np.maximum(
                floor[targets], np.maximum.reduceat(price[tails] + gains, starts)
            )
            if np.array_equal(updated, price):
                break
            price = updated
    return price


def _price(
    mentees: Sequence[MenteeNeeds],
    index: MentorIndex,
    weights: Weights,
    exclusions: Sequence[Exclusion],
    graph: CandidateGraph,
    mentee_positions: np.ndarray,
    chosen: np.ndarray,
    k: int,
    block: int,
    workers: int,
    complete: CandidateGraph | None = None,
) -> tuple[CandidateGraph, int, int]:
    """One pricing pass on a pruned round: the pairs to add (at most ``k`` per mentee) and
    the bound for this solution — at most this many more pairs, at most this much more
    ``BONUS × pairs + objective`` (just more objective when no more pairs are possible).

    LP duality of the transportation problem "maximise the sum of ``w = BONUS + score``
    over the pairs, one mentor per mentee, at most ``capacity`` mentees per mentor": for
    mentor prices ``v >= 0`` and ``u_i = max(0, max_j w_ij - v_j)`` over every compatible
    mentor with room, ``sum(u) + sum(capacity × v)`` bounds every assignment from above. With
    the least prices the solution supports on its graph (:func:`mentor_prices`), the bound
    equals the solution's value when no pair outside the graph beats ``u_i``: the solution
    is then the optimum over every pair. The pairs that do beat it are the ones to add.
    With ``complete`` (every compatible pair with room, in memory) the pass reads its arcs
    instead of scoring every pair again."""
    n_mentees = len(mentees)
    bonus = pair_bonus(n_mentees, index.capacity)
    assigned = np.full(n_mentees, -1, np.int64)
    assigned[mentee_positions] = graph.mentor[chosen]
    price = mentor_prices(graph, bonus, assigned, len(index))
    # What each mentee gets at these prices on its graph (>= 0: staying out is free).
    arc_mentee = np.repeat(np.arange(n_mentees), np.diff(graph.indptr))
    own = np.zeros(n_mentees, np.int64)
    np.maximum.at(own, arc_mentee, bonus + graph.score - price[graph.mentor])
    if complete is None:
        best, extra = price_pass(
            mentees, index, weights, price - bonus, own, k, exclusions, block, workers
        )
    else:
        best, extra = _arc_pass(complete, price - bonus, own, k)
    # LP duality: sum(u) + sum(capacity × v) bounds every assignment's sum of w.
    mentee_price = np.maximum(own, np.where(best > NO_PAIR, best, 0))
    upper = int(mentee_price.sum()) + int((index.capacity * price).sum())
    pairs, objective = len(chosen), int(graph.score[chosen].sum())
    value = bonus * pairs + objective
    most_pairs = min(n_mentees, int(index.capacity.sum()))
    more_pairs = max(0, min(upper // bonus, most_pairs) - pairs)
    if more_pairs:
        return extra, more_pairs, upper - value
    # As many pairs as the optimum: its objective is also at most SCORE_SCALE per pair.
    return extra, 0, max(0, min(upper - value, pairs * SCORE_SCALE - objective))


def _arc_pass(
    complete: CandidateGraph, price: np.ndarray, threshold: np.ndarray, k: int
) -> tuple[np.ndarray, CandidateGraph]:
    """:func:`.candidates.price_pass` over the arcs of a complete graph, in memory."""
    n_mentees = len(complete.indptr) - 1
    reduced = complete.score - price[complete.mentor]
    sizes = np.diff(complete.indptr)
    best = np.full(n_mentees, NO_PAIR, np.int64)
    some = np.flatnonzero(sizes)
    if len(some):  # arcs are grouped by mentee: one segment each
        best[some] = np.maximum.reduceat(reduced, complete.indptr[some])
    above = np.flatnonzero(reduced > np.repeat(threshold, sizes))
    above_mentee = np.searchsorted(complete.indptr, above, side="right") - 1
    # Each mentee's k largest reduced scores above its threshold (ties: earlier mentor).
    order = np.lexsort((complete.mentor[above], -reduced[above], above_mentee))
    mentee = above_mentee[order]
    first = np.searchsorted(mentee, mentee, side="left")
    chosen = np.arange(len(order)) - first < k
    kept = above[order[chosen]]
    counts = np.bincount(mentee[chosen], minlength=n_mentees)
    indptr = np.zeros(n_mentees + 1, np.int64)
    indptr[1:] = np.cumsum(counts)
    extra = CandidateGraph(
        indptr, complete.mentor[kept], complete.score[kept], np.zeros(n_mentees, np.int64)
    )
    return best, extra


def assign_mentors(
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer] | MentorIndex,
    weights: Weights = DEFAULT_WEIGHTS,
    exclusions: Iterable[Exclusion] = (),
    k: int = DEFAULT_K,
    block: int = DEFAULT_BLOCK,
    workers: int = DEFAULT_WORKERS,
    refine: int = DEFAULT_REFINE,
    max_arcs: int = EXACT_MAX_ARCS,
    price_passes: int = DEFAULT_PRICE_PASSES,
) -> RoundResult:
    """Match mentees to mentors for one round.

    Maximises the number of mentees matched, then the sum of integer-scaled compatibility
    scores; never exceeds a mentor's capacity; never pairs an excluded, same-employer,
    language- or mode-incompatible pair. Exact — the optimum over every pair — when at most
    ``max_arcs`` compatible pairs have a mentor with room: they are kept in memory, the flow
    is solved on each mentee's ``k`` best, priced over all of them (up to
    :data:`EXACT_PRICE_PASSES` passes adding the pairs that beat their price) and solved on
    all of them when the prices do not prove it optimal. Beyond, the graph is pruned to each
    mentee's ``k`` best compatible mentors with room (plus, for up to ``refine`` passes, the
    best mentors still having room for mentees left unmatched), then up to ``price_passes``
    passes over every pair add the pairs the solution's dual prices say could improve it
    (column generation, :func:`_price`); the result says it was pruned and, after at least
    one pass, bounds how much it may miss — 0 and 0 when the last pass proved it optimal.
    Every unmatched mentee gets a reason: NO_COMPATIBLE_MENTOR when no mentor meets the
    pairwise constraints, CAPACITY_EXHAUSTED when some do but had no room left.
    Deterministic: same inputs, same result. Mentee ids must be unique.
    """
    mentees = tuple(mentees)
    if len({mentee.id for mentee in mentees}) != len(mentees):
        raise ValueError("mentee ids must be unique")
    index = mentors if isinstance(mentors, MentorIndex) else MentorIndex.build(mentors)
    started = time.perf_counter()
    exclusions = tuple(exclusions)
    whole = candidate_graph(
        mentees, index, weights, k, exclusions, block, workers, complete_up_to=max_arcs
    )
    # Fits: every compatible pair with room is in memory. The round starts from each mentee's
    # top k all the same (a far smaller flow), prices it over every pair, and solves the
    # complete graph only when the prices cannot prove the smaller one optimal.
    complete = whole if whole.complete else None
    graph = whole.top if whole.top is not None else whole
    scored = time.perf_counter()
    mentee_positions, chosen = solve_candidate_graph(graph, index.capacity)
    for _ in range(refine if complete is None else 0):
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
    more_pairs: int | None = 0
    more_objective: int | None = 0
    passes = 0
    if graph is not complete:
        more_pairs = more_objective = None
        allowed = price_passes if complete is None else EXACT_PRICE_PASSES
        for attempt in range(allowed):
            passes += 1
            # Column generation: price the mentors from the solution, look at every pair
            # once, bound the optimum; add the pairs that would pay more than their price.
            extra, more_pairs, more_objective = _price(
                mentees,
                index,
                weights,
                exclusions,
                graph,
                mentee_positions,
                chosen,
                k,
                block,
                workers,
                complete,
            )
            if extra.arcs == 0 or attempt == allowed - 1:
                break
            graph = merge_graphs(graph, extra, np.arange(len(mentees)))
            mentee_positions, chosen = solve_candidate_graph(graph, index.capacity)
    whole_flow = False
    if complete is not None and (more_pairs, more_objective) != (0, 0):
        whole_flow = True
        graph = complete
        mentee_positions, chosen = solve_candidate_graph(graph, index.capacity)
        more_pairs = more_objective = 0
    bounded = time.perf_counter()
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
        pruned=complete is None,
        more_pairs_at_most=more_pairs,
        more_objective_at_most=more_objective,
        stats={
            "candidates_s": scored - started,
            "flow_s": solved - scored,
            "bound_s": bounded - solved,
            "price_passes": passes,
            "whole_flow": whole_flow,
            "explain_s": time.perf_counter() - bounded,
        },
    )
