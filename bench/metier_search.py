"""Benchmark of the métier search engine: quality and latency over the full ROME.

Usage::

    python bench/metier_search.py [--quick] [--show-misses] [SOURCE]

SOURCE is the folder of the ROME open data CSVs (default: $ROME_SOURCE, else
../shared/data/rome-v460). The index is built straight from the CSVs with
``MetierIndex.from_rows``: no database and no Django settings are needed.

Two evaluation sets:

* **noisy appellations** — appellations drawn from the référentiel with a fixed seed and
  typed the way people type: lowercase, no accents, one gender form, one typo in a word of
  five letters or more. Expected: the appellation's fiche.
* **typed queries** — hand-written queries (``bench/data/metier_queries_typed.tsv``) with
  the set of acceptable fiches; the engine was tuned on them.
* **typed queries, held out** — more hand-written queries
  (``bench/data/metier_queries_typed_holdout.tsv``), written once the tuning was done and
  never tuned on: the honest estimate for queries nobody has seen.
* **descriptions** — what people write when they do not know the title ("je répare des
  vélos", "SAP et gestion des stocks", "product owner"), with their acceptable fiches
  (``bench/data/metier_descriptions_dev.json``, tuned on, and ``…_holdout.json``, never
  tuned on; ADR 0040). ``--set PATH`` replaces all sets by one in that JSON format.

The search measured is the application's: titles and descriptions merged (ADR 0040);
``--titles-only`` measures the title search alone, as before.

Latency is measured per query after one warm-up pass over the same set. Human-readable lines
come first, then one JSON object with every set's figures; the last line is
``{"top1": ..., "top5": ..., "p95_ms": ...}`` for the last set (the descriptions' hold-out,
or ``--set``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tisser.referentiel.search import MetierIndex  # noqa: E402
from tisser.referentiel.search.index import DEFAULT_LIMIT  # noqa: E402
from tisser.referentiel.search.merged import (  # noqa: E402
    DESCRIPTION_CANDIDATES,
    TITLE_CANDIDATES,
    merge,
)
from tisser.referentiel.understanding import Understanding  # noqa: E402
from tisser.referentiel.understanding.rows import rome_text_from_csv  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "rome-v460"
TYPED_QUERIES = ROOT / "bench" / "data" / "metier_queries_typed.tsv"
TYPED_QUERIES_HOLDOUT = ROOT / "bench" / "data" / "metier_queries_typed_holdout.tsv"
DESCRIPTIONS_DEV = ROOT / "bench" / "data" / "metier_descriptions_dev.json"
DESCRIPTIONS_HOLDOUT = ROOT / "bench" / "data" / "metier_descriptions_holdout.json"
METIERS_CSV = "unix_referentiel_code_rome_v460_utf8.csv"
APPELLATIONS_CSV = "unix_referentiel_appellation_v460_utf8.csv"
SEED = 20250918
NOISY_SAMPLE = 2000
NOISY_SAMPLE_QUICK = 400
MIN_TYPO_WORD_LENGTH = 5


@dataclass(frozen=True)
class Case:
    query: str
    acceptable: frozenset[str]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_index(source: Path) -> tuple[MetierIndex, list[dict[str, str]], float]:
    metier_rows = read_csv(source / METIERS_CSV)
    appellation_rows = read_csv(source / APPELLATIONS_CSV)
    started = time.perf_counter()
    index = MetierIndex.from_rows(
        ((row["code_rome"], row["libelle_rome"]) for row in metier_rows),
        (
            (row["code_rome"], row["libelle_appellation_long"], row["libelle_appellation_court"])
            for row in appellation_rows
        ),
    )
    return index, appellation_rows, time.perf_counter() - started


# -- noisy appellations --------------------------------------------------------------------


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def one_gender_form(label: str, rng: random.Random) -> str:
    """Pick the masculine or feminine side of a "Masculin / Féminin complément" label.

    Deliberately naive (and independent of the engine's own splitting): the masculine side
    takes the feminine side's words past its own word count; glued "(e)" suffixes are dropped.
    """
    label = re.sub(r"(\w)\(\w{1,5}\)", r"\1", label)
    parts = label.split(" / ")
    if len(parts) != 2:
        return label
    left, right = parts[0].split(), parts[1].split()
    masculine = " ".join(left + right[len(left) :])
    return rng.choice([masculine, parts[1]])


def one_typo(text: str, rng: random.Random) -> str:
    """Insert, delete, substitute or transpose one letter in one word of 5+ letters."""
    words = text.split(" ")
    eligible = [
        position
        for position, word in enumerate(words)
        if len(word) >= MIN_TYPO_WORD_LENGTH and word.isalpha()
    ]
    if not eligible:
        return text
    position = rng.choice(eligible)
    word = words[position]
    letters = "abcdefghijklmnopqrstuvwxyz"
    operation = rng.choice(["insert", "delete", "substitute", "transpose"])
    cut = rng.randrange(1, len(word) - 1)
    if operation == "insert":
        word = word[:cut] + rng.choice(letters) + word[cut:]
    elif operation == "delete":
        word = word[:cut] + word[cut + 1 :]
    elif operation == "substitute":
        word = word[:cut] + rng.choice(letters.replace(word[cut], "")) + word[cut + 1 :]
    else:
        word = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
    words[position] = word
    return " ".join(words)


def noisy_appellations(rows: list[dict[str, str]], sample: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    chosen = rng.sample(rows, min(sample, len(rows)))
    cases = []
    for row in chosen:
        text = strip_accents(one_gender_form(row["libelle_appellation_long"], rng).lower())
        cases.append(Case(one_typo(text, rng), frozenset({row["code_rome"]})))
    return cases


# -- typed queries -------------------------------------------------------------------------


def described_queries(path: Path) -> list[Case]:
    """Read a JSON set ``[{"q": str, "expect": [code_rome, ...]}]``."""
    with path.open(encoding="utf-8") as handle:
        return [Case(entry["q"], frozenset(entry["expect"])) for entry in json.load(handle)]


def typed_queries(path: Path) -> list[Case]:
    """Read ``query<TAB>code code ...<TAB>comment`` lines; ``#`` starts a comment line."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, codes, *_comment = line.split("\t")
        cases.append(Case(query, frozenset(codes.split())))
    return cases


# -- evaluation ----------------------------------------------------------------------------


def evaluate(search, cases: list[Case], show_misses: bool) -> dict[str, float]:
    for case in cases:  # warm-up pass
        search(case.query)
    timings = []
    top1 = top5 = 0
    for case in cases:
        started = time.perf_counter()
        results = search(case.query)
        timings.append((time.perf_counter() - started) * 1000)
        codes = [result.code_rome for result in results]
        top1 += bool(codes[:1]) and codes[0] in case.acceptable
        found = any(code in case.acceptable for code in codes[:5])
        top5 += found
        if show_misses and not found:
            got = ", ".join(
                f"{r.code_rome} {r.matched_label or r.words} ({r.score})" for r in results[:3]
            )
            print(f"  miss: {case.query!r} want {sorted(case.acceptable)} got {got}")
    timings.sort()
    return {
        "top1": round(top1 / len(cases), 4),
        "top5": round(top5 / len(cases), 4),
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "max_ms": round(timings[-1], 3),
        "n": len(cases),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", default=os.environ.get("ROME_SOURCE"))
    parser.add_argument("--quick", action="store_true", help="smaller noisy sample (< 30 s)")
    parser.add_argument("--show-misses", action="store_true", help="print top-5 misses")
    parser.add_argument("--set", type=Path, help='an external set: [{"q": ..., "expect": [...]}]')
    parser.add_argument(
        "--titles-only", action="store_true", help="the title search alone (before ADR 0040)"
    )
    args = parser.parse_args(argv)
    source = Path(args.source) if args.source else DEFAULT_SOURCE
    if not (source / APPELLATIONS_CSV).exists():
        print(f"ROME data not found in {source}", file=sys.stderr)
        return 2

    index, appellation_rows, build_seconds = build_index(source)
    print(
        f"index: {index.fiche_count} fiches, {index.form_count} searchable forms, "
        f"built in {build_seconds:.2f} s"
    )
    started = time.perf_counter()
    engine = Understanding.build(rome_text_from_csv(source))
    print(f"reading engine built in {time.perf_counter() - started:.2f} s")

    def merged(query: str):
        return merge(
            index.search(query, limit=TITLE_CANDIDATES),
            engine.metiers(query, limit=DESCRIPTION_CANDIDATES),
            DEFAULT_LIMIT,
        )

    search = index.search if args.titles_only else merged
    sample = NOISY_SAMPLE_QUICK if args.quick else NOISY_SAMPLE
    figures: dict[str, object] = {}
    named_sets = [
        ("noisy_appellations", noisy_appellations(appellation_rows, sample, SEED)),
        ("typed_queries", typed_queries(TYPED_QUERIES)),
        ("typed_queries_holdout", typed_queries(TYPED_QUERIES_HOLDOUT)),
        ("descriptions_dev", described_queries(DESCRIPTIONS_DEV)),
        ("descriptions_holdout", described_queries(DESCRIPTIONS_HOLDOUT)),
    ]
    if args.set:
        named_sets = [(str(args.set), described_queries(args.set))]
    for name, cases in named_sets:
        result = evaluate(search, cases, args.show_misses)
        figures[name] = result
        print(
            f"{name}: top-1 {result['top1']:.1%}, top-5 {result['top5']:.1%} "
            f"over {result['n']} queries; latency p50 {result['p50_ms']} ms, "
            f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms"
        )
    figures["index_build_s"] = round(build_seconds, 3)
    figures["index_forms"] = index.form_count
    print(json.dumps(figures))
    last = figures[named_sets[-1][0]]
    print(json.dumps({"top1": last["top1"], "top5": last["top5"], "p95_ms": last["p95_ms"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
