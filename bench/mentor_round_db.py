"""Benchmark of a mentoring round through the app (`services.round_run`: adapter, engine,
rows written) and of the coordination's mentoring pages at network size.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tisser_bench python bench/mentor_round_db.py
    python bench/mentor_round_db.py [--mentors M] [--mentees N] [--profile] [SOURCE]

The database named by DATABASE_URL (an empty one: it is migrated and filled; a temporary
SQLite file when DATABASE_URL is not set); the ROME référentiel imported from SOURCE (default:
settings.ROME_SOURCE; the synthetic test fixture when that is absent). Then, bulk-created in
one organisation as bench/mentor_suggestions_db.py does: M validated mentors (default 500)
with their fiches and compétences, some with active mentorships, and N mentees looking for
a mentor (default 400), each with a bilan; plus 200 declared incompatibilities.

Measured: ``round_run`` for everyone (``--profile`` prints its cProfile, 25 lines), then
each page below five times with the test client as a coordinator, its median and its
number of queries: the round's review, the health of mentorships, the declared
incompatibilities, the mentor pool, the mentees. Human-readable lines first; the last line
is one JSON object::

    {"mentors": M, "mentees": N, "round_s": ..., "pages_ms": {...}, "queries": {...}}

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


def _pages(client, urls: dict[str, str]) -> tuple[dict[str, float], dict[str, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, counts = {}, {}
    for name, url in urls.items():
        client.get(url)  # warm-up
        runs = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                runs.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        timings[name] = round(statistics.median(runs), 1)
        counts[name] = len(queries)
        print(
            f"{name:<12} {url:<48} median {timings[name]:8.1f} ms, "
            f"{counts[name]:3d} queries, {len(response.content) / 1024:7.0f} kB"
        )
    return timings, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=MENTORS)
    parser.add_argument("--mentees", type=int, default=MENTEES)
    parser.add_argument("--profile", action="store_true", help="cProfile of the round")
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
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        matching_round = services.round_run(organisation=organisation, cohort="", by=coordinator)
        if profiler:
            profiler.disable()
        round_s = time.perf_counter() - started
        print(
            f"round_run: {matching_round.stats['mentees']} mentees, "
            f"{matching_round.stats['matched']} matched in {round_s:.2f} s "
            f"(engine and adapter {matching_round.stats['seconds']:.2f} s); "
            f"target <= {TARGET_ROUND_S:.0f} s ({'ok' if round_s <= TARGET_ROUND_S else 'MISSED'})"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())

        client = Client()
        client.force_login(coordinator)
        timings, counts = _pages(
            client,
            {
                "review": reverse("mentoring:round", kwargs={"round_id": matching_round.pk}),
                "health": reverse("mentoring:health"),
                "conflicts": reverse("mentoring:conflicts"),
                "pool": reverse("mentoring:pool"),
                "mentees": reverse("mentoring:mentees"),
                "rounds": reverse("mentoring:rounds"),
            },
        )
        slowest = max(timings.values())
        print(
            f"target: every page <= {TARGET_PAGE_MS:.0f} ms "
            f"({'ok' if slowest <= TARGET_PAGE_MS else 'MISSED'})"
        )
        print(
            json.dumps(
                {
                    "mentors": args.mentors,
                    "mentees": args.mentees,
                    "round_s": round(round_s, 3),
                    "pages_ms": timings,
                    "queries": counts,
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
