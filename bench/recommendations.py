"""Benchmark of the fiche métier recommender: latency of one profile against every fiche.

Usage::

    python bench/recommendations.py [--quick] [SOURCE]

SOURCE is the folder of the ROME open data CSVs (default: $ROME_SOURCE, else
../shared/data/rome-v460). The fiches are read straight from the CSVs with the csv module
(:func:`load_fiches`): no database and no Django settings are needed. When the folder is
absent, a synthetic population of 1,600 fiches with about 40 items each stands in, and the
output says so.

Profiles are drawn with a fixed seed the way bilans look: one or two current fiches, a
RIASEC profile leaning towards the first one's letters, part of its compétences held plus a
few from elsewhere. Latency is measured per query after a warm-up. Human-readable lines come
first; the last line is one JSON object:
``{"p95_ms": ..., "index_mb": ..., "build_s": ..., "n_fiches": ..., "source": ...}``.
Targets: p95 <= 50 ms, index <= 200 MB.

``bench/recommendations_db.py`` measures the same through the Django adapter
(``tisser.referentiel.recommendations``): the index built from an imported database, and
the page's explained results.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchcore.recommend import (  # noqa: E402
    RIASEC_ORDER,
    FicheData,
    Profile,
    RecommendationIndex,
)

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "rome-v460"
RIASEC_CSV = "unix_referentiel_code_rome_riasec_v460_utf8.csv"
LINKS_CSV = "unix_liens_rome_referentiels_v460_utf8.csv"
COHERENCE_CSV = "unix_coherence_item_v460_utf8.csv"
MOBILITY_CSV = "unix_rubrique_mobilite_v460_utf8.csv"
COMPETENCES_CSV = "unix_referentiel_competence_v460_utf8.csv"
SKILLS_BLOC = "5"
# Savoir-faire (1) and savoirs (3). Savoir-être professionnels (2) are left out: they are
# generic ("faire preuve de rigueur") and would blur the comparison of métiers.
SKILLS_RUBRIQUES = frozenset({"1", "3"})
CORE = "Principale"
SEED = 20251123
PROFILES = 300
PROFILES_QUICK = 100
SYNTHETIC_FICHES = 1600
SYNTHETIC_ITEMS = 40
TARGET_P95_MS = 50.0
TARGET_INDEX_MB = 200.0


def default_source() -> Path:
    return Path(os.environ.get("ROME_SOURCE") or DEFAULT_SOURCE)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_fiches(source: Path) -> list[FicheData]:
    """Every fiche of the ROME folder as engine input, in code order.

    Items are the bloc 5 links (savoir-faire and savoirs); cœur de métier items are those the
    coherence file marks "Principale", restricted to the fiche's items.
    """
    items: dict[str, list[int]] = {}
    for row in _rows(source / LINKS_CSV):
        if row["code_compo_bloc"] == SKILLS_BLOC and row["code_rubrique"] in SKILLS_RUBRIQUES:
            items.setdefault(row["code_rome"], []).append(int(row["code_ogr"]))
    core: dict[str, set[int]] = {}
    for row in _rows(source / COHERENCE_CSV):
        if row["coeur_metier"] == CORE:
            core.setdefault(row["code_rome"], set()).add(int(row["code_ogr"]))
    mobility: dict[str, list[tuple[int, str]]] = {}
    for row in _rows(source / MOBILITY_CSV):
        mobility.setdefault(row["code_rome"], []).append(
            (int(row["numero_ordre"] or 0), row["code_rome_cible"])
        )
    fiches = []
    for row in _rows(source / RIASEC_CSV):
        code = row["code_rome"]
        fiche_items = tuple(dict.fromkeys(items.get(code, ())))
        fiches.append(
            FicheData(
                code_rome=code,
                riasec_majeur=row["riasec_majeur"],
                riasec_mineur=row["riasec_mineur"] or None,
                items=fiche_items,
                core_items=frozenset(core.get(code, set()) & set(fiche_items)),
                mobilities=tuple(target for _, target in sorted(mobility.get(code, []))),
            )
        )
    return sorted(fiches, key=lambda fiche: fiche.code_rome)


def competences_matching(source: Path, *words: str) -> frozenset[int]:
    """OGR codes of the compétences whose label contains one of ``words`` (case-insensitive)."""
    lowered = [word.lower() for word in words]
    return frozenset(
        int(row["code_ogr"])
        for row in _rows(source / COMPETENCES_CSV)
        if any(word in row["libelle_competence"].lower() for word in lowered)
    )


def synthetic_fiches(rng: random.Random, count: int = SYNTHETIC_FICHES) -> list[FicheData]:
    """A population shaped like the ROME: ~40 items per fiche drawn from a shared pool with
    domain clusters, a quarter of them cœur de métier, about ten mobilities each."""
    codes = [f"{chr(ord('A') + n % 14)}{1000 + n:04d}" for n in range(count)]
    pool = 12 * count
    fiches = []
    for number, code in enumerate(codes):
        cluster = (number % 14) * (pool // 14)
        size = rng.randint(SYNTHETIC_ITEMS - 10, SYNTHETIC_ITEMS + 10)
        chosen = {cluster + rng.randrange(pool // 14) for _ in range(size * 3 // 4)}
        chosen |= {rng.randrange(pool) for _ in range(size // 4)}
        fiche_items = tuple(sorted(chosen))
        majeur, mineur = rng.sample(RIASEC_ORDER, 2)
        fiches.append(
            FicheData(
                code_rome=code,
                riasec_majeur=majeur,
                riasec_mineur=mineur if rng.random() < 0.8 else None,
                items=fiche_items,
                core_items=frozenset(rng.sample(fiche_items, len(fiche_items) // 4)),
                mobilities=tuple(rng.sample(codes, rng.randint(0, 18))),
            )
        )
    return fiches


def random_profile(rng: random.Random, fiches: list[FicheData]) -> Profile:
    current = rng.sample(fiches, rng.choice((1, 1, 2)))
    leaning = {current[0].riasec_majeur: 0.9}
    if current[0].riasec_mineur is not None:
        leaning[current[0].riasec_mineur] = 0.7
    riasec = {
        letter: leaning.get(letter, round(rng.uniform(0.0, 0.6), 2)) for letter in RIASEC_ORDER
    }
    held: set[int] = set()
    for fiche in current:
        held |= {item for item in fiche.items if rng.random() < 0.6}
    for fiche in rng.sample(fiches, 3):
        held |= set(rng.sample(fiche.items, min(3, len(fiche.items))))
    return Profile(
        riasec=riasec,
        held_items=frozenset(held),
        current_fiches=tuple(fiche.code_rome for fiche in current),
    )


def build_measured(fiches: list[FicheData]) -> tuple[RecommendationIndex, float, float]:
    """Build the index; return it with its build time (s) and size (MB).

    The size is what tracemalloc sees allocated by the build and still alive after it: the
    index's own tuples, sets, dicts and ints, not the input fiches (allocated before). It is
    the peak-free, retained figure; Python object overhead included.
    """
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    index = RecommendationIndex.build(fiches)
    build_s = time.perf_counter() - started
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return index, build_s, (after - before) / 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{PROFILES_QUICK} profiles")
    parser.add_argument("source", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)
    source = args.source or default_source()
    rng = random.Random(SEED)

    if (source / RIASEC_CSV).exists():
        fiches = load_fiches(source)
        source_label = str(source)
        print(f"ROME data: {source} ({len(fiches)} fiches)")
    else:
        fiches = synthetic_fiches(rng)
        source_label = "synthetic"
        print(f"ROME data absent from {source}: synthetic population of {len(fiches)} fiches")
    item_count = sum(len(fiche.items) for fiche in fiches)
    print(f"items per fiche: {item_count / len(fiches):.1f} on average")

    index, build_s, index_mb = build_measured(fiches)
    print(f"index built in {build_s:.2f} s, {index_mb:.1f} MB (tracemalloc, retained)")

    profiles = [
        random_profile(rng, fiches) for _ in range(PROFILES_QUICK if args.quick else PROFILES)
    ]
    for profile in profiles[:10]:  # warm-up
        index.recommend(profile)
    timings = []
    for profile in profiles:
        started = time.perf_counter()
        index.recommend(profile)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = timings[len(timings) // 2]
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(f"{len(profiles)} profiles: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms")
    print(
        f"targets: p95 <= {TARGET_P95_MS:.0f} ms "
        f"({'ok' if p95 <= TARGET_P95_MS else 'MISSED'}), index <= {TARGET_INDEX_MB:.0f} MB "
        f"({'ok' if index_mb <= TARGET_INDEX_MB else 'MISSED'})"
    )
    print(
        json.dumps(
            {
                "p95_ms": round(p95, 3),
                "index_mb": round(index_mb, 2),
                "build_s": round(build_s, 3),
                "n_fiches": len(fiches),
                "source": source_label,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
