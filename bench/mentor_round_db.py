"""Benchmark of a mentoring round through the app (`services.round_run`: adapter, engine,
rows written) and of the coordination's mentoring pages at network size.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tisser_bench python bench/mentor_round_db.py
    python bench/mentor_round_db.py [--mentors M] [--mentees N] [--rounds R] [--cpu]
                                    [--profile] [SOURCE]

The database named by DATABASE_URL (an empty one: it is migrated and filled; a temporary
SQLite file when DATABASE_URL is not set); the ROME référentiel imported from SOURCE (default:
settings.ROME_SOURCE; the synthetic test fixture when that is absent). Then, bulk-created in
one organisation as bench/mentor_suggestions_db.py does: M validated mentors (default 500)
with their fiches and compétences, some with active mentorships, and N mentees looking for
a mentor (default 400), each with a bilan; plus 200 declared incompatibilities.

Measured: ``round_run`` for everyone, R times (default 1; each round but the last is
discarded before the next, and the median is kept; ``--profile`` prints the cProfile of the
last, 25 lines), then each page below five times with the test client as a coordinator, its
median and its number of queries: the round's review, the health of mentorships, the
declared incompatibilities, the mentor pool, the mentees.

``--cpu`` also measures CPU time, which other processes on a shared machine do not inflate
as they do wall time: this process's (``time.process_time``) and, on PostgreSQL served from
this machine, the database backend's (user and system time of the connection's backend,
read from ``/proc/<pid>/stat``; ``null`` when it cannot be read). Human-readable lines
first; the last line is one JSON object::

    {"mentors": M, "mentees": N, "round_s": ..., "pages_ms": {...}, "queries": {...}}

with, under ``--cpu``, ``"round_cpu_s": {"python": ..., "database": ...}`` and
``"pages_cpu_ms": {page: {"python": ..., "database": ...}}`` (the process's
median, the backend's mean).

Targets (issue #16): the round <= 3 s, every page <= 300 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MENTORS = 500
MENTEES = 400
CONFLICTS = 200
REPEAT = 5
SEED = 20261207
TARGET_ROUND_S = 3.0
TARGET_PAGE_MS = 300.0


def _backend_cpu() -> float | None:
    """CPU seconds (user + system) used so far by the PostgreSQL backend serving this
    process's connection, when that backend runs on this machine; None otherwise."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuClock:
    """CPU time of this process and of its database backend between `start` and `stop`."""

    def start(self) -> None:
        self.backend = _backend_cpu()
        self.process = time.process_time()

    def stop(self) -> tuple[float, float | None]:
        process = time.process_time() - self.process
        backend = _backend_cpu()
        database = None if backend is None or self.backend is None else backend - self.backend
        return process, database


def _median_cpu(runs: list[tuple[float, float | None]], scale: float) -> dict:
    """This process's median CPU time over `runs`, and the backend's mean (its clock counts
    in ticks of 10 ms, too coarse for one page: the mean over the runs is finer)."""
    database = [run[1] for run in runs]
    return {
        "python": round(scale * statistics.median(run[0] for run in runs), 3),
        "database": None
        if any(value is None for value in database)
        else round(scale * statistics.fmean(value or 0.0 for value in database), 3),
    }


def _pages(
    client, urls: dict[str, str], *, cpu: bool = False
) -> tuple[dict[str, float], dict[str, int], dict[str, dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, counts, cpu_ms = {}, {}, {}
    clock = CpuClock()
    for name, url in urls.items():
        client.get(url)  # warm-up
        runs, cpu_runs = [], []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                if cpu:
                    clock.start()
                started = time.perf_counter()
                response = client.get(url)
                runs.append((time.perf_counter() - started) * 1000)
                if cpu:
                    cpu_runs.append(clock.stop())
            assert response.status_code == 200, (name, response.status_code)
        timings[name] = round(statistics.median(runs), 1)
        counts[name] = len(queries)
        line = (
            f"{name:<12} {url:<48} median {timings[name]:8.1f} ms, "
            f"{counts[name]:3d} queries, {len(response.content) / 1024:7.0f} kB"
        )
        if cpu:
            cpu_ms[name] = _median_cpu(cpu_runs, 1000)
            database = cpu_ms[name]["database"]
            line += f"; CPU {cpu_ms[name]['python']:.0f} ms + database " + (
                f"{database:.0f} ms" if database is not None else "unknown"
            )
        print(line)
    return timings, counts, cpu_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=MENTORS)
    parser.add_argument("--mentees", type=int, default=MENTEES)
    parser.add_argument("--rounds", type=int, default=1, help="rounds run (median kept)")
    parser.add_argument("--cpu", action="store_true", help="CPU time, process and database")
    parser.add_argument("--profile", action="store_true", help="cProfile of the (last) round")
    parser.add_argument("source", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-round-") as tmp:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ["DEBUG"] = "false"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from bench.mentor_suggestions_db import populate
        from tests.factories import member
        from tisser.accounts.models import Organisation, User
        from tisser.core.enums import Role
        from tisser.mentoring import services
        from tisser.mentoring.models import (
            DeclaredConflict,
            MatchingRound,
            MenteeProfile,
            MentorProfile,
            Mentorship,
        )
        from tisser.referentiel.importer import rome_import
        from tisser.referentiel.models import RomeVersion

        settings.ALLOWED_HOSTS = ["*"]
        source = args.source or Path(settings.ROME_SOURCE)
        label = str(source)
        if args.source is None and not source.exists():
            from tests.fixtures.rome_fixture import FIXTURE

            print(f"ROME data absent from {source}: synthetic test fixture used")
            source, label = FIXTURE, "fixture"
        print(f"ROME data: {label}; database: {connection.vendor}")
        call_command("migrate", verbosity=0)
        if RomeVersion.objects.current() is None:
            started = time.perf_counter()
            rome_import(source)
            print(f"import_rome: {time.perf_counter() - started:.1f} s")
        else:  # a database of an earlier run: its référentiel kept, its people replaced
            MatchingRound.objects.filter(organisation__slug="bench").delete()
            Mentorship.objects.filter(organisation__slug="bench").delete()
            Organisation.objects.filter(slug="bench").delete()
            User.objects.filter(email__endswith="@bench.invalid").delete()
            print("référentiel of an earlier run kept; its organisation deleted")

        rng = random.Random(SEED)
        started = time.perf_counter()
        organisation, mentee_ids, n_skills, n_active = populate(rng, args.mentors, args.mentees)
        MenteeProfile.objects.filter(pk__in=mentee_ids).update(seeking=True)
        mentors = list(MentorProfile.objects.filter(organisation=organisation).values_list("pk"))
        mentees = list(MenteeProfile.objects.filter(pk__in=mentee_ids).values_list("user_id"))
        pairs = {(rng.choice(mentees)[0], rng.choice(mentors)[0]) for _ in range(CONFLICTS)}
        DeclaredConflict.objects.bulk_create(
            [
                DeclaredConflict(
                    organisation=organisation,
                    mentee_id=mentee,
                    mentor_id=mentor,
                    reason=DeclaredConflict.Reason.DECLARED_CONFLICT,
                )
                for mentee, mentor in pairs
            ]
        )
        coordinator = member(
            Role.COORDINATOR, organisation, user__email="coordinator@bench.invalid"
        )
        print(
            f"{args.mentors} mentors ({n_skills} compétences offered, {n_active} active "
            f"mentorships), {args.mentees} mentees, {len(pairs)} incompatibilities "
            f"bulk-created in {time.perf_counter() - started:.1f} s"
        )

        from tisser.referentiel.recommendations import get_recommendation_index

        started = time.perf_counter()
        get_recommendation_index()  # built once per process, as a running server has it
        print(f"référentiel index (skill gaps), cold build: {time.perf_counter() - started:.2f} s")
        clock = CpuClock()
        walls, cpu_runs = [], []
        for number in range(1, args.rounds + 1):
            last = number == args.rounds
            profiler = cProfile.Profile() if args.profile and last else None
            if args.cpu:
                clock.start()
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            matching_round = services.round_run(
                organisation=organisation, cohort="", by=coordinator
            )
            if profiler:
                profiler.disable()
            walls.append(time.perf_counter() - started)
            line = (
                f"round_run: {matching_round.stats['mentees']} mentees, "
                f"{matching_round.stats['matched']} matched in {walls[-1]:.2f} s "
                f"(engine and adapter {matching_round.stats['seconds']:.2f} s)"
            )
            if args.cpu:
                cpu_runs.append(clock.stop())
                python, database = cpu_runs[-1]
                line += f"; CPU {python:.2f} s + database " + (
                    f"{database:.2f} s" if database is not None else "unknown"
                )
            print(line)
            if not last:
                matching_round.delete()
        round_s = statistics.median(walls)
        print(
            f"round_run: median {round_s:.2f} s of {args.rounds}; "
            f"target <= {TARGET_ROUND_S:.0f} s ({'ok' if round_s <= TARGET_ROUND_S else 'MISSED'})"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())

        client = Client()
        client.force_login(coordinator)
        timings, counts, pages_cpu = _pages(
            client,
            {
                "review": reverse("mentoring:round", kwargs={"round_id": matching_round.pk}),
                "health": reverse("mentoring:health"),
                "conflicts": reverse("mentoring:conflicts"),
                "pool": reverse("mentoring:pool"),
                "mentees": reverse("mentoring:mentees"),
                "rounds": reverse("mentoring:rounds"),
            },
            cpu=args.cpu,
        )
        slowest = max(timings.values())
        print(
            f"target: every page <= {TARGET_PAGE_MS:.0f} ms "
            f"({'ok' if slowest <= TARGET_PAGE_MS else 'MISSED'})"
        )
        report = {
            "mentors": args.mentors,
            "mentees": args.mentees,
            "round_s": round(round_s, 3),
            "pages_ms": timings,
            "queries": counts,
        }
        if args.cpu:
            report["round_cpu_s"] = _median_cpu(cpu_runs, 1)
            report["pages_cpu_ms"] = pages_cpu
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
