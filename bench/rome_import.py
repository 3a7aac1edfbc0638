"""Time the ROME 4.0 import into a fresh, migrated temporary SQLite database.

    python bench/rome_import.py [--quick] [SOURCE]

SOURCE defaults to settings.ROME_SOURCE (the synthetic fixture when that is absent). The full
run also times an identical re-import (a no-op) and ``fiche_load`` on a sample of fiches;
``--quick`` times the import only. Human lines first, then one JSON object as the last line.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FICHE_SAMPLE = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chronomètre l'import du ROME 4.0.")
    parser.add_argument("source", nargs="?", help="dossier des CSV ou zip (défaut : ROME_SOURCE)")
    parser.add_argument("--quick", action="store_true", help="import seul")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-rome-") as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from tisser.referentiel.fiche import fiche_load
        from tisser.referentiel.importer import rome_import
        from tisser.referentiel.models import Metier

        source = Path(args.source or settings.ROME_SOURCE)
        if not args.source and not source.exists():
            print(f"Données ROME absentes ({source}) : jeu d'essai synthétique utilisé.")
            sys.path.insert(0, str(ROOT))
            from tests.fixtures.rome_fixture import FIXTURE

            source = FIXTURE
        print(f"Source : {source}")
        print(f"Base : SQLite {connection.Database.sqlite_version}, fichier temporaire, migrée")
        call_command("migrate", verbosity=0)

        started = time.perf_counter()
        report = rome_import(source)
        seconds = time.perf_counter() - started
        print(f"Import complet : {seconds:.2f} s (version {report.version.number})")
        for key, count in report.counts.items():
            print(f"  {key} : {count}")
        result = {
            "seconds": round(seconds, 3),
            "metiers": report.counts["metiers"],
            "appellations": report.counts["appellations"],
            "competences": report.counts["competences"],
            "savoirs": report.counts["savoirs"],
            "links": report.counts["metier_competences"]
            + report.counts["metier_savoirs"]
            + report.counts["metier_contextes"],
            "rome_version": report.version.number,
            "source": str(source),
            "quick": args.quick,
        }

        if not args.quick:
            started = time.perf_counter()
            rome_import(source)
            result["seconds_unchanged"] = round(time.perf_counter() - started, 3)
            print(f"Réimport identique (aucun changement) : {result['seconds_unchanged']:.2f} s")
            codes = list(Metier.objects.order_by("code_rome").values_list("code_rome", flat=True))
            sample = codes[:: max(1, len(codes) // FICHE_SAMPLE)][:FICHE_SAMPLE]
            durations = []
            for code in sample:
                started = time.perf_counter()
                fiche_load(code)
                durations.append((time.perf_counter() - started) * 1000)
            result["fiche_load_ms_median"] = round(statistics.median(durations), 2)
            result["fiche_load_ms_max"] = round(max(durations), 2)
            print(
                f"fiche_load sur {len(sample)} fiches : médiane "
                f"{result['fiche_load_ms_median']:.1f} ms, max {result['fiche_load_ms_max']:.1f} ms"
            )

    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
