"""Benchmark of peer-group formation (matchcore.peers).

Usage::

    python bench/group_formation.py --participants N [--seed S]
    python bench/group_formation.py --quick
    python bench/group_formation.py --compare

A synthetic population is drawn with the seed: 70% of people in cohorts (programme sessions
of 8–150), French for most (some also English, a few Arabic + French or English only); half
meet by video only, a fifth in person only, the rest either, in 20 départements (skewed);
weekly hours drawn from life patterns (employed: evenings, lunch breaks, Saturday mornings;
job seekers: mornings and afternoons) plus a few random hours; stages, project types,
rhythms and 1–3 sectors (ROME grands domaines) with realistic skews; 15% declare an
attribute, 60% of them asking not to be its only holder. The last line is one JSON object::

    {"participants": N, "seconds": ..., "groups": ..., "unplaced": ...,
     "worst_group_score": ..., "mean_group_score": ..., "hard_violations": 0}

``hard_violations`` is counted by :func:`check`, written here from the rules of issue #7
without the engine's code. ``--compare`` runs (1) the gap study: the engine as in production
(default config: a cohort of ≤ 30 people alone goes through CP-SAT for up to 40 units of
deterministic time) against ``solve_exact`` with 10 s per phase, on 50 seeds of 12–30
participants (one cohort, one language, mixed modes), people placed reported apart from the
score gaps; and (2) a
fair baseline — random valid start (random order, first fit into groups that keep a shared
hour, language and way to meet; groups too small or isolating someone dissolved) + random
pairwise swaps that keep both groups valid — given the same time as the engine, on 1,000 and
10,000 people. Target: 10,000 participants in ≤ 30 s on 2 cores.

Figures (2 idle cores, 2026-12-05; ``/usr/bin/time`` for wall, CPU and peak memory):
- ``--participants 10000``, seeds 0-4: 12.9 / 17.6 / 16.5 / 15.2 / 14.8 s (at most 19 s
  wall, 35 s CPU on 2 workers, 134 MB); seed 0: 8,534 placed (1,466 unplaced, 436
  ``no_room``), 2,036 groups, worst 0.3167, mean 0.7967, 0 violations.
- ``--quick``: 1,719 of 2,000 placed, worst 0.4256, mean 0.7711, 0 violations, 3.9 s.
- ``--compare``: same people placed as CP-SAT on 50/50 seeds, worst-group gap 0.00 % on
  50/50 (see docs/adr/0005). Baseline (0 violations, same time as ours): 1,000 → 560 placed
  vs 838 (worst 0.6377 / mean 0.8616 vs 0.3611 / 0.7494); 10,000 → 5,592 vs 8,534 (worst
  0.35 / mean 0.6123 vs 0.3167 / 0.7967).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchcore.peers.exact import solve_exact  # noqa: E402
from matchcore.peers.formation import form_groups  # noqa: E402
from matchcore.peers.model import (  # noqa: E402
    Config,
    Mode,
    Participant,
    ProjectType,
    Rhythm,
    Stage,
    hours,
)
from matchcore.peers.rules import group_score, pair_scores  # noqa: E402

PLACES = tuple(f"{n:02d}" for n in (75, 69, 13, 31, 33, 44, 59, 67, 34, 35, *range(1, 11)))
SECTORS = tuple("ABCDEFGHIJKLMN")
ATTRIBUTES = ("single_parent", "over_50", "disability", "career_break")


def _availability(rng: np.random.Generator) -> int:
    mask = 0
    employed = rng.random() < 0.6
    patterns = (
        [lambda d: hours(d, 18, 21), lambda d: hours(d, 12, 14)]
        if employed
        else [lambda d: hours(d, 9, 12), lambda d: hours(d, 14, 17)]
    )
    for pattern in rng.choice(len(patterns), size=rng.integers(1, 3), replace=False):
        for day in rng.choice(5, size=rng.integers(1, 5), replace=False):
            mask |= patterns[int(pattern)](int(day))
    if rng.random() < 0.3:
        mask |= hours(5, 9, 12)
    for extra in rng.choice(7 * 24, size=rng.integers(0, 4), replace=False):
        mask |= 1 << int(extra)
    return mask


def population(n: int, seed: int = 0, cohorts: bool = True) -> list[Participant]:
    rng = np.random.default_rng(seed)
    place_weights = 1.0 / np.arange(1, len(PLACES) + 1)
    place_weights /= place_weights.sum()
    cohort_of: list[str | None] = []
    while cohorts and len(cohort_of) < 0.7 * n:
        cohort_of += [f"c{len(set(cohort_of))}"] * int(rng.integers(8, 151))
    cohort_of = (cohort_of + [None] * n)[:n]
    rng.shuffle(cohort_of)
    people = []
    for i in range(n):
        draw = rng.random()
        languages = (
            ("fr",)
            if draw < 0.9
            else ("fr", "en")
            if draw < 0.96
            else ("ar", "fr")
            if draw < 0.98
            else ("en",)
        )
        mode = (Mode.VIDEO, Mode.IN_PERSON, Mode.EITHER)[rng.choice(3, p=(0.5, 0.2, 0.3))]
        attribute = ATTRIBUTES[rng.integers(4)] if rng.random() < 0.15 else None
        people.append(
            Participant(
                id=i,
                availability=_availability(rng),
                languages=languages,
                stage=Stage(int(rng.choice(4, p=(0.35, 0.3, 0.2, 0.15)))),
                project_type=tuple(ProjectType)[rng.choice(4, p=(0.5, 0.2, 0.2, 0.1))],
                sectors=frozenset(
                    SECTORS[j] for j in rng.choice(14, size=rng.integers(1, 4), replace=False)
                ),
                rhythm=Rhythm.WEEKLY if rng.random() < 0.4 else Rhythm.MONTHLY,
                mode=mode,
                place=PLACES[rng.choice(len(PLACES), p=place_weights)],
                attribute=attribute,
                avoid_isolation=attribute is not None and rng.random() < 0.6,
                cohort=cohort_of[i],
            )
        )
    return people


def check(groups: list[tuple[int, ...]], people: list[Participant], config: Config) -> int:
    """Hard violations, counted from the rules of the issue (one per broken rule per group,
    plus one per person placed twice or unknown)."""
    by_id = {p.id: p for p in people}
    seen = Counter(i for members in groups for i in members)
    count = sum(c - 1 for c in seen.values() if c > 1) + sum(1 for i in seen if i not in by_id)
    for members in groups:
        group = [by_id[i] for i in members if i in by_id]
        if not config.min_size <= len(group) <= config.max_size:
            count += 1
        if len({p.cohort for p in group}) > 1:
            count += 1
        if not any(all(p.availability >> h & 1 for p in group) for h in range(168)):
            count += 1
        if not set.intersection(*(set(p.languages) for p in group)):
            count += 1
        video = all(p.mode & Mode.VIDEO for p in group)
        in_person = (
            all(p.mode & Mode.IN_PERSON for p in group) and len({p.place for p in group}) == 1
        )
        if not (video or in_person):
            count += 1
        for p in group:
            others = [q for q in group if q is not p and q.attribute == p.attribute]
            if p.avoid_isolation and not others:
                count += 1
    return count


def run(n: int, seed: int, config: Config | None = None) -> dict:
    people = population(n, seed)
    config = config or Config(seed=seed)
    started = time.perf_counter()
    result = form_groups(people, config)
    seconds = time.perf_counter() - started
    groups = [g.members for g in result.groups]
    reasons = Counter(u.reason.value for u in result.unplaced)
    print(
        f"{n:,} participants: {seconds:.2f} s ({result.stats['chunks']} chunks in "
        f"{result.stats['blocks']} blocks, search {result.stats['search_s']:.2f} s), "
        f"{len(groups):,} groups, sizes {dict(sorted(Counter(map(len, groups)).items()))}, "
        f"unplaced {len(result.unplaced)} {dict(reasons)}"
    )
    return {
        "participants": n,
        "seconds": round(seconds, 3),
        "groups": len(groups),
        "unplaced": len(result.unplaced),
        "placed": n - len(result.unplaced),
        "worst_group_score": round(result.worst_score, 4),
        "mean_group_score": round(result.mean_score, 4),
        "hard_violations": check(groups, people, config),
    }


def small_instance(seed: int) -> list[Participant]:
    """≤ 30 people of one cohort and one language (the exact solver's home ground)."""
    rng = random.Random(seed)
    people = population(rng.randint(12, 30), seed, cohorts=False)
    return [
        Participant(**{**p.__dict__, "languages": ("fr",), "cohort": None, "place": "75"})
        for p in people
    ]


def gap_study(seeds: int = 50, time_limit: float = 10.0) -> dict:
    """The engine as run in production (``form_groups`` with the default config: CP-SAT with
    a short deterministic budget on these ≤ 30-people blocks, the heuristic otherwise)
    against ``solve_exact`` with ``time_limit`` seconds per phase (proven optimal where it
    can). People placed and scores are reported apart; the score gap (worst group, then
    mean) is over the seeds where both place the same number of people."""
    rows = []
    for seed in range(seeds):
        people = small_instance(seed)
        config = Config(seed=seed)
        started = time.perf_counter()
        ours = form_groups(people, config)
        ours_s = time.perf_counter() - started
        exact = solve_exact(people, config, time_limit=time_limit)
        placed_ours = sum(len(g.members) for g in ours.groups)
        placed_exact = sum(len(g.members) for g in exact.groups)
        worst_gap = 100 * (exact.worst_score - ours.worst_score) / max(exact.worst_score, 1e-9)
        mean_gap = 100 * (exact.mean_score - ours.mean_score) / max(exact.mean_score, 1e-9)
        rows.append(
            {
                "n": len(people),
                "placed": (placed_ours, placed_exact),
                "optimal": bool(exact.stats.get("optimal", 0)),
                "worst_gap": worst_gap,
                "mean_gap": mean_gap,
                "seconds": ours_s,
                "violations": check([g.members for g in ours.groups], people, config),
            }
        )
        print(
            f"  seed {seed}: n={len(people)} placed ours/exact {placed_ours}/{placed_exact} "
            f"worst {ours.worst_score:.4f}/{exact.worst_score:.4f} "
            f"mean {ours.mean_score:.4f}/{exact.mean_score:.4f} "
            f"optimal={rows[-1]['optimal']} ours {ours_s:.2f} s"
        )
    same = [r for r in rows if r["placed"][0] == r["placed"][1]]
    worst = [max(0.0, r["worst_gap"]) for r in same]
    return {
        "seeds": seeds,
        "exact_optimal_proven": sum(r["optimal"] for r in rows),
        "placed_fewer": sum(r["placed"][0] < r["placed"][1] for r in rows),
        "placed_more": sum(r["placed"][0] > r["placed"][1] for r in rows),
        "placed_missing_total": sum(max(0, r["placed"][1] - r["placed"][0]) for r in rows),
        "same_placed": len(same),
        "worst_gap_pct_mean": round(float(np.mean(worst)), 3) if worst else None,
        "worst_gap_pct_max": round(float(np.max(worst)), 3) if worst else None,
        "mean_gap_pct_mean": round(float(np.mean([r["mean_gap"] for r in same])), 3)
        if same
        else None,
        "within_2pct_worst": sum(g <= 2.0 for g in worst),
        "ours_seconds_max": round(max(r["seconds"] for r in rows), 2),
        "hard_violations": sum(r["violations"] for r in rows),
    }


def _valid(group: list[Participant], config: Config) -> bool:
    return check([tuple(p.id for p in group)], group, config) == 0


def _can_grow(group: list[Participant], person: Participant) -> bool:
    """``person`` can join ``group`` without breaking a constraint a bigger group cannot fix
    (cohort, a shared hour, a shared language, a way to meet); sizes and the attribute rule
    are checked on the finished groups."""
    trial = [*group, person]
    if len({p.cohort for p in trial}) > 1:
        return False
    if not functools.reduce(lambda a, p: a & p.availability, trial, (1 << 168) - 1):
        return False
    if not set.intersection(*(set(p.languages) for p in trial)):
        return False
    video = all(p.mode & Mode.VIDEO for p in trial)
    in_person = all(p.mode & Mode.IN_PERSON for p in trial) and len({p.place for p in trial}) == 1
    return video or in_person


def swap_baseline(people: list[Participant], config: Config, seconds: float, seed: int) -> dict:
    """A fair baseline: a random VALID start — people in random order, each put into the first
    open group (below the maximum size) it can join, else a new one; finished groups that are
    too small or isolate someone are dissolved — then random pairwise swaps between groups of
    one cohort, applied only when both groups stay valid and (worst of the two, sum of the
    two) improves, until ``seconds`` run out."""
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    order = people[:]
    rng.shuffle(order)
    formed: list[list[Participant]] = []
    open_by_cohort: dict = {}
    for person in order:
        room = open_by_cohort.setdefault(person.cohort, [])
        for group in room:
            if _can_grow(group, person):
                group.append(person)
                if len(group) == config.max_size:
                    room.remove(group)
                break
        else:
            formed.append([person])
            room.append(formed[-1])
    groups = [g for g in formed if _valid(g, config)]
    index = {p.id: k for k, p in enumerate(people)}
    pair = pair_scores(people, config.weights) if len(people) <= 3000 else None

    def score(group):
        if pair is None:
            return group_score(group, config.weights)
        ids = [index[p.id] for p in group]
        return float(pair[np.ix_(ids, ids)].sum() / 2 / (len(ids) * (len(ids) - 1) / 2))

    scores = [score(g) for g in groups]
    by_cohort: dict = {}
    for g, group in enumerate(groups):
        by_cohort.setdefault(group[0].cohort, []).append(g)
    pools = [gs for gs in by_cohort.values() if len(gs) > 1]
    swaps = tries = 0
    while pools and time.perf_counter() < deadline:
        tries += 1
        a, b = rng.sample(rng.choice(pools), 2)
        i, j = rng.randrange(len(groups[a])), rng.randrange(len(groups[b]))
        new_a = [*groups[a][:i], groups[b][j], *groups[a][i + 1 :]]
        new_b = [*groups[b][:j], groups[a][i], *groups[b][j + 1 :]]
        if not (_valid(new_a, config) and _valid(new_b, config)):
            continue
        sa, sb = score(new_a), score(new_b)
        if (min(sa, sb), sa + sb) > (min(scores[a], scores[b]), scores[a] + scores[b]):
            groups[a], groups[b], scores[a], scores[b] = new_a, new_b, sa, sb
            swaps += 1
    return {
        "groups": len(groups),
        "placed": sum(map(len, groups)),
        "swaps": swaps,
        "tries": tries,
        "hard_violations": check([tuple(p.id for p in g) for g in groups], people, config),
        "worst_group_score": round(min(scores), 4) if scores else None,
        "mean_group_score": round(float(np.mean(scores)), 4) if scores else None,
    }


def compare(seed: int) -> dict:
    print("CP-SAT gap study (50 seeds, 12-30 participants, exact: 10 s per phase):")
    gap = gap_study()
    print(json.dumps(gap))
    baselines = []
    for n in (1_000, 10_000):
        row = run(n, seed)
        base = swap_baseline(population(n, seed), Config(seed=seed), row["seconds"], seed)
        print(f"  baseline with {row['seconds']} s: {base}")
        baselines.append({"participants": n, "ours": row, "baseline": base})
    return {"gap": gap, "baseline": baselines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="2,000 participants")
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    if args.compare:
        print(json.dumps(compare(args.seed)))
        return
    print(json.dumps(run(2_000 if args.quick else args.participants, args.seed)))


if __name__ == "__main__":
    main()
