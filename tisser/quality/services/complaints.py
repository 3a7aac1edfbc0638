"""Complaints and difficulties (indicator 31, docs/adr/0034): raised from a member's space or
the organisme's public form, then acknowledged, handled, answered and closed by a
coordinator. Each step writes its date and an audit entry; the author hears of the
acknowledgement and the answer through the outbox (a public author by e-mail, without a link)."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump
from tisser.notifications.content import absolute_url
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_get_or_create
from tisser.quality.models import Complaint, ComplaintKind, ComplaintStatus, Relation
from tisser.quality.models.complaints import acknowledge_due_on, answer_due_on
from tisser.quality.notice_kinds import QualityNotice

# Who raises a complaint from their space (a coordinator handles them).
RAISING_ROLES = (Role.BENEFICIARY, Role.MENTOR, Role.CONSULTANT)

# The coordinator's steps, and the statuses each may start from.
ACKNOWLEDGE = "acknowledge"
HANDLE = "handle"
ANSWER = "answer"
CLOSE = "close"
NOTES = "notes"
STEPS = {
    ACKNOWLEDGE: (ComplaintStatus.RECEIVED,),
    HANDLE: (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED),
    ANSWER: (ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.IN_PROGRESS),
    CLOSE: (ComplaintStatus.ANSWERED,),
    NOTES: tuple(ComplaintStatus),
}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _check_text(*, subject: str, description: str) -> tuple[str, str]:
    subject, description = subject.strip(), description.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Donnez un objet en quelques mots.")
    if not description:
        errors["description"] = _("Décrivez la situation : c'est ce qui permet d'y répondre.")
    if errors:
        raise ValidationError(errors)
    return subject, description


def complaint_raise(
    *,
    author: User,
    organisation: Organisation | int,
    kind: str,
    subject: str,
    description: str,
    bilan=None,
    today: date | None = None,
) -> Complaint:
    """A complaint or a difficulty raised by a beneficiary, a mentor or a consultant of
    `organisation` from their space, about `bilan` if given (one they take part in). The
    coordinators hear of it in the application."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    membership = (
        Membership.objects.filter(user=author, organisation_id=organisation_id, is_active=True)
        .filter(role__in=RAISING_ROLES)
        .first()
    )
    if membership is None:
        raise PermissionDenied
    if kind not in ComplaintKind.values:
        raise ValidationError({"kind": _("Choisissez : réclamation ou difficulté.")})
    subject, description = _check_text(subject=subject, description=description)
    if bilan is not None and (
        bilan.organisation_id != organisation_id or not bilan.involves(author)
    ):
        raise ValidationError({"bilan": _("Ce bilan n'est pas le vôtre.")})
    received = _today(today)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            organisation_id=organisation_id,
            kind=kind,
            author=author,
            author_role=membership.role,
            bilan=bilan,
            subject=subject,
            description=description,
            received_on=received,
            acknowledge_due_on=acknowledge_due_on(received),
            answer_due_on=answer_due_on(received),
        )
        audit_record(
            actor=author,
            action="complaint.raise",
            target=complaint,
            organisation=complaint.organisation,
            data={"kind": kind, "author_role": membership.role},
        )
        _coordinators_notify(complaint)
    return complaint


def complaint_receive(
    *,
    organisation: Organisation,
    kind: str,
    name: str,
    email: str,
    relation: str,
    subject: str,
    description: str,
    today: date | None = None,
) -> Complaint:
    """A complaint or a difficulty sent through the organisme's public form by someone
    without an account (an employer, a funder, a relative…). They receive an e-mail
    acknowledging its receipt, then the answer, by e-mail only: no link to follow."""
    errors = {}
    if kind not in ComplaintKind.values:
        errors["kind"] = _("Choisissez : réclamation ou difficulté.")
    if relation not in Relation.values:
        errors["relation"] = _("Dites-nous qui vous êtes pour l'organisme.")
    if not name.strip():
        errors["name"] = _("Indiquez votre nom : l'organisme vous répondra personnellement.")
    if not email.strip():
        errors["email"] = _("Indiquez votre adresse e-mail : la réponse vous y sera envoyée.")
    try:
        subject, description = _check_text(subject=subject, description=description)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    received = _today(today)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            organisation=organisation,
            kind=kind,
            public_name=name.strip(),
            public_email=email.strip(),
            public_relation=relation,
            subject=subject,
            description=description,
            received_on=received,
            acknowledge_due_on=acknowledge_due_on(received),
            answer_due_on=answer_due_on(received),
        )
        audit_record(
            actor=None,
            action="complaint.receive",
            target=complaint,
            organisation=organisation,
            data={"kind": kind, "relation": relation},
        )
        _coordinators_notify(complaint)
        complaint_id = complaint.pk
        transaction.on_commit(lambda: _email_task().enqueue(complaint_id=complaint_id))
    return complaint


def _email_task():
    from tisser.quality.tasks import complaint_email_send

    return complaint_email_send


def complaint_progress(
    *,
    coordinator: User,
    complaint: Complaint,
    step: str,
    expected_version: int,
    answer: str | None = None,
    internal_notes: str | None = None,
    today: date | None = None,
) -> Complaint:
    """One of the coordinator's steps on `complaint`: acknowledge it, take it in hand,
    answer it (the answer's text required: its author reads it), close it, or only save the
    internal notes (`NOTES`). Answering first acknowledges a complaint not acknowledged yet.
    Internal notes, when given, are saved with any step. StaleVersion when someone else
    changed it since `expected_version`."""
    require_coordinator_of(coordinator, complaint.organisation_id)
    if step not in STEPS:
        raise ValueError(step)
    if complaint.status not in STEPS[step]:
        raise ValidationError(
            _("Cette étape ne suit pas l'état de la réclamation (%(status)s).")
            % {"status": complaint.get_status_display()}
        )
    day = _today(today)
    values: dict = {}
    if internal_notes is not None:
        values["internal_notes"] = internal_notes.strip()
    if answer is not None:
        values["answer"] = answer.strip()
    if step == ANSWER and not values.get("answer"):
        raise ValidationError({"answer": _("Écrivez la réponse : la personne la lira.")})
    if step in (ACKNOWLEDGE, HANDLE, ANSWER) and complaint.acknowledged_on is None:
        values["acknowledged_on"] = day
    if step == ACKNOWLEDGE:
        values["status"] = ComplaintStatus.ACKNOWLEDGED
    elif step == HANDLE:
        values["status"] = ComplaintStatus.IN_PROGRESS
    elif step == ANSWER:
        values["status"] = ComplaintStatus.ANSWERED
        values["answered_on"] = day
    elif step == CLOSE:
        values["status"] = ComplaintStatus.CLOSED
        values["closed_on"] = day
    with transaction.atomic():
        version_bump(complaint, expected=expected_version, **values)
        audit_record(
            actor=coordinator,
            action=f"complaint.{step}",
            target=complaint,
            organisation=complaint.organisation,
            data={"status": complaint.status},
        )
        if step in (ACKNOWLEDGE, ANSWER) or (step == HANDLE and "acknowledged_on" in values):
            _author_notify(complaint, step)
    return complaint


def _text(complaint: Complaint, step: str) -> tuple[Callable[[], str], Callable[[], str]]:
    from tisser.core.dates import french_date

    if step == ANSWER:
        return (
            lambda: _("Réponse à votre réclamation : %(subject)s") % {"subject": complaint.subject},
            lambda: (
                _("L'organisme a répondu à « %(subject)s » :\n\n%(answer)s")
                % {"subject": complaint.subject, "answer": complaint.answer}
            ),
        )
    return (
        lambda: (
            _("Votre réclamation est prise en compte : %(subject)s")
            % {"subject": complaint.subject}
        ),
        lambda: (
            _(
                "L'organisme a bien pris en compte « %(subject)s ». Une réponse vous sera "
                "apportée avant le %(date)s."
            )
            % {
                "subject": complaint.subject,
                "date": french_date(complaint.answer_due_on, "j F Y"),
            }
        ),
    )


def _author_notify(complaint: Complaint, step: str) -> None:
    """Tell the author of the acknowledgement or the answer: through the outbox for a
    member, by an e-mail task for the public form's author."""
    if complaint.author is None:
        # The public form's author had an e-mail on receipt; the next one is the answer.
        if complaint.public_email and step == ANSWER:
            complaint_id = complaint.pk
            transaction.on_commit(lambda: _email_task().enqueue(complaint_id=complaint_id))
        return
    recipient = complaint.author
    if not recipient.is_active:
        return
    subject, text = _text(complaint, step)
    path = reverse("quality:my_complaint", args=[complaint.pk])
    for channel in channels_for(recipient):
        with translation.override(recipient.preferred_language or "fr"):
            subject_text = subject()
            body = render_to_string(
                "emails/notifications/complaint.txt",
                {
                    "recipient": recipient,
                    "email": channel == Channel.EMAIL,
                    "text": text(),
                    "link": absolute_url(path),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
        notification_get_or_create(
            recipient=recipient,
            channel=channel,
            kind=QualityNotice.COMPLAINT_FOLLOW_UP,
            idempotency_key=f"complaint:{complaint.pk}:{step}:{channel}",
            subject=subject_text,
            body=body + "\n",
            url=path,
        )


def _coordinators_notify(complaint: Complaint) -> None:
    """An in-app notice to each coordinator of the organisation: something to acknowledge."""
    path = reverse("quality:complaint", args=[complaint.pk])
    for coordinator in User.objects.coordinators_of(complaint.organisation_id):
        with translation.override(coordinator.preferred_language or "fr"):
            subject = (
                _("Difficulté signalée : %(subject)s")
                if complaint.kind == ComplaintKind.DIFFICULTY
                else _("Réclamation reçue : %(subject)s")
            ) % {"subject": complaint.subject}
        notification_get_or_create(
            recipient=coordinator,
            channel=Channel.IN_APP,
            kind=QualityNotice.COMPLAINT_RECEIVED,
            idempotency_key=f"complaint:{complaint.pk}:received:{coordinator.pk}",
            subject=subject,
            body=subject,
            url=path,
        )
