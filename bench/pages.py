"""Benchmark of every page and every job at the demo's size, then at network size (issue #16).

Usage::

    python bench/pages.py [--beneficiaries N] [--database-url URL] [--repeat R]
                          [--budget S] [--rome full|small] [--only SUBSTRING] [--fresh]
                          [--jobs-only]
                          [--i-know]

It works on the configured database (--database-url, else DATABASE_URL, else the
development SQLite file; PostgreSQL or SQLite) and refuses, with exit code 2, a database
holding a real person — anyone whose address is neither the demo's (@demo.tisser.fr) nor the
bench's (@bench.tisser.test) — unless --i-know. It migrates the database, imports the ROME
référentiel when none is there (--rome full: settings.ROME_SOURCE, about 40 s, the default
when present, so that the métier pages search the whole référentiel; --rome small: the
synthetic test fixture), seeds the demo (`seed_demo`), gives the demo's consultants and
coordinator an authenticator (as the MFA middleware asks) and runs a matching round and a
group formation for the coordination to review. A database already grown by an earlier run
is refused: start from a fresh one (--fresh empties it first).

Phase 1, the demo's size: one demo person per role (the first beneficiary, Camille Roussel;
the first consultant, her consultant; the first mentor; the coordinator) signed in with the
test Client visits every GET page of tests/test_access.py ACCESS, its kwargs filled with that
person's own objects (their bilan, meetings, contacts, mentorship, group; the round and the
formation for the coordination); the pages that answer 200 are measured: query count, then
the server time over R requests (default 5) after one warm-up (a page whose first request
takes longer than --budget seconds, default 5, is timed once, on that request; the table
says "timed-once"). Its kwargs are those of the other demo people of the role when the
first one has no such object (the demo's mentee for a mentorship...). Then every daily job
(`tisser.core.daily_jobs`, once per organisation when the job takes `organisation_id`, and
each batch a batched job queues behind its task, see `tisser.accounts.job_scope`: its count
is that of the costliest task, less the one INSERT that queues its next batch, said apart;
its time is the sum) and the notification dispatch, twice (the
second run is the idle one, once the outbox has been emptied): query count and time.

Phase 2: `bench.scale.grow` adds N beneficiaries (default 5,000) and their activity to the
demo's organisme, and a second organisme (see bench/scale.py); the same people visit the
same pages and the jobs run again. Printed: one row per page (role, URL name, queries demo →
N, p95 ms at the demo's size, median and p95 ms at N), slowest first, then one row per job;
a page whose query count at N exceeds the demo's is "growing", and a job whose count per
batch does (a job that reads its rows by batches, `batch_begin`, does as many batches as its
rows need; ADR 0030). `--jobs-only` measures the jobs and no page. The last line is one JSON
object::

    {"beneficiaries": N, "pages": ..., "pages_with_growing_queries": ...,
     "jobs_with_growing_queries": ..., "max_p95_ms": ..., "worst_page": "...",
     "growing_pages": [...], "growing_jobs": [...], "errors": [...], "grow_s": ...}

Target (issue #16): at 5,000 beneficiaries on PostgreSQL, every page p95 <= 300 ms with the
query count of the demo's size.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import BENCH_DOMAIN, real_users  # noqa: E402

BENEFICIARIES = 5_000
REPEAT = 5
BUDGET_S = 5.0
TARGET_P95_MS = 300.0
ROLES = ("beneficiary", "consultant", "mentor", "coordinator")
# ACCESS kwargs that name a made-up object: the bench asks for a real one instead.
LITERALS = {"Z9999": "{code_rome}"}
# A kwarg that needs another object than the placeholder of ACCESS says.
OVERRIDES = {("peers:prepare", "occurrence_id"): "{group_occurrence}"}


class Refused(Exception):
    """The database is not one the bench may write to."""


# The task queue's table (django-tasks-db): a batched job queues its next batch there.
TASK_TABLE = "django_tasks_database_dbtaskresult"


class QueryCount:
    """Counts the queries run on the default connection (every one, unlike
    CaptureQueriesContext, whose log stops at 9,000)."""

    def __init__(self):
        self.count = 0
        self.handed_on = 0  # of which: queueing a task (a batched job's next batch)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if sql.startswith(f'INSERT INTO "{TASK_TABLE}"'):
            self.handed_on += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapped.__exit__(*exc)
        return False


def load() -> str:
    """The machine's load average: times measured on a busy machine are longer."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Measure:
    status: int = 0
    queries: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    error: str = ""
    once: bool = False  # timed once: its first request took longer than the budget
    tasks: int = 0  # a job: how many tasks its run took (one per organisation and batch)
    handed_on: int = 0  # a job: the INSERTs that queued its next batch (not in `queries`)
    drained: int = 0  # the idle dispatch: the dispatches run first to empty the outbox
    # A job's batches inside its costliest task (`tisser.core.daily_jobs.batch_begin`); 0 for
    # a page, or a job that does one batch per task.
    batches: int = 0

    @property
    def per_batch(self) -> int:
        """A job's queries per batch, rounded up (its whole count when it has no batches)."""
        return -(-self.queries // max(self.batches, 1))


@dataclass
class Page:
    role: str
    name: str
    url: str
    user: object = None
    at: dict[str, Measure] = field(default_factory=dict)


# --- the database -------------------------------------------------------------------------


def database_check(i_know: bool) -> None:
    """Raise Refused when the database holds a real person (unless `i_know`)."""
    from django.db import connection

    if "accounts_user" not in connection.introspection.table_names():
        return
    found = real_users().order_by("pk").values_list("email", flat=True).first()
    if found is not None and not i_know:
        raise Refused(
            f"refused: this database holds real users (e.g. {found}); "
            "use a bench database, or --i-know"
        )


def database_prepare(rome: str, fresh: bool) -> list[str]:
    """Migrate, import a référentiel, seed the demo; the lines to print."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tisser.accounts.models import User
    from tisser.referentiel.models import RomeVersion

    said = []
    if fresh and "accounts_user" in connection.introspection.table_names():
        call_command("flush", interactive=False, verbosity=0)
        said.append("database emptied (--fresh)")
    call_command("migrate", verbosity=0)
    if User.objects.filter(email__iendswith=f"@{BENCH_DOMAIN}").exists():
        raise Refused(
            "refused: this database was grown by an earlier run; use a fresh one (or --fresh)"
        )
    if not RomeVersion.objects.filter(is_current=True).exists():
        from tisser.referentiel.importer import rome_import

        source = Path(settings.ROME_SOURCE)
        if rome == "full" and not source.exists():
            said.append(f"ROME data absent from {source}: the small synthetic fixture used")
            rome = "small"
        if rome == "small":
            from tests.fixtures.rome_fixture import FIXTURE

            source = FIXTURE
        started = time.perf_counter()
        rome_import(source)
        said.append(f"référentiel {rome} imported in {time.perf_counter() - started:.1f} s")
    else:
        said.append("référentiel already imported")
    started = time.perf_counter()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    said.append(f"demo seeded in {time.perf_counter() - started:.1f} s")
    return said


def demo_people():
    from tisser.accounts.demo import BENEFICIARIES, CONSULTANTS, COORDINATORS, MENTORS, demo_email
    from tisser.accounts.models import User

    def first(names):
        return User.objects.get(email=demo_email(*names[0]))

    return {
        "beneficiary": first(BENEFICIARIES),
        "consultant": first(CONSULTANTS),
        "mentor": first(MENTORS),
        "coordinator": first(COORDINATORS),
    }


def demo_others(role: str) -> list:
    """The demo's other people of `role`, asked for the objects the first one lacks (the
    demo's mentee, the members of its peer groups...)."""
    from tisser.accounts import demo
    from tisser.accounts.models import User

    names = {
        "beneficiary": demo.BENEFICIARIES,
        "consultant": demo.CONSULTANTS,
        "mentor": demo.MENTORS,
        "coordinator": demo.COORDINATORS,
    }[role]
    emails = [demo.demo_email(*name) for name in names[1:]]
    found = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails if email in found]


def _demo_peer_group(organisation, coordinator) -> list[str]:
    """The demo publishes no peer group: three of its beneficiaries (those who gave no
    preferences first) form one, published and joined, so that a group's pages have a
    member to visit them."""
    from django.db import transaction

    from tisser.core.enums import Role
    from tisser.peers.models import PeerGroup, PeerGroupMember, PeerProfile
    from tisser.peers.services.groups import peer_group_activate
    from tisser.peers.services.membership import peer_member_accept

    if PeerGroup.objects.filter(organisation=organisation, name="Groupe du banc").exists():
        return []
    with_profile = set(
        PeerProfile.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    users = sorted(
        (
            membership.user
            for membership in organisation.memberships.filter(role=Role.BENEFICIARY)
            .select_related("user")
            .order_by("pk")
        ),
        key=lambda user: user.pk in with_profile,
    )[:3]
    if len(users) < 3:
        return ["no peer group for the demo's beneficiaries: fewer than three"]
    # Those who gave preferences stop seeking a group: the formation keeps the others.
    PeerProfile.objects.filter(organisation=organisation, user__in=users).update(seeking=False)
    with transaction.atomic():
        group = PeerGroup.objects.create(organisation=organisation, name="Groupe du banc")
        PeerGroupMember.objects.bulk_create(
            PeerGroupMember(group=group, user=user, position=position)
            for position, user in enumerate(users)
        )
        group = peer_group_activate(group=group, by=coordinator)
    for user in users:
        peer_member_accept(actor=user, group=group)
    return ["a peer group of three demo beneficiaries published and joined"]


def demo_complete(people) -> list[str]:
    """Authenticators for the staff, a round and a formation in review (once)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.exceptions import ValidationError

    from tisser.mentoring.models import HelpKind, MatchingRound, MenteeProfile
    from tisser.mentoring.services.rounds import round_run
    from tisser.peers.models import GroupFormation
    from tisser.peers.services.formation import formation_compute, formation_run

    said = []
    for role in ("consultant", "coordinator"):
        user = people[role]
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    coordinator = people["coordinator"]
    organisation = coordinator.memberships.get().organisation
    review = MatchingRound.objects.filter(
        organisation=organisation, status=MatchingRound.Status.REVIEW
    )
    if not review.exists():
        try:
            round_run(organisation=organisation, cohort="", by=coordinator)
        except ValidationError as error:
            if "no_mentee" not in str(getattr(error, "code", "")) + str(error):
                raise
            # Nobody seeks a mentor in the demo: two of its beneficiaries do now.
            from tisser.core.enums import Role

            for membership in organisation.memberships.filter(role=Role.BENEFICIARY)[:4]:
                if not MenteeProfile.objects.filter(user=membership.user).exists():
                    MenteeProfile.objects.create(
                        organisation=organisation,
                        user=membership.user,
                        seeking=True,
                        help_wanted=[HelpKind.values[0]],
                        availability=(1 << 21) - 1,
                        languages=["fr"],
                    )
            round_run(organisation=organisation, cohort="", by=coordinator)
        said.append("a matching round run for review")
    said += _demo_peer_group(organisation, coordinator)
    formations = GroupFormation.objects.filter(organisation=organisation)
    if not formations.filter(status=GroupFormation.Status.REVIEW).exists():
        formation = formation_run(
            organisation=organisation, cohort="", target_size=4, by=coordinator
        )
        formation_compute(formation_id=formation.pk, version=formation.version)
        said.append("a group formation computed for review")
    return said


# --- the pages ------------------------------------------------------------------------------


def _first(queryset):
    row = queryset.first()
    return None if row is None else row.pk


def placeholders(role: str, user, people) -> dict:
    """Lazily: placeholder of ACCESS → the pk (or code) of this person's own object."""
    from tisser.assessments.models import InventoryResponse, IsolationCheck, SafetyConcern
    from tisser.bilans.models import (
        Achievement,
        Bilan,
        BilanSession,
        CpfDossier,
        Experience,
        PortfolioItem,
        Project,
        ProjectStep,
        ShortlistEntry,
    )
    from tisser.core.enums import Role
    from tisser.meetings.models import MeetingSeries, Occurrence
    from tisser.mentoring.models import (
        Goal,
        MatchingRound,
        MentorProfile,
        Mentorship,
        MentorshipRequest,
    )
    from tisser.network.models import (
        Contact,
        ContactImport,
        GuideQuestion,
        InformationalInterview,
        InterviewGuide,
        InterviewQuestion,
    )
    from tisser.peers.models import Commitment, GroupFormation, PeerGroup, Promotion
    from tisser.referentiel.models import Metier

    membership = user.memberships.order_by("pk").first()
    organisation = membership.organisation

    def bilan():
        if role == "beneficiary":
            return _first(Bilan.objects.filter(beneficiary=user).order_by("-opened_at"))
        if role == "consultant":
            own = Bilan.objects.filter(consultant=user)
            return _first(own.filter(beneficiary=people["beneficiary"])) or _first(own)
        if role == "coordinator":
            dossier = CpfDossier.objects.filter(bilan__organisation=organisation).first()
            return (
                dossier.bilan_id
                if dossier
                else _first(Bilan.objects.filter(organisation=organisation))
            )
        return None

    def series():
        return _first(MeetingSeries.objects.filter(participants__user=user).order_by("pk"))

    def occurrence():
        bilan_id = cache("bilan")
        if bilan_id:
            session = BilanSession.objects.filter(bilan_id=bilan_id).order_by("pk").first()
            if session:
                return _first(
                    Occurrence.objects.filter(series_id=session.series_id).order_by("start")
                )
        return _first(Occurrence.objects.filter(series__participants__user=user).order_by("start"))

    def group_occurrence():
        group = PeerGroup.objects.filter(pk=cache("peer_group")).first()
        if group is None or group.series_id is None:
            return None
        return _first(Occurrence.objects.filter(series_id=group.series_id).order_by("start"))

    def of_bilan(model, **extra):
        def get():
            bilan_id = cache("bilan")
            return _first(model.objects.filter(bilan_id=bilan_id, **extra)) if bilan_id else None

        return get

    def code_rome():
        entry = ShortlistEntry.objects.filter(bilan_id=cache("bilan")).select_related("metier")
        entry = entry.first()
        if entry:
            return entry.metier.code_rome
        metier = Metier.objects.order_by("code_rome").first()
        return metier.code_rome if metier else None

    def contact(offset):
        def get():
            rows = Contact.objects.filter(owner=user).order_by("pk").values_list("pk", flat=True)
            rows = list(rows[offset : offset + 1])
            return rows[0] if rows else None

        return get

    def mentorship():
        if role == "beneficiary":
            return _first(Mentorship.objects.filter(mentee=user).order_by("-started_at"))
        if role == "mentor":
            return _first(Mentorship.objects.filter(mentor__user=user).order_by("-started_at"))
        return None

    def mentor_profile():
        if role == "mentor":
            return _first(MentorProfile.objects.filter(user=user))
        return _first(
            MentorProfile.objects.filter(
                organisation=organisation, status=MentorProfile.Status.VALIDATED
            ).order_by("pk")
        )

    def request():
        if role == "mentor":
            return _first(MentorshipRequest.objects.filter(mentor__user=user))
        return _first(MentorshipRequest.objects.filter(mentee=user))

    def peer_group():
        if role == "coordinator":
            return _first(PeerGroup.objects.filter(organisation=organisation).order_by("pk"))
        return _first(
            PeerGroup.objects.filter(members__user=user, members__status="accepted").order_by("pk")
        )

    def beneficiary():
        if role == "consultant":
            bilan_id = cache("bilan")
            return Bilan.objects.get(pk=bilan_id).beneficiary_id if bilan_id else None
        return user.pk

    def beneficiary_membership():
        return _first(
            organisation.memberships.filter(role=Role.BENEFICIARY, user=people["beneficiary"])
        )

    getters = {
        "bilan": bilan,
        "series": series,
        "occurrence": occurrence,
        "group_occurrence": group_occurrence,
        "isolation_check": lambda: _first(IsolationCheck.objects.filter(user=user)),
        "interests_response": lambda: _first(
            InventoryResponse.objects.filter(user=user, kind="interests")
        ),
        "values_response": lambda: _first(
            InventoryResponse.objects.filter(user=user, kind="values")
        ),
        "safety_concern": lambda: _first(SafetyConcern.objects.filter(user=user)),
        "experience": of_bilan(Experience),
        "achievement": of_bilan(Achievement),
        "portfolio_item": of_bilan(PortfolioItem),
        "shortlist_entry": of_bilan(ShortlistEntry),
        "project": of_bilan(Project),
        "step": lambda: _first(ProjectStep.objects.filter(project__bilan_id=cache("bilan"))),
        "code_rome": code_rome,
        "contact": contact(0),
        "other_contact": contact(1),
        "interview": lambda: _first(InformationalInterview.objects.filter(owner=user)),
        "interview_question": lambda: _first(
            InterviewQuestion.objects.filter(interview__owner=user)
        ),
        "contact_import": lambda: _first(ContactImport.objects.filter(owner=user)),
        "guide": lambda: _first(InterviewGuide.objects.filter(organisation=organisation)),
        "guide_question": lambda: _first(
            GuideQuestion.objects.filter(guide__organisation=organisation)
        ),
        "mentorship": mentorship,
        "goal": lambda: _first(Goal.objects.filter(mentorship_id=cache("mentorship"))),
        "mentor_profile": mentor_profile,
        "mentorship_request": request,
        "matching_round": lambda: _first(
            MatchingRound.objects.filter(organisation=organisation).order_by("-pk")
        ),
        "group_formation": lambda: _first(
            GroupFormation.objects.filter(organisation=organisation).order_by("-pk")
        ),
        "peer_group": peer_group,
        "commitment": lambda: _first(Commitment.objects.filter(user=user)),
        "peer_promotion": lambda: _first(Promotion.objects.filter(organisation=organisation)),
        "beneficiary": beneficiary,
        "beneficiary_membership": beneficiary_membership,
    }
    found: dict = {}

    def cache(name):
        if name not in found:
            getter = getters.get(name)
            found[name] = getter() if getter else None
        return found[name]

    return cache


def page_list(people, only: str) -> tuple[list[Page], list[str]]:
    """Every GET page of ACCESS per role, with that person's objects; the ones skipped."""
    from django.urls import reverse

    from tests.test_access import ACCESS

    pages, skipped = [], []
    for role in ROLES:
        skipped.append(f"[{role}]")
        visitors = [people[role], *demo_others(role)]
        values = {}
        for name, case in sorted(ACCESS.items()):
            if case.method != "get" or ":" not in name or (only and only not in name):
                continue
            if any(key in ("token", "key", "uidb36") for key in case.kwargs):
                continue  # a made-up token: nothing to measure
            missing = ""
            for visitor in visitors if case.kwargs else visitors[:1]:
                if visitor.pk not in values:
                    values[visitor.pk] = placeholders(role, visitor, people)
                kwargs, missing = {}, ""
                for key, value in case.kwargs.items():
                    value = OVERRIDES.get((name, key), LITERALS.get(value, value))
                    if isinstance(value, str) and value.startswith("{"):
                        value = values[visitor.pk](value.strip("{}"))
                        if value is None:
                            missing = f"no {case.kwargs[key].strip('{}')}"
                    kwargs[key] = value
                if not missing:
                    pages.append(Page(role, name, reverse(name, kwargs=kwargs), visitor))
                    break
            if missing:
                skipped.append(f"{name} ({missing})")
    return pages, skipped


def fetched(client, url: str):
    """The response to a GET of `url`, its body read: a streamed download (contacts, personal
    data) reads the database as it is sent, and that time and those queries are the page's."""
    response = client.get(url)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


def measure_pages(pages: list[Page], label: str, repeat: int, budget_s: float) -> None:
    from django.core import mail
    from django.test import Client

    from tisser.referentiel.context_processors import rome_number_current, rome_number_forget

    clients = {}
    for page in pages:
        if page.user.pk not in clients:
            clients[page.user.pk] = Client(raise_request_exception=False)
            clients[page.user.pk].force_login(page.user)
        client = clients[page.user.pk]
        measure = Measure()
        try:
            # The footer's ROME number is read once a minute per process: read it now, so
            # that the page counted next does not pay it by chance (it would count as growth).
            rome_number_forget()
            rome_number_current()
            started = time.perf_counter()
            with QueryCount() as queries:
                response = fetched(client, page.url)
            first_ms = (time.perf_counter() - started) * 1000
            measure.status = response.status_code
            measure.queries = queries.count
            if measure.status != 200:
                page.at[label] = measure
                continue
            # Beyond the budget, the first request (counted queries included) is its time.
            timings = [first_ms] if first_ms > budget_s * 1000 else []
            measure.once = bool(timings)
            for _ in range(0 if timings else repeat):
                started = time.perf_counter()
                fetched(client, page.url)
                timings.append((time.perf_counter() - started) * 1000)
            measure.median_ms = statistics.median(timings)
            measure.p95_ms = percentile(timings, 0.95)
        except Exception as error:  # reported, the bench goes on
            measure.status, measure.error = 500, f"{type(error).__name__}: {error}"[:200]
        page.at[label] = measure
        mail.outbox = []
        print(  # progress, on stderr: the report on stdout comes at the end
            f"  {label} {page.role} {page.name}: HTTP {measure.status}, {measure.queries} "
            f"queries, p95 {measure.p95_ms:.0f} ms",
            file=sys.stderr,
        )


# --- the jobs -------------------------------------------------------------------------------


def job_list():
    from tisser.core.daily_jobs import daily_jobs
    from tisser.notifications.tasks import notifications_dispatch

    jobs = [(job.task.name, job.task) for job in daily_jobs()]
    jobs += [("notifications_dispatch", notifications_dispatch)]
    jobs += [("notifications_dispatch (idle)", notifications_dispatch)]
    return jobs


def outbox_drain() -> int:
    """Deliver what is still due (not measured), so that the next dispatch is an idle one: the
    first dispatch delivers one run's worth (MAX_BATCHES × BATCH_SIZE) and the grown outbox
    holds more. Returns how many more dispatches it took."""
    from tisser.notifications.tasks import notifications_dispatch

    runs = 0
    while runs < 100:
        runs += 1
        report = notifications_dispatch.call()
        if not any(report.values()):  # nothing planned, sent, retried or skipped
            break
    return runs


def queued_batches(task) -> list[dict]:
    """The arguments of the batches `task` queued (taken off the queue: the bench runs them)."""
    from django_tasks_db.models import DBTaskResult

    rows = list(
        DBTaskResult.objects.filter(task_path=task.module_path, status="READY").order_by(
            "enqueued_at", "pk"
        )
    )
    DBTaskResult.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return [row.args_kwargs["kwargs"] for row in rows]


def run_job(name: str, task) -> Measure:
    from django.core import mail

    from tisser.accounts.models import Organisation
    from tisser.core.daily_jobs import batches_counted

    measure = Measure(status=200)
    if name.endswith("(idle)"):
        measure.drained = outbox_drain()
    parameters = inspect.signature(task.func).parameters
    calls = (
        [
            {"organisation_id": pk}
            for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True)
        ]
        if "organisation_id" in parameters
        else [{}]
    )
    started = time.perf_counter()
    try:
        # A daily job runs once per organisation (ADR 0030): what must not grow is the cost of
        # one task, so the costliest task's count is kept (the grown database has two
        # organisations). A batched job's task queues its next batch as a task of its own
        # (`job_scope.batches_run`): the bench takes them from the queue and runs them in turn.
        # A job that must end in its run reads batch after batch inside it (`batch_begin`):
        # its count per batch is what is compared.
        while calls:
            with QueryCount() as queries, batches_counted() as batches:
                task.call(**calls.pop(0))
            # Queueing the next batch is one INSERT whatever the size: said apart, not compared.
            count = queries.count - queries.handed_on
            if count > measure.queries:
                measure.queries, measure.batches = count, batches()
            measure.handed_on = max(measure.handed_on, queries.handed_on)
            measure.tasks += 1
            calls += queued_batches(task)
    except Exception as error:  # reported, the bench goes on
        measure.status, measure.error = 500, f"{type(error).__name__}: {error}"[:200]
    measure.median_ms = measure.p95_ms = (time.perf_counter() - started) * 1000
    mail.outbox = []
    print(
        f"  job {task.name}: {measure.queries} queries in {measure.batches} batches, "
        f"{measure.median_ms:.0f} ms",
        file=sys.stderr,
    )
    return measure


# --- the report -----------------------------------------------------------------------------


def report(pages: list[Page], jobs: dict, n: int, first: str, second: str) -> dict:
    measured = [p for p in pages if p.at[first].status == 200]
    measured.sort(key=lambda p: -p.at[second].p95_ms)
    print()
    print(
        f"{'role':<12} {'page':<40} {'queries':>15} {'p95 demo':>9} {'median N':>9} "
        f"{'p95 N':>9}  note"
    )
    growing, errors = [], []
    for page in measured:
        a, b = page.at[first], page.at[second]
        note = ""
        if b.status != 200:
            note = f"HTTP {b.status} at {second}" + (f" ({b.error})" if b.error else "")
            errors.append(f"{page.role} {page.name}: {note}")
        if b.queries > a.queries:
            growing.append(f"{page.role} {page.name}")
            note = (note + " growing").strip()
        if b.p95_ms > TARGET_P95_MS:
            note = (note + " slow").strip()
        if b.once:
            note = (note + " timed-once").strip()
        print(
            f"{page.role:<12} {page.name:<40} {a.queries:>6} → {b.queries:<6} "
            f"{a.p95_ms:>9.1f} {b.median_ms:>9.1f} {b.p95_ms:>9.1f}  {note}"
        )
    print()
    print(
        f"{'job':<44} {'queries (batches)':>27} {'per batch':>13} {'tasks':>11} {'ms demo':>9} "
        f"{'ms N':>9}  note"
    )
    growing_jobs = []
    for name, (a, b) in jobs.items():
        note = ""
        if b.status != 200 or a.status != 200:
            note = (b.error or a.error)[:120]
            errors.append(f"job {name}: {note}")
        if b.per_batch > a.per_batch:
            growing_jobs.append(name)
            note = (note + " growing").strip()
        if b.handed_on:
            note = (note + f" +{b.handed_on} to queue the next batch").strip()
        if b.drained:
            note = (note + f" after {b.drained} dispatches emptied the outbox").strip()
        counts = f"{a.queries} ({a.batches}) → {b.queries} ({b.batches})"
        print(
            f"{name:<44} {counts:>27} {a.per_batch:>5} → {b.per_batch:<5} "
            f"{a.tasks:>4} → {b.tasks:<4} {a.median_ms:>9.1f} {b.median_ms:>9.1f}  {note}"
        )
    worst = measured[0] if measured else None
    return {
        "beneficiaries": n,
        "pages": len(measured),
        "pages_with_growing_queries": len(growing),
        "jobs_with_growing_queries": len(growing_jobs),
        "max_p95_ms": round(worst.at[second].p95_ms, 1) if worst else None,
        "worst_page": f"{worst.role} {worst.name}" if worst else None,
        "growing_pages": growing,
        "growing_jobs": growing_jobs,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beneficiaries", type=int, default=BENEFICIARIES)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument(
        "--budget",
        type=float,
        default=BUDGET_S,
        help="seconds: a page whose first request takes longer is timed once",
    )
    parser.add_argument("--rome", choices=("full", "small"), default="full")
    parser.add_argument("--only", default="", help="only the pages whose URL name holds this")
    parser.add_argument("--jobs-only", action="store_true", help="no page, only the jobs")
    parser.add_argument("--fresh", action="store_true", help="empty the database first")
    parser.add_argument("--i-know", action="store_true", help="run on a database with real users")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # As a server would: no debug pages, e-mails kept in memory, the test Client's host.
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # not every 404 said

    try:
        database_check(args.i_know)
        said = database_prepare(args.rome, args.fresh)
    except Refused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    for line in said:
        print(line)
    people = demo_people()
    for line in demo_complete(people):
        print(line)

    pages, skipped = page_list(people, args.only)
    if args.jobs_only:
        pages, skipped = [], []
    jobs = {name: [] for name, _task in job_list()}
    count = sum(not line.startswith("[") for line in skipped)
    print(f"{len(pages)} pages to visit; {count} skipped (no object of that person)")
    if skipped:
        print("  skipped: " + ", ".join(skipped))

    print(f"phase 1, demo size; load average {load()}")
    measure_pages(pages, "demo", args.repeat, args.budget)
    dropped = [p for p in pages if p.at["demo"].status != 200]
    print(
        f"  {len(dropped)} not measured, not a 200 at demo (another role's page is a 404): "
        + ", ".join(f"{p.role} {p.name} {p.at['demo'].status}" for p in dropped)
    )
    if not args.only:
        for name, task in job_list():
            jobs[name].append(run_job(name, task))

    from bench.scale import grow
    from tisser.mentoring.models import MatchingRound
    from tisser.peers.models import GroupFormation

    coordinator = people["coordinator"]
    organisation = coordinator.memberships.get().organisation
    started = time.perf_counter()
    counts = grow(
        organisation,
        beneficiaries=args.beneficiaries,
        coordinator=coordinator,
        heavy_consultant=people["consultant"],
        heavy_beneficiary=people["beneficiary"],
        matching_round=MatchingRound.objects.filter(organisation=organisation)
        .order_by("-pk")
        .first(),
        formation=GroupFormation.objects.filter(organisation=organisation).order_by("-pk").first(),
    )
    grow_s = time.perf_counter() - started
    print(
        f"grown to {args.beneficiaries} beneficiaries in {grow_s:.1f} s: "
        + ", ".join(f"{label} {count}" for label, count in counts.items())
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    label = f"N={args.beneficiaries}"
    print(f"phase 2, {label}; load average {load()}")
    measure_pages([p for p in pages if p.at["demo"].status == 200], label, args.repeat, args.budget)
    for page in pages:
        page.at.setdefault(label, Measure())
    if not args.only:
        for name, task in job_list():
            jobs[name].append(run_job(name, task))
    summary = report(
        pages, {k: v for k, v in jobs.items() if len(v) == 2}, args.beneficiaries, "demo", label
    )
    summary["grow_s"] = round(grow_s, 1)
    print(f"load average at the end {load()}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
