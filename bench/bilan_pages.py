"""Benchmark of the bilan and meeting pages (issue #16) on a grown organisme.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tisser_bench \\
        python bench/bilan_pages.py [--beneficiaries N] [--runs R] [--keep] [--explain]

Against the (PostgreSQL) database of DATABASE_URL, migrated first, and emptied of the
organisations this script made before (unless --keep reuses them): one organisme with N
beneficiaries (default 5,000), 50 consultants (N / 50 each), a coordinator; every
beneficiary has a bilan (a third of them ended, with satisfaction answers), 10 entretiens
(one series each, half of them past and attended), 2 isolation checks and 25 audit events
of their own plus 5 on their bilan; a second organisme adds as many audit events again (the
log is platform-wide). Then each page is fetched R times (default 10) with the test Client
and the median and p95 server time and the query count are printed, one JSON line last.

Target (issue #16): p95 <= 300 ms at 5,000 beneficiaries. The times are those of the test
Client on this machine: compare runs made under the same load. ``PGOPTIONS="-c jit=off"``
shows what PostgreSQL's JIT compilation costs the big list queries (seconds, see the report
of branch i16-bilans).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TEST_DATABASE_URL", os.environ.get("DATABASE_URL", ""))

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tisser.accounts.models import Membership, Organisation, User  # noqa: E402
from tisser.assessments.models import IsolationCheck  # noqa: E402
from tisser.bilans.activity import bilan_activity_refresh  # noqa: E402
from tisser.bilans.models import (  # noqa: E402
    Bilan,
    BilanSession,
    Funding,
    Outcome,
    Phase,
    SatisfactionMoment,
    SatisfactionResponse,
)
from tisser.core.enums import Role  # noqa: E402
from tisser.core.models import AuditEvent  # noqa: E402
from tisser.meetings.models import (  # noqa: E402
    Attendance,
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)

SLUG = "bench-bilans"
OTHER = "bench-bilans-other"
CONSULTANTS = 50
MEETINGS = 10
BATCH = 5_000
TARGET_P95_MS = 300.0


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def build(beneficiaries: int) -> None:
    rng = random.Random(16)
    now = timezone.now()
    Organisation.objects.filter(slug__in=[SLUG, OTHER]).delete()
    User.objects.filter(email__endswith="@bench-bilans.test").delete()
    org = Organisation.objects.create(name="Bench bilans", slug=SLUG)
    other = Organisation.objects.create(name="Bench other", slug=OTHER)
    coordinator = User.objects.create(email="coord@bench-bilans.test", last_name="Coord")
    consultants = _bulk(
        User,
        [
            User(email=f"c{i}@bench-bilans.test", first_name="Conseil", last_name=f"C{i:02}")
            for i in range(CONSULTANTS)
        ],
    )
    people = _bulk(
        User,
        [
            User(email=f"b{i}@bench-bilans.test", first_name=f"Prénom{i}", last_name=f"Nom{i}")
            for i in range(beneficiaries)
        ],
    )
    _bulk(
        Membership,
        [Membership(user=coordinator, organisation=org, role=Role.COORDINATOR)]
        + [Membership(user=c, organisation=org, role=Role.CONSULTANT) for c in consultants]
        + [
            Membership(
                user=p, organisation=org, role=Role.BENEFICIARY, consultant=consultants[i % 50]
            )
            for i, p in enumerate(people)
        ],
    )
    phases = [Phase.PRELIMINARY, Phase.INVESTIGATION, Phase.CONCLUSION, Phase.CLOSED]
    bilans = []
    for i, p in enumerate(people):
        status = phases[i % 4] if i % 3 else Phase.CLOSED
        opened = now - timedelta(days=rng.randint(30, 400))
        closed = status == Phase.CLOSED
        bilans.append(
            Bilan(
                organisation=org,
                beneficiary=p,
                consultant=consultants[i % 50],
                funding=rng.choice(list(Funding)),
                status=status,
                opened_at=opened,
                closed_at=opened + timedelta(days=60) if closed else None,
                outcome=rng.choice(list(Outcome)) if closed else "",
            )
        )
    bilans = _bulk(Bilan, bilans)
    series = []
    for bilan in bilans:
        for m in range(MEETINGS):
            start = now + timedelta(days=7 * (m - MEETINGS // 2), hours=rng.randint(0, 8))
            series.append(
                MeetingSeries(
                    organisation=org,
                    kind=MeetingKind.BILAN_SESSION,
                    title=f"Entretien {m + 1}",
                    created_by_id=bilan.consultant_id,
                    first_start=start,
                    mode=MeetingMode.ON_SITE,
                )
            )
    series = _bulk(MeetingSeries, series)
    _bulk(
        BilanSession,
        [BilanSession(bilan=bilans[i // MEETINGS], series=s) for i, s in enumerate(series)],
    )
    participants = []
    occurrences = []
    for i, s in enumerate(series):
        bilan = bilans[i // MEETINGS]
        participants.append(
            SeriesParticipant(series=s, user_id=bilan.consultant_id, role="organiser")
        )
        participants.append(
            SeriesParticipant(series=s, user_id=bilan.beneficiary_id, role="participant")
        )
        occurrences.append(
            Occurrence(
                series=s,
                original_start=s.first_start,
                start=s.first_start,
                end=s.first_start + timedelta(hours=2),
                mode=s.mode,
            )
        )
    _bulk(SeriesParticipant, participants)
    occurrences = _bulk(Occurrence, occurrences)
    attendances = []
    for i, o in enumerate(occurrences):
        if o.end < now:
            bilan = bilans[i // MEETINGS]
            attendances.append(
                Attendance(
                    occurrence=o,
                    user_id=bilan.beneficiary_id,
                    status=Attendance.Status.PRESENT,
                    recorded_by_id=bilan.consultant_id,
                )
            )
    _bulk(Attendance, attendances)
    checks = []
    answers = []
    for bilan in bilans:
        for moment in (IsolationCheck.Moment.START, IsolationCheck.Moment.END):
            checks.append(
                IsolationCheck(
                    user_id=bilan.beneficiary_id,
                    organisation=org,
                    moment=moment,
                    version="bench",
                    scores={"overall": rng.randint(0, 100)},
                )
            )
        if bilan.status == Phase.CLOSED:
            answers.append(
                SatisfactionResponse(
                    bilan=bilan,
                    moment=SatisfactionMoment.END,
                    version="bench",
                    answers={},
                    created_by_id=bilan.beneficiary_id,
                )
            )
    _bulk(IsolationCheck, checks)
    _bulk(SatisfactionResponse, answers)
    events = []
    for bilan in bilans:
        for _ in range(25):
            events.append(
                AuditEvent(
                    actor_id=bilan.beneficiary_id, organisation=org, action="network.contact"
                )
            )
        for _ in range(5):
            events.append(
                AuditEvent(
                    actor_id=bilan.consultant_id,
                    organisation=org,
                    action="bilans.edit",
                    target_type="bilans.bilan",
                    target_id=str(bilan.pk),
                )
            )
        for _ in range(30):
            events.append(AuditEvent(organisation=other, action="other.thing"))
    rng.shuffle(events)
    _bulk(AuditEvent, events)
    # bulk_create leaves auto_now_add at the insert time: spread the dates over a year.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET created_at = now() - (random() * interval '365 days')"
        )
        cursor.execute(
            "UPDATE assessments_isolationcheck SET created_at = now()"
            " - (random() * interval '365 days') WHERE version = 'bench'"
        )
    # Rows written in bulk, not through the services: their last activity from its sources.
    bilan_activity_refresh(Bilan.objects.filter(organisation=org))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages(org: Organisation) -> list[tuple[str, User, str]]:
    coordinator = User.objects.get(email="coord@bench-bilans.test")
    consultant = User.objects.get(email="c0@bench-bilans.test")
    bilan = Bilan.objects.filter(consultant=consultant).exclude(status=Phase.CLOSED).first()
    beneficiary = bilan.beneficiary
    for user in (coordinator, consultant):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    return [
        ("consultant caseload", consultant, "/conseiller/"),
        ("consultant caseload p2 by activity", consultant, "/conseiller/?tri=activite&page=2"),
        ("consultant rencontres", consultant, "/rencontres/"),
        ("coordinator indicators", coordinator, "/coordination/bilans/"),
        ("coordinator indicators csv", coordinator, "/coordination/bilans/indicateurs.csv"),
        ("coordinator bilan list", coordinator, "/coordination/bilans/liste/"),
        (
            "coordinator bilan list by activity",
            coordinator,
            "/coordination/bilans/liste/?tri=activite",
        ),
        ("coordinator bilan", coordinator, f"/coordination/bilans/{bilan.pk}/"),
        ("coordinator rencontres", coordinator, "/rencontres/"),
        ("beneficiary bilans", beneficiary, "/bilans/"),
        ("beneficiary parcours", beneficiary, f"/bilans/{bilan.pk}/parcours/"),
        ("consultant bilan", consultant, f"/bilans/{bilan.pk}/"),
    ]


def measure(runs: int, explain: bool) -> list[dict]:
    org = Organisation.objects.get(slug=SLUG)
    results = []
    for name, user, url in pages(org):
        client = Client()
        client.force_login(user)
        times = []
        queries = 0
        status = None
        for _ in range(runs + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            queries = len(captured)
            times.append(elapsed)
        times = sorted(times[1:])
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        row = {
            "page": name,
            "url": url,
            "status": status,
            "queries": queries,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95, 1),
        }
        results.append(row)
        print(
            f"{name:40} {status} {queries:3} queries  median {row['median_ms']:8.1f} ms"
            f"  p95 {row['p95_ms']:8.1f} ms"
        )
        if explain:
            slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]
            for q in slowest:
                print(f"    {q['time']} s: {q['sql'][:300]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--beneficiaries", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="reuse the data already built")
    parser.add_argument("--explain", action="store_true", help="print the slowest queries")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    if not (args.keep and Organisation.objects.filter(slug=SLUG).exists()):
        started = time.perf_counter()
        with transaction.atomic():
            build(args.beneficiaries)
        print(f"built in {time.perf_counter() - started:.0f} s")
    results = measure(args.runs, args.explain)
    worst = max(r["p95_ms"] for r in results)
    print(
        json.dumps(
            {
                "beneficiaries": args.beneficiaries,
                "worst_p95_ms": worst,
                "target_p95_ms": TARGET_P95_MS,
                "pages": results,
            }
        )
    )


if __name__ == "__main__":
    main()
