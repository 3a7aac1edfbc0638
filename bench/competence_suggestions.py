"""Benchmark of the compétences a réussite suggests, over the full ROME (ADR 0040).

Usage::

    python bench/competence_suggestions.py [--quick] [--set PATH] [--engine rome|tfidf]
                                           [--source ROME_FOLDER] [--show-misses]

The engine is built straight from the ROME open-data CSVs (default: $ROME_SOURCE, else
../shared/data/rome-v460), from the same rows the application reads from its database: no
database and no Django settings are needed.

Sets (``[{"text": str, "expect": [{"kind", "code_ogr", "label"}, ...]}]``):

* ``bench/data/reussites_dev.json`` — réussites written for this, the engine was tuned on them;
* ``bench/data/reussites_holdout.json`` — written at the same time, never tuned on: the
  honest estimate; the last line gives its figures;

  in both, ``expect`` is what the réussite's author listed (``expect_author``, reported apart
  as "the authors' labels only") plus what a blind judge accepted among the first five of
  every engine measured (pooled judgements, as in TREC; ADR 0040 tells how);
* ``--set PATH`` — any other set in the same format: the last line gives its figures.

A réussite is a hit when an acceptable item is among the first 3 suggestions; p@5 is the
share of the first 5 that are acceptable, r@5 the share of the acceptable ones found in the
first 5. Latency is per réussite after a warm-up pass; rss_mb is the process's peak resident
memory once the engine is built (Python and NumPy included). The last line is one JSON
object: ``{"hit_at_3", "p_at_5", "r_at_5", "p95_ms", "rss_mb", ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tisser.referentiel.understanding import Understanding  # noqa: E402
from tisser.referentiel.understanding.rows import rome_text_from_csv  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "rome-v460"
DEV = ROOT / "bench" / "data" / "reussites_dev.json"
HOLDOUT = ROOT / "bench" / "data" / "reussites_holdout.json"
LIMIT = 5


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load_set(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        cases = json.load(handle)
    for number, case in enumerate(cases):
        if not case.get("text") or not case.get("expect"):
            raise SystemExit(f"{path}: entry {number} needs a text and an expect list")
    return cases


def tfidf_engine(rome):
    """Tisser's engine before ADR 0040 (TF-IDF over labels), for comparison."""
    from tisser.bilans.suggestions import COMPETENCE, ItemRow, RomeItemIndex

    index = RomeItemIndex.from_rows(
        ItemRow(kind, code, label) for kind, code, label in rome.items if kind == COMPETENCE
    )
    return lambda text: [(found.kind, found.code_ogr, found.label) for found in index.suggest(text)]


def rome_engine(engine: Understanding):
    return lambda text: [
        (found.kind, found.code_ogr, found.label) for found in engine.suggest(text, limit=LIMIT)
    ]


def evaluate(
    suggest, cases: list[dict], *, repeats: int, show_misses: bool, key: str = "expect"
) -> dict:
    hits = precision = recall = 0.0
    for case in cases:
        acceptable = {
            (item["kind"], int(item["code_ogr"])) for item in case.get(key) or case["expect"]
        }
        got = [(kind, code) for kind, code, _label in suggest(case["text"])[:LIMIT]]
        hit = any(item in acceptable for item in got[:3])
        hits += hit
        precision += sum(item in acceptable for item in got) / LIMIT
        recall += len(acceptable & set(got)) / len(acceptable)
        if show_misses and not hit:
            labels = [label[:50] for _k, _c, label in suggest(case["text"])[:3]]
            print(f"  miss: {case['text'][:90]!r}\n        got {labels}")
    timings = [0.0]
    for _ in range(repeats):
        for case in cases:
            started = time.perf_counter()
            suggest(case["text"])
            timings.append((time.perf_counter() - started) * 1000)
    count = len(cases)
    return {
        "hit_at_3": round(hits / count, 3),
        "p_at_5": round(precision / count, 3),
        "r_at_5": round(recall / count, 3),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(p95(timings), 2),
        "n": count,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, help="an external set (see the module docstring)")
    parser.add_argument("--source", type=Path, help="folder of the ROME open-data CSVs")
    parser.add_argument("--engine", choices=("rome", "tfidf"), default="rome")
    parser.add_argument("--quick", action="store_true", help="one timing pass")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    source = args.source or Path(os.environ.get("ROME_SOURCE") or DEFAULT_SOURCE)
    if not source.exists():
        print(f"ROME data not found in {source}", file=sys.stderr)
        return 2

    rome = rome_text_from_csv(source)
    started = time.perf_counter()
    engine = Understanding.build(rome)
    build_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        engine.save(Path(folder))
        started = time.perf_counter()
        engine = Understanding.load(Path(folder))
        load_s = time.perf_counter() - started
    suggest = rome_engine(engine) if args.engine == "rome" else tfidf_engine(rome)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    repeats = 1 if args.quick else 5

    print(f"engine: {args.engine}; ROME from {source}")
    print(f"build: {build_s:.2f} s; load from the disk cache: {load_s:.2f} s; rss {rss_mb:.0f} MB")
    sets = [("dev (tuned on)", DEV), ("hold-out", HOLDOUT)]
    if args.set:
        sets = [(str(args.set), args.set)]
    figures = {}
    for name, path in sets:
        cases = load_set(path)
        if any("expect_author" in case for case in cases):
            strict = evaluate(suggest, cases, repeats=0, show_misses=False, key="expect_author")
            print(
                f"{name}, the authors' labels only: hit@3 {strict['hit_at_3']:.1%}, "
                f"p@5 {strict['p_at_5']:.1%}, r@5 {strict['r_at_5']:.1%}"
            )
        figures = evaluate(suggest, cases, repeats=repeats, show_misses=args.show_misses)
        print(
            f"{name}: hit@3 {figures['hit_at_3']:.1%}, p@5 {figures['p_at_5']:.1%}, "
            f"r@5 {figures['r_at_5']:.1%} over {figures['n']} réussites; "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "hit_at_3": figures["hit_at_3"],
                "p_at_5": figures["p_at_5"],
                "r_at_5": figures["r_at_5"],
                "p95_ms": figures["p95_ms"],
                "rss_mb": round(rss_mb, 1),
                "build_s": round(build_s, 2),
                "load_s": round(load_s, 2),
                "n": figures["n"],
                "engine": args.engine,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
