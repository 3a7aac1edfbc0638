"""Benchmark of the daily jobs of assessments, bilans, mentoring, network and peers at
network size (issue #16): queries and seconds per job, for one organisation.

Usage::

    createdb -h 127.0.0.1 -U postgres tisser_bench_jobs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tisser_bench_jobs \\
        python bench/daily_jobs_apps.py --seed [--people 5000] [--due 1000]
    DATABASE_URL=... python bench/daily_jobs_apps.py

`--seed` migrates and fills the database (bulk inserts: one organisation, PEOPLE
beneficiaries, each with 20 contacts, 5 enquêtes with their dated steps, a bilan ended five
days ago (CPF for one in five; its documents destroyed but for DUE of them, one in 250 by
default, which hold a parcours, réussites, a project and two isolation checks); PEOPLE/5
mentorships started 31 days ago; PEOPLE/25 peer groups of 5 members). Without it, every
registered job of the five apps runs twice, for the organisation (`organisation_id=` when the
task takes it, the whole task otherwise, which is how the code before issue #16 ran): the
first run writes what is due, the second finds it done. Each line: job, queries, batches
begun (`batch_begin`, ADR 0030) and seconds of both runs. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APPS = ("assessments", "bilans", "mentoring", "network", "peers")


def seed(people: int, due: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from tisser.accounts.models import Membership, Organisation, User
    from tisser.assessments.models import IsolationCheck
    from tisser.bilans.models import Achievement, Bilan, Experience, Funding, Phase, Project
    from tisser.core.enums import Role
    from tisser.mentoring.models import MentorProfile, Mentorship
    from tisser.network.models import Contact, InformationalInterview, Stage, StageEvent
    from tisser.peers.models import PeerGroup, PeerGroupMember

    call_command("migrate", verbosity=0)
    now = timezone.now()
    password = make_password("bench-password")
    organisation = Organisation.objects.create(name="Bench")

    def users(prefix: str, count: int) -> list[User]:
        return User.objects.bulk_create(
            [
                User(email=f"{prefix}{i}@bench.test", password=password, first_name=prefix)
                for i in range(count)
            ],
            batch_size=2000,
        )

    coordinators = users("coord", 2)
    consultants = users("cons", 50)
    beneficiaries = users("benef", people)
    mentors = users("mentor", max(people // 10, 1))
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=organisation, role=Role.COORDINATOR) for u in coordinators]
        + [Membership(user=u, organisation=organisation, role=Role.CONSULTANT) for u in consultants]
        + [
            Membership(
                user=u,
                organisation=organisation,
                role=Role.BENEFICIARY,
                consultant=consultants[i % 50],
            )
            for i, u in enumerate(beneficiaries)
        ]
        + [Membership(user=u, organisation=organisation, role=Role.MENTOR) for u in mentors],
        batch_size=2000,
    )
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                owner=u,
                organisation=organisation,
                last_name=f"Contact{j}",
                sector=f"Secteur {j % 7}",
                how_known="linkedin",
            )
            for u in beneficiaries
            for j in range(20)
        ],
        batch_size=5000,
    )
    Contact.objects.update(created_at=now - timedelta(days=10))
    stages = [Stage.MESSAGE_SENT, Stage.FOLLOWED_UP, Stage.INTERVIEW_DONE, Stage.THANKED]
    interviews = InformationalInterview.objects.bulk_create(
        [
            InformationalInterview(
                owner_id=c.owner_id,
                contact=c,
                stage=stages[j % 4],
                stage_changed_at=now - timedelta(days=8),
            )
            for i, c in enumerate(contacts)
            if (j := i % 20) < 5
        ],
        batch_size=5000,
    )
    StageEvent.objects.bulk_create(
        [StageEvent(interview=i, stage=i.stage, at=i.stage_changed_at) for i in interviews],
        batch_size=5000,
    )
    Bilan.objects.bulk_create(
        [
            Bilan(
                organisation=organisation,
                beneficiary=u,
                consultant=consultants[i % 50],
                funding=Funding.CPF if i % 5 == 0 else Funding.EMPLOYER,
                status=Phase.CLOSED,
                planned_hours=Decimal(24),
                opened_at=now - timedelta(days=90),
                closed_at=now - timedelta(days=5, hours=1),
                # Their documents already destroyed, but for the day's DUE.
                purged_at=None if i < due else now,
            )
            for i, u in enumerate(beneficiaries)
        ],
        batch_size=2000,
    )
    due_bilans = list(Bilan.objects.filter(purged_at__isnull=True).select_related("beneficiary"))
    during = now - timedelta(days=60)
    Experience.objects.bulk_create(
        Experience(bilan=b, kind=Experience.Kind.JOB, title="Comptable", started_on=during.date())
        for b in due_bilans
        for _ in range(3)
    )
    Achievement.objects.bulk_create(
        Achievement(bilan=b, title="Clôture", situation="s", action="a", result="r")
        for b in due_bilans
        for _ in range(2)
    )
    Project.objects.bulk_create(
        Project(bilan=b, kind="training", title="Former", preferred=True) for b in due_bilans
    )
    checks = IsolationCheck.objects.bulk_create(
        IsolationCheck(
            user_id=b.beneficiary_id,
            organisation=organisation,
            moment=moment,
            version="v1",
            answers={},
            scores={"overall": 50},
        )
        for b in due_bilans
        for moment in (IsolationCheck.Moment.START, IsolationCheck.Moment.END)
    )
    IsolationCheck.objects.filter(pk__in=[c.pk for c in checks]).update(created_at=during)
    profiles = MentorProfile.objects.bulk_create(
        [
            MentorProfile(organisation=organisation, user=u, headline="Mentor", career_path="…")
            for u in mentors
        ]
    )
    Mentorship.objects.bulk_create(
        [
            Mentorship(
                organisation=organisation,
                mentee=u,
                mentor=profiles[i % len(profiles)],
                origin="request",
                started_at=now - timedelta(days=31),
                planned_end=(now + timedelta(days=150)).date(),
                last_activity_at=now - timedelta(days=40),
            )
            for i, u in enumerate(beneficiaries[: people // 5])
        ]
    )
    groups = PeerGroup.objects.bulk_create(
        [
            PeerGroup(organisation=organisation, name=f"Groupe {g}", status="active")
            for g in range(max(people // 25, 1))
        ]
    )
    PeerGroupMember.objects.bulk_create(
        [
            PeerGroupMember(group=g, user=beneficiaries[gi * 5 + k], position=k, status="accepted")
            for gi, g in enumerate(groups)
            for k in range(5)
        ]
    )
    print(f"seeded: {people} beneficiaries, {len(contacts)} contacts, {len(interviews)} enquêtes")


def run(apps: tuple[str, ...] = APPS) -> dict:
    from django.db import connection

    from tisser.accounts.models import Organisation
    from tisser.core.daily_jobs import batches_counted, daily_jobs

    organisation = Organisation.objects.get(name="Bench")
    results = {}
    for job in daily_jobs():
        if job.path.split(".")[1] not in apps:
            continue
        takes_organisation = "organisation_id" in inspect.signature(job.task.func).parameters
        kwargs = {"organisation_id": organisation.pk} if takes_organisation else {}
        rounds = []
        for _ in range(2):
            # Counted one by one: CaptureQueriesContext's log stops at 9,000 queries.
            count = [0]

            def counted(execute, sql, params, many, context, count=count):
                count[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counted), batches_counted() as batches:
                started = time.perf_counter()
                job.task.call(**kwargs)
                seconds = time.perf_counter() - started
            rounds.append((count[0], round(seconds, 2), batches()))
        name = job.path.rsplit(".", 1)[1]
        results[name] = rounds
        print(
            f"{name:40} first {rounds[0][0]:>6} q {rounds[0][2]:>3} b {rounds[0][1]:>6} s   "
            f"again {rounds[1][0]:>6} q {rounds[1][2]:>3} b {rounds[1][1]:>6} s"
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument(
        "--due", type=int, default=None, help="bilans whose documents are due (PEOPLE/250)"
    )
    parser.add_argument("--apps", default=",".join(APPS), help="comma-separated, e.g. network")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    if args.seed:
        seed(args.people, args.people // 250 if args.due is None else args.due)
        return 0
    print(json.dumps(run(tuple(args.apps.split(",")))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
