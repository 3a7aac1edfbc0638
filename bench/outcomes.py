"""Benchmark of the closed loop's pages (issue #17): the coordinator's programme outcomes and a
beneficiary's story, at the demo's size and then with N more people.

Usage::

    python bench/outcomes.py [--people N] [--database-url URL] [--repeat R] [--fresh]
                             [--i-know]

It works on the configured database (--database-url, else DATABASE_URL, else the development
SQLite file) and refuses, with exit code 2, a database holding a real person unless --i-know,
or one a bench already grew (--fresh empties it first), as bench/pages.py does: it migrates,
imports the small ROME fixture when no référentiel is there and seeds the demo.

Phase 1 measures, at the demo's size, the programme page (`coordinator:outcomes`, its default
period: the last twelve months) as the demo's coordinator and the story page (the
beneficiary's home) as Camille Roussel: query count, then the server time over R requests
(default 10) after one warm-up. Phase 2 adds N people (default 5,000) to the demo's
organisme, each with a bilan ended in the last two years: most of them long enough ago to
have left only their anonymous `OutcomeRecord` (their bilan kept as management data), the
others read live (their follow-up kept by a written agreement: isolation checks at the start,
the end, 3 and 6 months after when due, contacts, introductions and enquêtes-métiers dated
across the bilan); plus one person with a long story (40 checks, 300 contacts, 60 enquêtes).
Then the same pages again, the story page as that person. The last line is one JSON object::

    {"people": N, "programme_page_ms_p95": ..., "story_page_ms_p95": ...,
     "queries_programme": ..., "queries_story": ..., "queries_programme_demo": ...,
     "queries_story_demo": ..., "live_bilans": ..., "records": ..., "grow_s": ...}

Target (issue #17): the programme page under a second at 5,000 people on PostgreSQL, and the
query counts of both pages the same at N as at the demo's size.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (
    QueryCount,
    Refused,
    database_check,
    database_prepare,
    demo_people,
    fetched,
    load,
    percentile,
)
from bench.scale import SEED, _members, _password, _Rows, _users

PEOPLE = 5_000
REPEAT = 10
PROMOTIONS = ("Printemps 2025", "Automne 2025", "Printemps 2026", "Automne 2026", "")


@contextmanager
def dated(*fields):
    """Let `bulk_create` keep the dates given to `fields` (model, name), which `auto_now_add`
    would otherwise set to now: the bench writes a past."""
    saved = []
    for model, name in fields:
        field = model._meta.get_field(name)
        saved.append((field, field.auto_now_add))
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in saved:
            field.auto_now_add = value


def _scores(overall: int) -> dict:
    from tisser.assessments import isolation

    scores = dict.fromkeys(isolation.DIMENSION_IDS, overall)
    scores[isolation.OVERALL] = overall
    scores[isolation.LONELY_FREQUENCY] = max(1, min(5, round(overall / 20)))
    scores[isolation.LONELINESS_SCALE] = max(3, min(9, round(3 + overall * 6 / 100)))
    return scores


def grow(organisation, *, n: int, coordinator) -> dict:
    """N people with a bilan ended in the last two years, and one with a long story."""
    from django.utils import timezone

    from tisser.assessments import isolation
    from tisser.assessments.models import IsolationCheck
    from tisser.bilans.models import (
        Bilan,
        Funding,
        KeepAgreement,
        Outcome,
        OutcomeRecord,
        Phase,
    )
    from tisser.core.enums import Role
    from tisser.network.models import Contact, HowKnown, InformationalInterview, Stage, StageEvent

    rng = random.Random(SEED)
    rows = _Rows()
    password = _password()
    now = timezone.now()
    consultants = _users(rows, "conseil.loop.", max(2, n // 100), password)
    _members(rows, consultants, organisation, Role.CONSULTANT, inviter=coordinator)
    people = _users(rows, "benef.loop.", n + 1, password)
    heavy = people.pop()
    caseload = [consultants[i % len(consultants)] for i in range(n)] + [consultants[0]]
    _members(rows, [*people, heavy], organisation, Role.BENEFICIARY, consultants=caseload)

    bilans, live, records = [], [], []
    for person, consultant in zip(people, caseload, strict=False):
        closed = now - timedelta(days=rng.randint(2, 720))
        opened = closed - timedelta(days=70)
        # Ended more than a year ago, or without an agreement: recorded and destroyed.
        recorded = closed < now - timedelta(days=365) or rng.random() < 0.7
        outcome = Outcome.INTERRUPTED if rng.random() < 0.15 else Outcome.COMPLETED
        bilan = Bilan(
            organisation=organisation,
            beneficiary=person,
            consultant=consultant,
            funding=Funding.CPF,
            status=Phase.CLOSED,
            price_euros=Decimal("1800"),
            planned_hours=Decimal("18"),
            opened_at=opened,
            closed_at=closed,
            outcome=outcome,
            outcome_recorded_at=closed + timedelta(days=1) if recorded else None,
            purged_at=closed + timedelta(days=1) if recorded else None,
        )
        bilans.append(bilan)
        start = rng.randint(35, 95)
        end = max(0, min(100, start - rng.randint(-10, 35)))
        after = [max(0, min(100, end - rng.randint(-10, 15))) for _ in range(2)]
        came = [closed + timedelta(days=days) <= now for days in (92, 184)]
        followed = rng.random() < 0.6  # agreed to keep their checks for the follow-up
        answers = [followed and came[0] and rng.random() < 0.8, followed and came[1]]
        if recorded:
            growth = rng.randint(0, 15)
            records.append(
                OutcomeRecord(
                    organisation=organisation,
                    ended_month=timezone.localdate(closed).replace(day=1),
                    outcome=outcome,
                    isolation_start=start,
                    isolation_end=end,
                    isolation_plus_3_months=after[0] if answers[0] else None,
                    isolation_plus_6_months=after[1] if answers[1] else None,
                    lonely_frequency_start=max(1, round(start / 20)),
                    lonely_frequency_end=max(1, round(end / 20)),
                    loneliness_scale_start=round(3 + start * 6 / 100),
                    loneliness_scale_end=round(3 + end * 6 / 100),
                    network_start=rng.randint(0, 3),
                    network_end=3 + growth,
                    network_plus_3_months=5 + growth if came[0] else None,
                    network_plus_6_months=6 + growth if came[1] else None,
                    interviews_end=rng.randint(0, 5),
                    introductions_end=rng.randint(0, 3),
                    followed_up=followed,
                    had_mentor=rng.random() < 0.4,
                    had_group=rng.random() < 0.4,
                    promotion=rng.choice(PROMOTIONS),
                )
            )
        else:
            live.append((bilan, [start, end, *after], answers, came))
    Bilan.objects.bulk_create(bilans, batch_size=2_000)
    OutcomeRecord.objects.bulk_create(records, batch_size=2_000)
    # The live ones are kept by the person's written agreement for the follow-up.
    KeepAgreement.objects.bulk_create(
        [
            KeepAgreement(
                bilan=bilan,
                kinds=["isolation_checks"],
                need="Comparer mes points sur l'isolement six mois après.",
                given_at=bilan.closed_at - timedelta(days=1),
                given_by_id=bilan.beneficiary_id,
            )
            for bilan, _values, _answers, _came in live
        ],
        batch_size=2_000,
    )

    moments = ("start", "end", "plus_3_months", "plus_6_months")
    with dated((IsolationCheck, "created_at"), (Contact, "created_at")):
        checks, contacts = [], []
        for bilan, values, answers, came in live:
            dates = [
                bilan.opened_at + timedelta(days=2),
                bilan.closed_at - timedelta(hours=2),
                bilan.closed_at + timedelta(days=92),
                bilan.closed_at + timedelta(days=184),
            ]
            asked = [True, True, answers[0] and came[0], answers[1] and came[1]]
            for moment, value, at, taken in zip(moments, values, dates, asked, strict=True):
                if taken:
                    checks.append(
                        IsolationCheck(
                            user_id=bilan.beneficiary_id,
                            organisation=organisation,
                            moment=moment,
                            version=isolation.VERSION,
                            answers={},
                            scores=_scores(value),
                            created_at=at,
                        )
                    )
            for k in range(rng.randint(0, 12)):
                contacts.append(
                    Contact(
                        owner_id=bilan.beneficiary_id,
                        organisation=organisation,
                        last_name=f"Contact {k}",
                        how_known=HowKnown.INTRODUCED if k % 4 == 3 else HowKnown.values[0],
                        created_at=bilan.opened_at + timedelta(days=5 * k),
                    )
                )
        # The long story: 40 checks over two years, 300 contacts, 60 enquêtes.
        heavy_opened = now - timedelta(days=700)
        for k in range(40):
            checks.append(
                IsolationCheck(
                    user=heavy,
                    organisation=organisation,
                    moment="start" if k == 0 else "other",
                    version=isolation.VERSION,
                    answers={},
                    scores=_scores(max(10, 90 - k * 2)),
                    created_at=heavy_opened + timedelta(days=17 * k),
                )
            )
        heavy_contacts = [
            Contact(
                owner=heavy,
                organisation=organisation,
                last_name=f"Contact {k}",
                how_known=HowKnown.INTRODUCED if k % 3 == 2 else HowKnown.values[0],
                created_at=heavy_opened + timedelta(days=2 * k),
            )
            for k in range(300)
        ]
        IsolationCheck.objects.bulk_create(checks, batch_size=2_000)
        Contact.objects.bulk_create(contacts + heavy_contacts, batch_size=2_000)
    Bilan.objects.create(
        organisation=organisation,
        beneficiary=heavy,
        consultant=consultants[0],
        funding=Funding.CPF,
        status=Phase.INVESTIGATION,
        price_euros=Decimal("1800"),
        planned_hours=Decimal("18"),
        opened_at=heavy_opened,
    )
    interviews = [
        InformationalInterview(
            owner=heavy,
            contact=contact,
            stage=Stage.INTERVIEW_DONE,
            stage_changed_at=contact.created_at + timedelta(days=10),
        )
        for contact in heavy_contacts[:60]
    ]
    InformationalInterview.objects.bulk_create(interviews, batch_size=2_000)
    StageEvent.objects.bulk_create(
        [
            StageEvent(interview=interview, stage=interview.stage, at=interview.stage_changed_at)
            for interview in interviews
        ],
        batch_size=2_000,
    )
    return {
        "heavy": heavy,
        "live_bilans": len(live),
        "records": len(records),
        "checks": len(checks),
        "contacts": len(contacts) + len(heavy_contacts),
    }


def measure(client, url: str, repeat: int) -> tuple[int, int, float]:
    """(status, queries, p95 ms) of `url`, after one warm-up request."""
    with QueryCount() as queries:
        response = fetched(client, url)
    if response.status_code != 200:
        return response.status_code, queries.count, 0.0
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetched(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    return 200, queries.count, percentile(timings, 0.95)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--fresh", action="store_true", help="empty the database first")
    parser.add_argument("--i-know", action="store_true", help="run on a database with real users")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)

    try:
        database_check(args.i_know)
        said = database_prepare("small", args.fresh)
    except Refused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for line in said:
        print(line)
    people = demo_people()
    coordinator, camille = people["coordinator"], people["beneficiary"]
    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(coordinator, generate_totp_secret())
    organisation = coordinator.memberships.get().organisation
    programme_url = reverse("coordinator:outcomes")
    story_url = reverse("beneficiary:home")

    def clients(beneficiary):
        staff, person = Client(), Client()
        staff.force_login(coordinator)
        person.force_login(beneficiary)
        return staff, person

    print(f"phase 1, demo size; load average {load()}")
    staff, person = clients(camille)
    programme_demo = measure(staff, programme_url, args.repeat)
    story_demo = measure(person, story_url, args.repeat)
    print(
        f"  programme: HTTP {programme_demo[0]}, {programme_demo[1]} queries, "
        f"p95 {programme_demo[2]:.0f} ms"
    )
    print(f"  story: HTTP {story_demo[0]}, {story_demo[1]} queries, p95 {story_demo[2]:.0f} ms")

    started = time.perf_counter()
    grown = grow(organisation, n=args.people, coordinator=coordinator)
    grow_s = time.perf_counter() - started
    print(
        f"grown by {args.people} people in {grow_s:.1f} s: {grown['records']} anonymous "
        f"records, {grown['live_bilans']} bilans read live, {grown['checks']} checks, "
        f"{grown['contacts']} contacts"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    print(f"phase 2, {args.people} people; load average {load()}")
    staff, person = clients(grown["heavy"])
    programme = measure(staff, programme_url, args.repeat)
    story = measure(person, story_url, args.repeat)
    # Two years rather than one: every record and live bilan of the bench.
    wide = measure(staff, f"{programme_url}?{_two_years()}", args.repeat)
    print(f"  programme: HTTP {programme[0]}, {programme[1]} queries, p95 {programme[2]:.0f} ms")
    print(f"  programme over two years: HTTP {wide[0]}, {wide[1]} queries, p95 {wide[2]:.0f} ms")
    print(f"  story: HTTP {story[0]}, {story[1]} queries, p95 {story[2]:.0f} ms")
    print(f"load average at the end {load()}")
    summary = {
        "people": args.people,
        "programme_page_ms_p95": round(programme[2], 1),
        "story_page_ms_p95": round(story[2], 1),
        "queries_programme": programme[1],
        "queries_story": story[1],
        "queries_programme_demo": programme_demo[1],
        "queries_story_demo": story_demo[1],
        "programme_two_years_ms_p95": round(wide[2], 1),
        "live_bilans": grown["live_bilans"],
        "records": grown["records"],
        "grow_s": round(grow_s, 1),
        "statuses": sorted({programme[0], story[0], wide[0], programme_demo[0], story_demo[0]}),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if summary["statuses"] == [200] else 1


def _two_years() -> str:
    from django.utils import timezone

    today = timezone.localdate()
    first = today.replace(day=1) - timedelta(days=700)
    return f"du={first:%Y-%m}&au={today:%Y-%m}"


if __name__ == "__main__":
    sys.exit(main())
