"""The bilans' daily jobs work for one organisation in a number of queries that does not grow
with its bilans (issue #16): 3 or 30 (12 on SQLite), the same count; the other organisations
are left alone."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tests.job_scale import GROWN, queries
from tisser.assessments.models import IsolationCheck
from tisser.bilans.cpf_reminders import _due_soon
from tisser.bilans.isolation_retention import isolation_checks_retention_apply_task
from tisser.bilans.models import (
    Achievement,
    Bilan,
    Experience,
    Funding,
    OutcomeRecord,
    Phase,
    Project,
)
from tisser.bilans.services import retention
from tisser.bilans.services.cpf import cpf_summary
from tisser.bilans.tasks import bilans_cpf_remind, bilans_followup_remind, bilans_retention_apply
from tisser.core.daily_jobs import batches_counted
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.network.models import Contact
from tisser.notifications.models import Notification

pytestmark = pytest.mark.django_db


def organisation_of(count: int, *, funding=Funding.EMPLOYER, closed_days_ago=5, opened=None):
    """An organisation with a consultant, a coordinator and `count` beneficiaries, each with a
    bilan (ended `closed_days_ago` days ago, or still open when None)."""
    organisation = OrganisationFactory()
    consultant = member(Role.CONSULTANT, organisation)
    member(Role.COORDINATOR, organisation)
    now = timezone.now()
    for _ in range(count):
        closed = closed_days_ago is not None
        Bilan.objects.create(
            organisation=organisation,
            beneficiary=member(Role.BENEFICIARY, organisation),
            consultant=consultant,
            funding=funding,
            status=Phase.CLOSED if closed else Phase.INVESTIGATION,
            planned_hours=Decimal(24),
            opened_at=opened or now - timedelta(days=90),
            closed_at=now - timedelta(days=closed_days_ago, hours=1) if closed else None,
        )
    return organisation


def test_the_followup_reminders_take_as_many_queries_for_3_bilans_as_for_more():
    small, grown = organisation_of(3), organisation_of(GROWN)

    assert queries(bilans_followup_remind, small) == queries(bilans_followup_remind, grown)
    # the end's satisfaction questionnaire and isolation check, in the app and by e-mail
    assert Notification.objects.count() == 4 * (3 + GROWN)
    assert queries(bilans_followup_remind, small) == queries(bilans_followup_remind, grown)
    assert Notification.objects.count() == 4 * (3 + GROWN)


def test_the_followup_reminders_of_one_organisation_leave_the_others_alone():
    small, _other = organisation_of(3), organisation_of(2)

    assert bilans_followup_remind.call(organisation_id=small.pk) == 12
    assert bilans_followup_remind.call() == 8


def _entry_due_soon_opening():
    """An opening day whose CPF entry declaration falls due today or on the next working day."""
    now = timezone.now()
    for days in range(15):
        bilan = Bilan(funding=Funding.CPF, opened_at=now - timedelta(days=days))
        if any(_due_soon(deadline) for deadline in cpf_summary(bilan).deadlines):
            return bilan.opened_at
    raise AssertionError("no opening day makes the entry due")


def test_the_cpf_reminders_take_as_many_queries_for_3_bilans_as_for_more():
    opened = _entry_due_soon_opening()
    small = organisation_of(3, funding=Funding.CPF, closed_days_ago=None, opened=opened)
    grown = organisation_of(GROWN, funding=Funding.CPF, closed_days_ago=None, opened=opened)

    assert queries(bilans_cpf_remind, small) == queries(bilans_cpf_remind, grown)
    # the consultant and the coordinator, in the app and by e-mail, for each bilan
    assert Notification.objects.count() == 4 * (3 + GROWN)
    assert queries(bilans_cpf_remind, small) == queries(bilans_cpf_remind, grown)


def test_the_isolation_retention_takes_as_many_queries_for_3_checks_as_for_more():
    small, grown = OrganisationFactory(), OrganisationFactory()
    for organisation, count in ((small, 3), (grown, 30)):
        person = member(Role.BENEFICIARY, organisation)
        for _ in range(count):
            IsolationCheck.objects.create(
                user=person, organisation=organisation, moment="other", version="v1", answers={}
            )

    with freeze_time(timezone.now() + timedelta(days=800)):
        assert queries(isolation_checks_retention_apply_task, small) == queries(
            isolation_checks_retention_apply_task, grown
        )
    assert IsolationCheck.objects.count() == 0


def test_the_retention_reads_as_many_queries_whatever_the_bilans_not_due():
    # bilans ended long ago whose documents are gone and whose management data is kept:
    # nothing due, however many there are
    small, grown = (
        organisation_of(3, closed_days_ago=30),
        organisation_of(GROWN, closed_days_ago=30),
    )
    Bilan.objects.update(purged_at=timezone.now())

    assert queries(bilans_retention_apply, small) == queries(bilans_retention_apply, grown)
    assert bilans_retention_apply.call() == 0


def with_documents(organisation) -> None:
    """One row of several kinds of working documents in each bilan of `organisation`, taken
    during it, plus a contact (for the outcome's network figures)."""
    for bilan in Bilan.objects.filter(organisation=organisation):
        Experience.objects.create(
            bilan=bilan, kind=Experience.Kind.JOB, title="Comptable", started_on=date(2015, 1, 1)
        )
        Achievement.objects.create(
            bilan=bilan, title="Clôture", situation="s", action="a", result="r"
        )
        Project.objects.create(bilan=bilan, kind="training", title="Former", preferred=True)
        with freeze_time(bilan.opened_at + timedelta(days=1)):
            IsolationCheck.objects.create(
                user=bilan.beneficiary,
                organisation=organisation,
                moment=IsolationCheck.Moment.START,
                version="v1",
                answers={},
                scores={"overall": 40},
            )
            Contact.objects.create(
                owner=bilan.beneficiary, organisation=organisation, last_name="Martin"
            )


def test_the_destruction_takes_as_many_queries_for_3_bilans_as_for_more():
    small, grown = organisation_of(3), organisation_of(GROWN)
    with_documents(small)
    with_documents(grown)

    assert queries(bilans_retention_apply, small) == queries(bilans_retention_apply, grown)
    assert not Experience.objects.exists() and not IsolationCheck.objects.exists()
    assert OutcomeRecord.objects.filter(network_end=1, isolation_start=40).count() == 3 + GROWN
    assert AuditEvent.objects.filter(action="bilan.documents_destroy").count() == 3 + GROWN
    assert not Bilan.objects.filter(purged_at__isnull=True).exists()


def test_the_destruction_costs_the_same_for_each_batch(monkeypatch):
    # batches of 2 bilans: 1, 2 and 3 batches cost a fixed part plus the same per batch
    monkeypatch.setattr(retention, "DESTRUCTION_BATCH", 2)
    organisations = [organisation_of(count) for count in (2, 4, 6)]
    for organisation in organisations:
        with_documents(organisation)

    counted = []
    for organisation in organisations:
        with batches_counted() as batches:
            counted.append((queries(bilans_retention_apply, organisation), batches()))

    assert [batches for _queries, batches in counted] == [1, 2, 3]
    (one, _), (two, _), (three, _) = counted
    assert three - two == two - one
    assert not Experience.objects.exists()
    assert OutcomeRecord.objects.count() == 12
