"""Queries and time of the per-minute dispatch and of the meetings' daily jobs at network size.

Usage (PostgreSQL; the database must exist and may be dropped afterwards)::

    createdb -h 127.0.0.1 -U postgres tisser_jobs_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tisser_jobs_bench \\
        python bench/jobs.py [--beneficiaries 5000] [--explain] [--idle-only]

Migrates, then (once: the fixture is kept between runs) bulk-creates one organisation with
BENEFICIARIES beneficiaries (50 consultants, 500 mentors, 2 coordinators), each beneficiary in
a fortnightly bilan series of 10 meetings spread around today, 1,000 open-ended mentoring
series (mentor + mentee, fortnightly) and 200 monthly peer groups of 8, with attendance marked
on the past meetings (some absences twice running). Then runs, counting queries
(CaptureQueriesContext) and timing: the dispatch's planner and delivery (the first one plans
every reminder; the e-mail backend is the in-memory one), the same dispatch again (idle),
`meetings_plan_ahead` and `meetings_inactivity_detect` for the organisation, twice each (the
second run finds nothing left to do). Reminders are planned first, then the due ones are marked
sent (what the following dispatches would do, one row at a time) before the idle dispatch is
measured; `--idle-only` measures only that. `--explain` prints the PostgreSQL plan of the idle
planner's query. Each line also gives the batches the code began (`batch_begin`, ADR 0030:
what must not grow is the cost per batch). The fixture's series are expanded by rule in
Europe/Paris while the bulk-made occurrences are not, so the first plan-ahead adds slots around
the change of time: a heavier first run than real data. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fixture(beneficiaries: int) -> int:
    from django.utils import timezone

    from tisser.accounts.models import Membership, Organisation, User
    from tisser.core.enums import Role
    from tisser.meetings.models import (
        Attendance,
        MeetingKind,
        MeetingMode,
        MeetingSeries,
        Occurrence,
        SeriesParticipant,
    )

    existing = Organisation.objects.filter(slug="bench-jobs").first()
    if existing:
        return existing.pk
    started = time.perf_counter()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    organisation = Organisation.objects.create(name="Bench jobs", slug="bench-jobs")
    Organisation.objects.create(name="Petite", slug="bench-jobs-small")

    def people(prefix: str, count: int) -> list[User]:
        users = [
            User(email=f"{prefix}{i}@bench.test", first_name=prefix, last_name=str(i), password="!")
            for i in range(count)
        ]
        return User.objects.bulk_create(users, batch_size=2000)

    consultants = people("consultant", 50)
    coordinators = people("coordinator", 2)
    mentors = people("mentor", 500)
    beneficiary_users = people("beneficiary", beneficiaries)
    memberships = [
        Membership(user=user, organisation=organisation, role=Role.CONSULTANT)
        for user in consultants
    ]
    memberships += [
        Membership(user=user, organisation=organisation, role=Role.COORDINATOR)
        for user in coordinators
    ]
    memberships += [
        Membership(user=user, organisation=organisation, role=Role.MENTOR) for user in mentors
    ]
    memberships += [
        Membership(
            user=user,
            organisation=organisation,
            role=Role.BENEFICIARY,
            consultant=consultants[i % len(consultants)],
        )
        for i, user in enumerate(beneficiary_users)
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000)

    series: list[MeetingSeries] = []
    members: list[list[tuple[User, str]]] = []
    rules: list[tuple[timedelta, int]] = []  # (interval, count of occurrences)
    organiser, participant = "organiser", "participant"
    for i, user in enumerate(beneficiary_users):
        consultant = consultants[i % len(consultants)]
        first = now - timedelta(weeks=10) + timedelta(hours=(i % 336) // 2)
        series.append(
            MeetingSeries(
                organisation=organisation,
                kind=MeetingKind.BILAN_SESSION,
                title=f"Bilan {i}",
                created_by=consultant,
                first_start=first,
                rrule="FREQ=WEEKLY;INTERVAL=2;COUNT=10",
                mode=MeetingMode.VIDEO,
            )
        )
        members.append([(consultant, organiser), (user, participant)])
        rules.append((timedelta(weeks=2), 10))
    for i in range(1000):
        mentor, mentee = mentors[i % len(mentors)], beneficiary_users[i % len(beneficiary_users)]
        first = now - timedelta(weeks=12) + timedelta(hours=(i % 336) // 2 + 1)
        series.append(
            MeetingSeries(
                organisation=organisation,
                kind=MeetingKind.MENTORING,
                title=f"Mentorat {i}",
                created_by=mentor,
                first_start=first,
                rrule="FREQ=WEEKLY;INTERVAL=2",
                mode=MeetingMode.PHONE,
            )
        )
        members.append([(mentor, organiser), (mentee, participant)])
        rules.append((timedelta(weeks=2), 6))
    for i in range(200):
        group = [beneficiary_users[(i * 8 + k) % len(beneficiary_users)] for k in range(8)]
        first = now - timedelta(weeks=16) + timedelta(hours=(i % 48) * 12 + 2)
        series.append(
            MeetingSeries(
                organisation=organisation,
                kind=MeetingKind.PEER_GROUP,
                title=f"Pairs {i}",
                created_by=group[0],
                first_start=first,
                rrule="FREQ=WEEKLY;INTERVAL=4",
                mode=MeetingMode.ON_SITE,
            )
        )
        members.append([(group[0], organiser)] + [(user, participant) for user in group[1:]])
        rules.append((timedelta(weeks=4), 4))
    MeetingSeries.objects.bulk_create(series, batch_size=2000)
    SeriesParticipant.objects.bulk_create(
        [
            SeriesParticipant(series=s, user=user, role=role)
            for s, people_of in zip(series, members, strict=True)
            for user, role in people_of
        ],
        batch_size=5000,
    )
    occurrences = []
    for s, (interval, count) in zip(series, rules, strict=True):
        for k in range(count):
            start = s.first_start + interval * k
            occurrences.append(
                Occurrence(
                    series=s,
                    original_start=start,
                    start=start,
                    end=start + timedelta(hours=1),
                    mode=s.mode,
                )
            )
    Occurrence.objects.bulk_create(occurrences, batch_size=5000)
    attendances = []
    participants_of = {s.pk: people_of for s, people_of in zip(series, members, strict=True)}
    for occurrence in occurrences:
        if occurrence.start >= now:
            continue
        for n, (user, _role) in enumerate(participants_of[occurrence.series_id]):
            # One participant in seven misses every meeting: absent twice running.
            absent = (user.pk + occurrence.series_id) % 7 == 0 and n > 0
            attendances.append(
                Attendance(
                    occurrence=occurrence,
                    user=user,
                    status=Attendance.Status.ABSENT if absent else Attendance.Status.PRESENT,
                    recorded_by=participants_of[occurrence.series_id][0][0],
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    print(
        f"fixture: {len(series)} series, {len(occurrences)} occurrences, "
        f"{len(attendances)} attendances in {time.perf_counter() - started:.1f} s"
    )
    return organisation.pk


def measure(label: str, function) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tisser.core.daily_jobs import batches_counted

    with CaptureQueriesContext(connection) as queries, batches_counted() as batches:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    print(
        f"{label:<32} {len(queries):>7} queries {batches():>4} batches {seconds:>8.2f} s"
        f"  → {result}"
    )
    return {"queries": len(queries), "batches": batches(), "seconds": round(seconds, 2)}


def explain() -> None:
    from django.db import connection
    from django.utils import timezone

    from tisser.meetings.reminders import occurrences_to_plan_query

    query = occurrences_to_plan_query(now=timezone.now())
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--beneficiaries", type=int, default=5000)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--idle-only", action="store_true", help="only the dispatch with nothing left to do"
    )
    args = parser.parse_args()
    setup()
    organisation_id = fixture(args.beneficiaries)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does soon after bulk loads: without it, the plans are a guess.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from django.utils import timezone

    from tisser.meetings.reminders import reminders_plan
    from tisser.meetings.tasks import meetings_inactivity_detect, meetings_plan_ahead
    from tisser.notifications.delivery import notifications_deliver_due, notifications_due
    from tisser.notifications.models import Notification
    from tisser.notifications.tasks import notifications_dispatch

    def delivered_meanwhile() -> int:
        # What the dispatches of the following minutes would have sent, one row at a time.
        return notifications_due(now=timezone.now()).update(
            status=Notification.Status.SENT, sent_at=timezone.now()
        )

    if args.idle_only:
        delivered_meanwhile()
        figures = {
            "planning_idle": measure("reminders planned (idle)", reminders_plan),
            "dispatch_idle": measure("notifications_dispatch (idle)", notifications_dispatch.call),
        }
        if args.explain:
            explain()
        print(json.dumps(figures))
        return
    figures = {
        "plan_ahead_first": measure(
            "meetings_plan_ahead",
            lambda: meetings_plan_ahead.call(organisation_id=organisation_id),
        ),
        "plan_ahead_again": measure(
            "meetings_plan_ahead (again)",
            lambda: meetings_plan_ahead.call(organisation_id=organisation_id),
        ),
        "planning_first": measure("reminders planned (first)", reminders_plan),
        "planning_again": measure("reminders planned (again)", reminders_plan),
        "delivery_100": measure(
            "delivery of 100 due", lambda: notifications_deliver_due(limit=100).as_dict()
        ),
    }
    delivered_meanwhile()
    figures |= {
        "dispatch_idle": measure("notifications_dispatch (idle)", notifications_dispatch.call),
        "inactivity_first": measure(
            "meetings_inactivity_detect",
            lambda: meetings_inactivity_detect.call(organisation_id=organisation_id),
        ),
        "inactivity_again": measure(
            "meetings_inactivity_detect (again)",
            lambda: meetings_inactivity_detect.call(organisation_id=organisation_id),
        ),
    }
    if args.explain:
        explain()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
