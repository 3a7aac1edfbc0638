"""Benchmark of the recommendations through the Django adapter: the index built from the
database, then one profile against every fiche.

Usage::

    python bench/recommendations_db.py [--quick] [SOURCE]

SOURCE is the folder of the ROME open data CSVs (default: settings.ROME_SOURCE, i.e.
../shared/data/rome-v460; the synthetic test fixture when that is absent, and the output
says so). The référentiel is imported with ``import_rome`` into a fresh, migrated temporary
SQLite database; then:

* the index is built by ``get_recommendation_index()`` (four queries and the engine's
  build), timed, its retained size measured with tracemalloc (what the build allocated and
  still holds, the query results it read freed);
* profiles drawn as in ``bench/recommendations.py`` are ranked through the adapter:
  ``get_recommendation_index()`` (its version check, one query) then ``recommend`` — the
  figure compared with the 50 ms target; and, separately, ``recommendations_explain`` (the
  page's data: labels and French explanations, four queries).

Human-readable lines first; the last line is one JSON object:
``{"p95_ms": ..., "index_mb": ..., "p95_explained_ms": ..., "build_s": ..., "n_fiches": ...,
"source": ...}``. Targets: p95 <= 50 ms, index <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PROFILES = 300
PROFILES_QUICK = 100
TARGET_P95_MS = 50.0
TARGET_INDEX_MB = 200.0
SEED = 20251123


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(function, profiles) -> list[float]:
    for profile in profiles[:10]:  # warm-up
        function(profile)
    timings = []
    for profile in profiles:
        started = time.perf_counter()
        function(profile)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{PROFILES_QUICK} profiles")
    parser.add_argument("source", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-reco-") as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from recommendations import random_profile

        from tisser.referentiel import recommendations as reco
        from tisser.referentiel.importer import rome_import

        source = args.source or Path(settings.ROME_SOURCE)
        label = str(source)
        if args.source is None and not source.exists():
            from tests.fixtures.rome_fixture import FIXTURE

            print(f"ROME data absent from {source}: synthetic test fixture used")
            source, label = FIXTURE, "fixture"
        print(f"ROME data: {source}")
        print(f"database: SQLite {connection.Database.sqlite_version}, temporary file, migrated")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        rome_import(source)
        print(f"import_rome: {time.perf_counter() - started:.1f} s")

        reco.clear_recommendation_cache()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        index = reco.get_recommendation_index()
        build_s = time.perf_counter() - started
        index_mb = (tracemalloc.get_traced_memory()[0] - before) / 1_000_000
        tracemalloc.stop()
        print(
            f"index of {len(index)} fiches built from the database in {build_s:.2f} s, "
            f"{index_mb:.1f} MB retained (tracemalloc)"
        )

        rng = random.Random(SEED)
        fiches = reco.fiches_from_database()
        profiles = [
            random_profile(rng, fiches) for _ in range(PROFILES_QUICK if args.quick else PROFILES)
        ]

        ranked = timed(lambda profile: reco.get_recommendation_index().recommend(profile), profiles)
        explained = timed(lambda profile: reco.recommendations_explain(profile), profiles)
        p95 = percentile(ranked, 0.95)
        p95_explained = percentile(explained, 0.95)
        print(
            f"{len(profiles)} profiles, ranked through the adapter: "
            f"p50 {percentile(ranked, 0.5):.2f} ms, p95 {p95:.2f} ms, max {max(ranked):.2f} ms"
        )
        print(
            f"  with labels and explanations (top 20): p50 {percentile(explained, 0.5):.2f} ms, "
            f"p95 {p95_explained:.2f} ms"
        )
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
                    "p95_explained_ms": round(p95_explained, 3),
                    "build_s": round(build_s, 3),
                    "n_fiches": len(index),
                    "source": label,
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
