"""Complaints and difficulties (indicator 31): raising, the coordinator's steps, deadlines,
who sees what, the author's follow-up through the outbox and the public author's e-mails."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import member
from tisser.bilans.models import Funding
from tisser.bilans.services import bilan_open
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.notifications.models import Notification
from tisser.quality.models import Complaint, ComplaintKind, ComplaintStatus, Relation
from tisser.quality.models.complaints import ACKNOWLEDGE_WORKING_DAYS, ANSWER_DAYS
from tisser.quality.notice_kinds import QualityNotice
from tisser.quality.services import complaints as service

MONDAY = date(2026, 12, 7)


def raise_one(people, organisation, role="beneficiary", today=MONDAY, **kwargs):
    return service.complaint_raise(
        author=people[role],
        organisation=organisation,
        kind=kwargs.pop("kind", ComplaintKind.DIFFICULTY),
        subject=kwargs.pop("subject", "Horaires difficiles"),
        description=kwargs.pop("description", "Les entretiens tombent pendant mon travail."),
        today=today,
        **kwargs,
    )


def step(people, complaint, name, **kwargs):
    complaint.refresh_from_db()
    return service.complaint_progress(
        coordinator=people["coordinator"],
        complaint=complaint,
        step=name,
        expected_version=complaint.version,
        **kwargs,
    )


def test_a_raised_complaint_has_its_deadlines_and_tells_the_coordinators(people, organisation):
    complaint = raise_one(people, organisation)

    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.author_role == Role.BENEFICIARY
    # Two working days after a Monday: the Wednesday; thirty days for the answer.
    assert ACKNOWLEDGE_WORKING_DAYS == 2
    assert complaint.acknowledge_due_on == date(2026, 12, 9)
    assert complaint.answer_due_on == MONDAY + timedelta(days=ANSWER_DAYS)
    notice = Notification.objects.get(kind=QualityNotice.COMPLAINT_RECEIVED)
    assert notice.recipient == people["coordinator"]


def test_the_acknowledgement_deadline_counts_working_days_only(people, organisation):
    friday = date(2026, 12, 24)  # Thursday 24th: Christmas on Friday, then a weekend
    complaint = raise_one(people, organisation, today=friday)
    assert complaint.acknowledge_due_on == date(2026, 12, 29)


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "consultant"])
def test_members_raise_from_their_space(people, organisation, role):
    assert raise_one(people, organisation, role=role).author_role == role


def test_a_coordinator_or_an_outsider_does_not_raise_one(people, organisation):
    with pytest.raises(PermissionDenied):
        raise_one(people, organisation, role="coordinator")
    with pytest.raises(PermissionDenied):
        service.complaint_raise(
            author=member(Role.BENEFICIARY),
            organisation=organisation,
            kind=ComplaintKind.COMPLAINT,
            subject="x",
            description="y",
        )


def test_empty_text_is_refused_field_by_field(people, organisation):
    with pytest.raises(ValidationError) as caught:
        raise_one(people, organisation, subject=" ", description="")
    assert set(caught.value.message_dict) == {"subject", "description"}


def test_a_bilan_must_be_one_the_author_takes_part_in(people, organisation):
    bilan = bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )
    assert raise_one(people, organisation, bilan=bilan).bilan == bilan
    with pytest.raises(ValidationError):
        raise_one(people, organisation, role="mentor", bilan=bilan)


def test_the_steps_date_the_complaint_and_follow_its_order(people, organisation):
    complaint = raise_one(people, organisation)
    with pytest.raises(ValidationError):
        step(people, complaint, service.CLOSE)

    step(people, complaint, service.ACKNOWLEDGE, today=MONDAY + timedelta(days=1))
    step(people, complaint, service.HANDLE, internal_notes="Voir avec Claire")
    with pytest.raises(ValidationError) as caught:
        step(people, complaint, service.ANSWER, answer="  ")
    assert "answer" in caught.value.message_dict
    step(
        people,
        complaint,
        service.ANSWER,
        answer="Des créneaux du soir.",
        today=MONDAY + timedelta(days=5),
    )
    step(people, complaint, service.CLOSE, today=MONDAY + timedelta(days=6))

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.acknowledged_on == MONDAY + timedelta(days=1)
    assert complaint.answered_on == MONDAY + timedelta(days=5)
    assert complaint.closed_on == MONDAY + timedelta(days=6)
    assert complaint.internal_notes == "Voir avec Claire"
    assert complaint.answered_in_time


def test_answering_at_once_acknowledges_too(people, organisation):
    complaint = raise_one(people, organisation)
    step(people, complaint, service.ANSWER, answer="Réponse", today=MONDAY)
    complaint.refresh_from_db()
    assert complaint.acknowledged_on == MONDAY


def test_two_coordinators_at_once_one_is_told_of_the_other(people, organisation):
    complaint = raise_one(people, organisation)
    stale = complaint.version
    step(people, complaint, service.ACKNOWLEDGE)
    with pytest.raises(StaleVersion):
        service.complaint_progress(
            coordinator=people["coordinator"],
            complaint=complaint,
            step=service.NOTES,
            expected_version=stale,
            internal_notes="écrasé ?",
        )


def test_only_its_coordinators_handle_it(people, organisation):
    complaint = raise_one(people, organisation)
    for someone in (people["consultant"], member(Role.COORDINATOR)):
        with pytest.raises(PermissionDenied):
            service.complaint_progress(
                coordinator=someone,
                complaint=complaint,
                step=service.ACKNOWLEDGE,
                expected_version=complaint.version,
            )


def test_overdue_counts_the_acknowledgement_and_the_answer(people, organisation):
    complaint = raise_one(people, organisation)
    assert not complaint.overdue(complaint.acknowledge_due_on)
    assert complaint.overdue(complaint.acknowledge_due_on + timedelta(days=1))
    assert list(Complaint.objects.overdue(complaint.acknowledge_due_on + timedelta(days=1))) == [
        complaint
    ]
    step(people, complaint, service.ACKNOWLEDGE)
    complaint.refresh_from_db()
    assert not complaint.overdue(complaint.answer_due_on)
    assert complaint.overdue(complaint.answer_due_on + timedelta(days=1))
    step(people, complaint, service.ANSWER, answer="Réponse")
    complaint.refresh_from_db()
    assert not complaint.overdue(complaint.answer_due_on + timedelta(days=1))
    assert not Complaint.objects.overdue(complaint.answer_due_on + timedelta(days=1)).exists()


def test_visible_to_its_author_and_its_coordinators_only(people, organisation):
    bilan = bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )
    complaint = raise_one(people, organisation, bilan=bilan)

    def sees(user):
        return Complaint.objects.visible_to(user).filter(pk=complaint.pk).exists()

    assert sees(people["beneficiary"])
    assert sees(people["coordinator"])
    # The bilan's consultant, a mentor of the organisation, another coordinator: no.
    assert not sees(people["consultant"])
    assert not sees(people["mentor"])
    assert not sees(member(Role.COORDINATOR))


def test_the_author_hears_of_the_acknowledgement_and_the_answer(people, organisation):
    complaint = raise_one(people, organisation)
    step(people, complaint, service.ACKNOWLEDGE)
    step(people, complaint, service.ANSWER, answer="Des créneaux du soir dès janvier.")

    notices = Notification.objects.filter(
        recipient=people["beneficiary"], kind=QualityNotice.COMPLAINT_FOLLOW_UP
    )
    assert notices.count() >= 2
    assert any("Des créneaux du soir" in notice.body for notice in notices)
    assert all(notice.url.endswith(f"/signaler/{complaint.pk}/") for notice in notices)


def test_the_public_author_gets_the_receipt_then_the_answer_by_email(
    people, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = service.complaint_receive(
            organisation=organisation,
            kind=ComplaintKind.COMPLAINT,
            name="Sophie Lambert",
            email="sophie@example.org",
            relation=Relation.EMPLOYER,
            subject="Attestation en retard",
            description="Reçue trois semaines après la fin.",
            today=MONDAY,
        )
    assert complaint.author is None and complaint.origin_label == "Employeur"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sophie@example.org"]
    assert "9 décembre 2026" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        step(people, complaint, service.ACKNOWLEDGE)
    assert len(mail.outbox) == 1  # the receipt said it already
    with django_capture_on_commit_callbacks(execute=True):
        step(people, complaint, service.ANSWER, answer="Nous l'envoyons désormais le jour même.")
    assert len(mail.outbox) == 2
    assert "le jour même" in mail.outbox[1].body
    assert "http" not in mail.outbox[1].body  # no link to follow: nothing secret issued


def test_the_public_form_checks_its_fields(organisation):
    with pytest.raises(ValidationError) as caught:
        service.complaint_receive(
            organisation=organisation,
            kind="autre",
            name="",
            email="",
            relation="voisin",
            subject="",
            description="",
        )
    assert set(caught.value.message_dict) == {
        "kind",
        "relation",
        "name",
        "email",
        "subject",
        "description",
    }


def test_the_e_mail_task_holds_an_id_only_and_no_secret_is_issued(
    organisation, settings, django_capture_on_commit_callbacks
):
    """The public author's follow-up is by e-mail, without a link (docs/adr/0034): the queued
    task carries the complaint's id, never the address or the text."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        complaint = service.complaint_receive(
            organisation=organisation,
            kind=ComplaintKind.COMPLAINT,
            name="Sophie Lambert",
            email="sophie@example.org",
            relation=Relation.EMPLOYER,
            subject="Attestation en retard",
            description="Reçue trois semaines après la fin.",
        )
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [], "kwargs": {"complaint_id": complaint.pk}}
