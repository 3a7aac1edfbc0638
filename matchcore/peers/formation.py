"""Form peer groups for a whole population: compatible blocks, chunks solved independently
(in parallel), leftovers of a block placed across its chunks, reasons for the unplaced."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace

import numpy as np

from .blocks import chunks, partition
from .exact import exact_groups, preload
from .model import Config, Formation, Participant, Unplaced
from .reasons import ReasonIndex
from .rules import describe, pair_scores
from .search import ChunkSearch, solve_chunk

DEFAULT_CONFIG = Config()
# Below this many participants, starting worker processes costs more than it saves —
# unless several chunks are solved exactly (CP-SAT: seconds each, see `_cost`).
PARALLEL_FROM = 2_000


def form_groups(
    participants: Sequence[Participant],
    config: Config = DEFAULT_CONFIG,
    progress: Callable[[float], None] | None = None,
) -> Formation:
    """Partition ``participants`` into peer groups.

    Every group respects the hard constraints (sizes within ``[min_size, max_size]``, one
    cohort, a weekly hour shared by all, a common language, a way to meet — in person in one
    place or by video — acceptable to all, nobody who asked isolated with their attribute).
    Objective, lexicographic: as many people placed as possible, then the worst group's
    score, then the mean (heuristic: construction + local search, see :mod:`.search`).
    Everyone left out gets a reason. Deterministic for a given ``config.seed``, whatever
    ``config.workers``. Participant ids must be unique. ``progress``, when given, is called
    with the share of the solving done (0 to 1, by each chunk's estimated cost) each time a
    chunk is solved; it does not change the result.
    """
    people = tuple(participants)
    if len({p.id for p in people}) != len(people):
        raise ValueError("participant ids must be unique")
    if len(people) <= config.exact_up_to:
        config = replace(config, exact_time_limit=config.exact_time_limit_alone)
    started = time.perf_counter()
    by_id = {p.id: p for p in people}
    blocks = partition(people, config)
    tasks = []
    for b, (key, block) in enumerate(blocks):
        for c, chunk in enumerate(chunks(block, config)):
            tasks.append((b, chunk, _chunk_seed(config.seed, b, c), key.mixed))
    exact_chunks = sum(1 for _, chunk, _, _ in tasks if 0 < len(chunk) <= config.exact_up_to)
    if exact_chunks > 1:
        # The small chunks share one budget: many small cohorts must not add up to minutes.
        share = min(config.exact_time_limit, config.exact_total_limit / exact_chunks)
        config = replace(config, exact_time_limit=share)
    partitioned = time.perf_counter()
    costs = [_cost(len(chunk), config) for _, chunk, _, _ in tasks]
    total_cost, done_cost = sum(costs) or 1.0, 0.0

    def solved_one(t: int) -> None:
        nonlocal done_cost
        done_cost += costs[t]
        if progress is not None:
            progress(min(1.0, done_cost / total_cost))

    parallel = len(people) >= PARALLEL_FROM or exact_chunks > 1
    if config.workers > 1 and len(tasks) > 1 and parallel:
        # Longest first, one task at a time: the exact solves (seconds each) spread over the
        # workers instead of queueing behind one another. The order does not change results.
        order = sorted(range(len(tasks)), key=lambda t: -costs[t])
        if exact_chunks:
            preload()
        by_task = {}
        with ProcessPoolExecutor(max_workers=config.workers) as pool:
            futures = {
                pool.submit(solve_task, tasks[t][1], config, tasks[t][2], tasks[t][3]): t
                for t in order
            }
            for future in as_completed(futures):
                t = futures[future]
                by_task[t] = future.result()
                solved_one(t)
        solved = [by_task[t] for t in range(len(tasks))]
    else:
        solved = []
        for t, (_, chunk, seed, mixed) in enumerate(tasks):
            solved.append(solve_task(chunk, config, seed, mixed))
            solved_one(t)
    searched = time.perf_counter()
    groups: list[list[int]] = []
    left: list[int] = []
    for b in range(len(blocks)):
        mine = [result for task, result in zip(tasks, solved, strict=True) if task[0] == b]
        block_groups = [g for found, _ in mine for g in found]
        block_left = [i for _, leftovers in mine for i in leftovers]
        if block_left:
            block_groups, block_left = _place_block_leftovers(
                block_groups,
                block_left,
                by_id,
                config,
                _chunk_seed(config.seed, b, -1),
                blocks[b][0].mixed,
            )
        groups.extend(block_groups)
        left.extend(block_left)
    if left:
        groups, left = _second_chance(groups, left, by_id, config)
    described = tuple(
        describe(key, [by_id[i] for i in members], config.weights)
        for key, members in enumerate(groups)
    )
    unplaced: tuple[Unplaced, ...] = ()
    if left:
        index = ReasonIndex(people)
        unplaced = tuple(Unplaced(i, index.reason(i, config)) for i in sorted(left))
    scores = [g.score for g in described]
    return Formation(
        groups=described,
        unplaced=unplaced,
        worst_score=min(scores) if scores else 0.0,
        mean_score=float(np.mean(scores)) if scores else 0.0,
        stats={
            "blocks": len(blocks),
            "chunks": len(tasks),
            "exact_chunks": exact_chunks,
            "exact_time_limit": config.exact_time_limit,
            "partition_s": partitioned - started,
            "search_s": searched - partitioned,
            "total_s": time.perf_counter() - started,
        },
    )


def _cost(size: int, config: Config) -> float:
    """A rough guess of a chunk's solving time, to schedule the longest first."""
    if config.exact_up_to <= 0 or size > config.exact_up_to:  # not solved exactly
        return size / 100
    return size / 100 + config.exact_time_limit * (size / config.exact_up_to) ** 2


def solve_task(people, config, seed, mixed):
    """One chunk: the heuristic, then, for at most ``config.exact_up_to`` people, CP-SAT
    started from the heuristic's groups; the better of the two (people placed, worst score,
    mean score) is kept."""
    groups, left = solve_chunk(people, config, seed, mixed)
    if not 0 < len(people) <= config.exact_up_to:
        return groups, left
    position = {p.id: k for k, p in enumerate(people)}
    found = exact_groups(people, config, [[position[i] for i in g] for g in groups])
    if found is None:
        return groups, left
    P = pair_scores(people, config.weights)

    def key(candidate):
        scores = [
            float(P[np.ix_(g, g)].sum() - np.trace(P[np.ix_(g, g)])) / (len(g) * (len(g) - 1))
            for g in candidate
        ]
        return (sum(map(len, candidate)), min(scores, default=0.0), float(np.mean(scores or [0])))

    if key(found) <= key([[position[i] for i in g] for g in groups]):
        return groups, left
    ids = [p.id for p in people]
    placed = {k for g in found for k in g}
    return (
        [sorted(ids[k] for k in g) for g in found],
        sorted(ids[k] for k in range(len(people)) if k not in placed),
    )


def _chunk_seed(seed: int, block: int, chunk: int) -> int:
    return (seed * 1_000_003 + block * 10_007 + chunk + 1) % (2**63)


def _place_block_leftovers(groups, left, by_id, config, seed, mixed):
    """Leftovers of a block's chunks get a second chance in a search over themselves and the
    groups of the block that share an hour with one of them (bounded so that a few leftovers
    among thousands of groups stay fast)."""
    reach = 0
    for i in left:
        reach |= by_id[i].availability
    budget = max(0, config.block_size - len(left)) // config.max_size
    near: list[list[int]] = []
    rest: list[list[int]] = []
    for members in groups:
        common = reach
        for i in members:
            common &= by_id[i].availability
        (near if common and len(near) < budget else rest).append(members)
    people = [by_id[i] for g in near for i in g] + [by_id[i] for i in left]
    search = ChunkSearch(people, config, seed, mixed)
    position = {p.id: k for k, p in enumerate(people)}
    for members in near:
        search.add_group([position[i] for i in members])
    search.place_leftovers()
    ids = [p.id for p in people]
    placed = [sorted(ids[k] for k in members) for members in search.groups]
    return rest + placed, sorted(ids[k] for k in search.unassigned().tolist())


def _second_chance(groups, left, by_id, config):
    """Per cohort, leftovers of all blocks together (an in-person-only person may pair with
    people who also accept in person but went to video), joined by one spare member of each
    group above the minimum that could join them; groups must contain a leftover."""
    cohort_of = {i: by_id[i].cohort for i in left}
    kept: list[list[int]] = []
    remaining: list[int] = []
    by_cohort: dict = {}
    for i in left:
        by_cohort.setdefault(cohort_of[i], []).append(i)
    groups_by_cohort: dict = {}
    for members in groups:
        groups_by_cohort.setdefault(by_id[members[0]].cohort, []).append(members)
    for cohort, cohort_groups in groups_by_cohort.items():
        if cohort not in by_cohort:
            kept.extend(cohort_groups)
    for cohort in sorted(by_cohort, key=lambda c: (c is not None, c or "")):
        waiting = by_cohort[cohort]
        reach = 0
        for i in waiting:
            reach |= by_id[i].availability
        budget = max(0, config.block_size - len(waiting))
        spares: dict[int, int] = {}
        untouched = []
        for g, members in enumerate(groups_by_cohort.get(cohort, [])):
            spare = None
            if len(spares) < budget and len(members) > config.min_size:
                spare = _spare(members, by_id, reach)
            if spare is None:
                untouched.append(members)
            else:
                spares[spare] = g
        people = [by_id[i] for i in waiting] + [by_id[i] for i in spares]
        search = ChunkSearch(people, config, _chunk_seed(config.seed, -1, len(kept)), mixed=True)
        search.construct(np.arange(len(people)), seeds=set(range(len(waiting))))
        ids = [p.id for p in people]
        used = {ids[k] for members in search.groups for k in members}
        for g, members in enumerate(groups_by_cohort.get(cohort, [])):
            if members not in untouched:
                untouched.append([i for i in members if i not in used or spares.get(i) != g])
        kept.extend(untouched)
        kept.extend(sorted(ids[k] for k in members) for members in search.groups)
        remaining.extend(i for i in waiting if i not in used)
    return kept, sorted(remaining)


def _spare(members, by_id, reach):
    """A member the group can give away (still valid without them) sharing an hour with the
    leftovers, or ``None``."""
    from .rules import isolated

    for i in members:
        if by_id[i].availability & reach:
            rest = [by_id[j] for j in members if j != i]
            if not isolated(rest):
                return i
    return None
