"""Benchmark of mentor suggestions for one mentee (matchcore.mentoring.suggest).

Usage::

    python bench/mentor_suggestions.py [--mentors M] [--queries Q] [--k K] [--seed S] [--quick]

Draws M mentors (default 20,000) and Q mentees (default 300) from bench/mentor_population.py,
builds the mentor index once, then times ``suggest_mentors`` per mentee after a warm-up:
scores against every mentor, hard constraints, top-k with explanations. Human lines first;
the last line is one JSON object::

    {"mentors": M, "queries": Q, "k": K, "p50_ms": ..., "p95_ms": ..., "max_ms": ...,
     "index_build_s": ..., "peak_rss_mb": ...}

Target: p95 <= 100 ms over 20,000 mentors.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from mentor_population import population  # noqa: E402

from matchcore.mentoring.candidates import MentorIndex  # noqa: E402
from matchcore.mentoring.model import Weights  # noqa: E402
from matchcore.mentoring.suggest import suggest_mentors  # noqa: E402

WARM_UP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="100 queries")
    args = parser.parse_args()
    if args.quick:
        args.queries = 100
    mentees, mentors, exclusions = population(args.queries + WARM_UP, args.mentors, args.seed)
    started = time.perf_counter()
    index = MentorIndex.build(mentors)
    build_s = time.perf_counter() - started
    weights = Weights()
    for mentee in mentees[:WARM_UP]:
        suggest_mentors(mentee, index, weights, args.k, exclusions)
    timings = []
    empty = 0
    for mentee in mentees[WARM_UP:]:
        started = time.perf_counter()
        found = suggest_mentors(mentee, index, weights, args.k, exclusions)
        timings.append((time.perf_counter() - started) * 1000)
        empty += not found
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"index of {args.mentors:,} mentors built in {build_s:.2f} s")
    print(
        f"{args.queries} queries, top {args.k}: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; {empty} mentees with no suggestion"
    )
    print(
        json.dumps(
            {
                "mentors": args.mentors,
                "queries": args.queries,
                "k": args.k,
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(p95, 2),
                "max_ms": round(timings[-1], 2),
                "index_build_s": round(build_s, 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
