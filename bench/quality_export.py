"""Benchmark of the auditor's export (issue #18, ADR 0039): time and peak memory of one
build, at the demo's size and then with N more beneficiaries (bench/scale.py).

Usage::

    python bench/quality_export.py [--beneficiaries N] [--database-url URL] [--fresh]
                                   [--i-know] [--no-tracemalloc]

It works on the configured database (--database-url, else DATABASE_URL, else the development
SQLite file) and refuses a database holding a real person unless --i-know, or one a bench
already grew (--fresh empties it first), as bench/pages.py does. Archives go to a temporary
folder, removed at the end.

Phase 1 builds the export of the demo's organisme over the last twelve months, twice: cold
(no kept rendering of the bilans' PDFs) and warm (`RenderedPdf` kept from the first run).
Phase 2 grows the organisme by N beneficiaries (default 300: each bilan holding an entretien
in the span gives an émargement sheet, each ended one an attestation, a few hundred
milliseconds of WeasyPrint each, so 5,000 takes about an hour) and builds it again, cold.
For each build: seconds, queries, files, archive size, the peak of Python allocations
(tracemalloc: what the build held at once) and the process's maximum resident size. The last
line is one JSON object::

    {"beneficiaries": N, "demo_s": ..., "demo_warm_s": ..., "grown_s": ...,
     "demo_files": ..., "grown_files": ..., "demo_mb": ..., "grown_mb": ...,
     "demo_peak_mb": ..., "grown_peak_mb": ..., "max_rss_mb": ..., ...}

What to look for: the peak of Python allocations about the same at both sizes (files are
written one by one, never all held), while time and archive size grow with the bilans."""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import QueryCount, Refused, database_check, database_prepare, demo_people, load

BENEFICIARIES = 300
MB = 1024 * 1024


def build(organisation, coordinator, *, trace: bool) -> dict:
    import zipfile

    from tisser.quality.models import AuditExport
    from tisser.quality.services.exports import archive_path, audit_export_build, default_span

    span = default_span()
    export = AuditExport.objects.create(
        organisation=organisation,
        first_day=span.first_day,
        last_day=span.last_day,
        requested_by=coordinator,
        steps_total=23,
    )
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with QueryCount() as queries:
        built = audit_export_build(export_id=export.pk)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    assert built is not None and built.status == AuditExport.Status.READY, built and built.error
    with zipfile.ZipFile(archive_path(built)) as archive:
        files = len(archive.namelist())
    archive_path(built).unlink()
    return {
        "s": round(seconds, 1),
        "queries": queries.count,
        "files": files,
        "mb": round(built.size / MB, 1),
        "peak_mb": round(peak / MB, 1),
    }


def said(label: str, result: dict) -> None:
    print(
        f"  {label}: {result['s']} s, {result['queries']} queries, {result['files']} files, "
        f"{result['mb']} MB, Python peak {result['peak_mb']} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beneficiaries", type=int, default=BENEFICIARIES)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true", help="empty the database first")
    parser.add_argument("--i-know", action="store_true", help="run on a database with real users")
    parser.add_argument("--no-tracemalloc", action="store_true", help="time without tracing")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.scale import grow

    settings.DEBUG = False
    logging.getLogger("tisser").setLevel(logging.ERROR)
    folder = tempfile.mkdtemp(prefix="tisser-exports-")
    settings.TISSER_EXPORTS_DIR = folder
    trace = not args.no_tracemalloc
    try:
        try:
            database_check(args.i_know)
            for line in database_prepare("small", args.fresh):
                print(line)
        except Refused as refusal:
            print(refusal, file=sys.stderr)
            return 2
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        coordinator = demo_people()["coordinator"]
        organisation = coordinator.memberships.get().organisation

        print(f"phase 1, demo size; load average {load()}")
        from tisser.bilans.models import RenderedPdf

        RenderedPdf.objects.filter(bilan__organisation=organisation).delete()
        demo = build(organisation, coordinator, trace=trace)
        said("cold", demo)
        warm = build(organisation, coordinator, trace=trace)
        said("warm", warm)

        started = time.perf_counter()
        grow(organisation, beneficiaries=args.beneficiaries, coordinator=coordinator)
        print(
            f"grown by {args.beneficiaries} beneficiaries in {time.perf_counter() - started:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"phase 2, {args.beneficiaries} more beneficiaries; load average {load()}")
        RenderedPdf.objects.filter(bilan__organisation=organisation).delete()
        grown = build(organisation, coordinator, trace=trace)
        said("cold", grown)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # Linux gives ru_maxrss in kilobytes.
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = {
        "beneficiaries": args.beneficiaries,
        "demo_s": demo["s"],
        "demo_warm_s": warm["s"],
        "grown_s": grown["s"],
        "demo_queries": demo["queries"],
        "grown_queries": grown["queries"],
        "demo_files": demo["files"],
        "grown_files": grown["files"],
        "demo_mb": demo["mb"],
        "grown_mb": grown["mb"],
        "demo_peak_mb": demo["peak_mb"],
        "grown_peak_mb": grown["peak_mb"],
        "max_rss_mb": round(max_rss, 1),
        "tracemalloc": trace,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
