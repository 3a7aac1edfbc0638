"""Benchmark of a mentoring round (matchcore.mentoring): scores, candidates, exact assignment.

Usage::

    python bench/mentor_assignment.py --mentees N --mentors M [--seed S]
        [--max-arcs A] [--k K] [--price-passes P] [--all-compatible]
    python bench/mentor_assignment.py --quick
    python bench/mentor_assignment.py --compare

A synthetic population (bench/mentor_population.py) is drawn with the seed, then the round is
timed end to end with the engine's defaults: mentor index, candidate graph (every compatible
pair with room when there are at most ``--max-arcs`` of them, the round then being exact;
else the top ``--k`` per mentee), min-cost flow, pricing passes of a pruned round (each one
a pass over every pair that adds the pairs the dual prices say could improve it, and bounds
what the round may miss), explanations. ``--max-arcs 0`` forces pruning. When the instance
is small enough (mentees × capacity ≤ 25 M cells) the dense exact solver (SciPy
``linear_sum_assignment`` on the capacity-expanded matrix) is run too and ``gap_pct`` is the
relative objective gap. ``round_peak_rss_mb`` is the process's high-water mark (``ru_maxrss``)
right after the round, population included, before the dense solver raises it;
``peak_rss_mb`` the same at the end. The last line is one JSON object::

    {"mentees": N, "mentors": M, "seconds": ..., "round_peak_rss_mb": ..., "peak_rss_mb": ...,
     "matched": ..., "objective": ..., "pruned": ..., "more_pairs_at_most": ...,
     "more_objective_at_most": ..., "exact_matched": ..., "exact_objective": ... or null,
     "gap_pct": ... or null}

``objective`` is the sum of integer-scaled scores (score × 10,000). ``--compare`` times the
round, the dense solver and the ``matching`` package's hospital–resident solver on the same
instances and reports the runtime ratios (and where one of them fails; the hospital–resident
solver runs in a child process stopped after 3 minutes).
Targets: 100,000 × 20,000 in ≤ 60 s and ≤ 4 GB; gap 0 whenever the round is not pruned
(every instance up to 5,000 × 1,000, ADR 0026).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mentor_population import population  # noqa: E402

from matchcore.mentoring.assignment import (  # noqa: E402
    DEFAULT_K,
    DEFAULT_PRICE_PASSES,
    EXACT_MAX_ARCS,
    assign_mentors,
)
from matchcore.mentoring.candidates import MentorIndex  # noqa: E402
from matchcore.mentoring.dense import dense_assignment, full_scores  # noqa: E402
from matchcore.mentoring.model import Mode, Weights  # noqa: E402

DENSE_CELLS_LIMIT = 25_000_000
HR_TIME_LIMIT_S = 180


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_round(
    n_mentees: int,
    n_mentors: int,
    seed: int,
    k: int = DEFAULT_K,
    max_arcs: int = EXACT_MAX_ARCS,
    price_passes: int = DEFAULT_PRICE_PASSES,
    all_compatible: bool = False,
) -> dict:
    started = time.perf_counter()
    mentees, mentors, exclusions = population(n_mentees, n_mentors, seed)
    if all_compatible:
        # The exact bound's worst case: every pair may be matched (French, remote, no
        # employer, no exclusion), so the graph has mentees × mentors arcs.
        common = {"languages": ("fr",), "mode": Mode.REMOTE, "employer": None}
        mentees = [dataclasses.replace(mentee, **common) for mentee in mentees]
        mentors = [dataclasses.replace(mentor, **common) for mentor in mentors]
        exclusions = []
    generated = time.perf_counter()
    index = MentorIndex.build(mentors)
    result = assign_mentors(
        mentees,
        index,
        Weights(),
        exclusions,
        k=k,
        max_arcs=max_arcs,
        price_passes=price_passes,
    )
    done = time.perf_counter()
    round_peak = peak_rss_mb()
    seconds = done - generated
    print(f"population {n_mentees:,} × {n_mentors:,} drawn in {generated - started:.1f} s")
    print(
        f"round: {seconds:.2f} s (candidates {result.stats['candidates_s']:.2f} s, "
        f"flow {result.stats['flow_s']:.2f} s, "
        f"pricing {result.stats['bound_s']:.2f} s in {result.stats['price_passes']} passes, "
        f"explanations {result.stats['explain_s']:.2f} s), "
        f"{result.candidate_arcs:,} candidate arcs, {len(result.matches):,} matched, "
        f"{len(result.unmatched):,} unmatched, peak RSS {round_peak:.0f} MB"
    )
    if result.pruned:
        print(
            f"pruned: at most {result.more_pairs_at_most} more pairs and "
            f"{result.more_objective_at_most} more objective over every pair"
            + (" (proven optimal)" if result.exact else "")
        )
    else:
        how = (
            "the complete graph solved whole"
            if result.stats["whole_flow"]
            else "its top-k graph proven optimal by the prices"
        )
        print(f"not pruned: every compatible pair with room in memory, exact ({how})")
    exact = exact_matched = None
    dense_seconds = None
    capacity_total = int(index.capacity.sum())
    if n_mentees * capacity_total <= DENSE_CELLS_LIMIT:
        dense_started = time.perf_counter()
        scores = full_scores(mentees, index, Weights(), exclusions)
        exact_matched, exact = dense_assignment(scores, index.capacity)
        dense_seconds = time.perf_counter() - dense_started
        print(f"dense exact solver: {dense_seconds:.2f} s, {exact_matched:,} matched")
    gap = None if exact is None else round(100 * (exact - result.objective) / max(exact, 1), 4)
    return {
        "mentees": n_mentees,
        "mentors": n_mentors,
        "seconds": round(seconds, 3),
        "round_peak_rss_mb": round(round_peak, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "candidate_arcs": result.candidate_arcs,
        "matched": len(result.matches),
        "objective": result.objective,
        "pruned": result.pruned,
        "more_pairs_at_most": result.more_pairs_at_most,
        "more_objective_at_most": result.more_objective_at_most,
        "exact_matched": exact_matched,
        "exact_objective": exact,
        "gap_pct": gap,
        "dense_seconds": None if dense_seconds is None else round(dense_seconds, 3),
        "_mentees": mentees,
        "_index": index,
        "_exclusions": exclusions,
    }


def hospital_resident(mentees, index, exclusions) -> tuple[float | None, int | None, str]:
    """The `matching` package's resident-optimal stable matching on the same compatibilities
    (preferences: mentors by score for each mentee, mentees by score for each mentor)."""
    from matching.games import HospitalResident

    started = time.perf_counter()
    scores = full_scores(mentees, index, Weights(), exclusions)
    resident_prefs, hospital_prefs = {}, {}
    for i in range(len(mentees)):
        compatible = [j for j in scores[i].argsort(kind="stable")[::-1] if scores[i, j] >= 0]
        if compatible:  # the package rejects empty preference lists
            resident_prefs[i] = [f"m{j}" for j in compatible if index.capacity[j] > 0]
    for j in range(len(index)):
        column = scores[:, j]
        order = column.argsort(kind="stable")[::-1]
        if index.capacity[j] > 0:
            hospital_prefs[f"m{j}"] = [int(i) for i in order if column[i] >= 0]
    resident_prefs = {i: prefs for i, prefs in resident_prefs.items() if prefs}
    capacities = {name: int(index.capacity[int(name[1:])]) for name in hospital_prefs}
    # Its solver recurses once per proposal: the default limit (1,000) is far too low.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50 * len(mentees) + 10_000))
    try:
        with warnings.catch_warnings():  # one warning per player with a short list
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, capacities
            )
            matching = game.solve(optimal="resident")
    except Exception as error:  # report any failure of the third-party solver as data
        return None, None, f"failed: {type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    objective = 0
    matched = 0
    for hospital, residents in matching.items():
        j = int(hospital.name[1:])
        for resident in residents:
            objective += int(scores[int(resident.name), j])
            matched += 1
    return seconds, objective, f"{matched:,} matched"


def hospital_resident_with_time_limit(mentees, index, exclusions):
    """:func:`hospital_resident` in a child process, stopped after ``HR_TIME_LIMIT_S``."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=lambda: sender.send(hospital_resident(mentees, index, exclusions)), daemon=True
    )
    child.start()
    if receiver.poll(HR_TIME_LIMIT_S):
        result = receiver.recv()
        child.join()
        return result
    child.terminate()
    child.join()
    return None, None, f"stopped after {HR_TIME_LIMIT_S} s without a result"


def compare(seed: int) -> dict:
    rows = []
    for n_mentees, n_mentors in ((500, 125), (2000, 500), (5000, 1000)):
        row = run_round(n_mentees, n_mentors, seed)
        hr_seconds, hr_objective, hr_note = hospital_resident_with_time_limit(
            row.pop("_mentees"), row.pop("_index"), row.pop("_exclusions")
        )
        row["hr_seconds"] = None if hr_seconds is None else round(hr_seconds, 3)
        row["hr_objective"] = hr_objective
        row["hr_note"] = hr_note
        row["dense_over_round"] = (
            None
            if row["dense_seconds"] is None
            else round(row["dense_seconds"] / row["seconds"], 2)
        )
        row["hr_over_round"] = None if hr_seconds is None else round(hr_seconds / row["seconds"], 2)
        print(
            f"  {n_mentees:,} × {n_mentors:,}: round {row['seconds']} s, dense ×"
            f"{row['dense_over_round']}, hospital–resident ×{row['hr_over_round']} ({hr_note}),"
            f" gap {row['gap_pct']} %"
        )
        rows.append(row)
    return {"compare": rows, "peak_rss_mb": round(peak_rss_mb(), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=100_000)
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--k", type=int, default=DEFAULT_K, help="candidates per mentee when pruned"
    )
    parser.add_argument(
        "--max-arcs",
        type=int,
        default=EXACT_MAX_ARCS,
        help="largest graph solved whole (0: always prune)",
    )
    parser.add_argument(
        "--price-passes",
        type=int,
        default=DEFAULT_PRICE_PASSES,
        help="passes over every pair after a pruned round (0: no bound)",
    )
    parser.add_argument(
        "--all-compatible",
        action="store_true",
        help="every pair compatible: the exact bound's worst case",
    )
    parser.add_argument(
        "--quick", action="store_true", help="20,000 × 4,000 (beyond the exact bound)"
    )
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    if args.compare:
        print(json.dumps(compare(args.seed)))
        return
    if args.quick:
        args.mentees, args.mentors = 20_000, 4_000
    row = run_round(
        args.mentees,
        args.mentors,
        args.seed,
        args.k,
        args.max_arcs,
        args.price_passes,
        args.all_compatible,
    )
    for private in ("_mentees", "_index", "_exclusions", "dense_seconds"):
        row.pop(private)
    print(json.dumps(row))


if __name__ == "__main__":
    main()
