"""Attendance: the organiser records who came; each participant confirms their own presence,
which for a bilan session is the émargement."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.meetings.models import Attendance, Occurrence
from tisser.meetings.services.access import is_participant, require_organiser, require_participant

# How long after a meeting a participant may still confirm having attended.
CONFIRMATION_WINDOW = timedelta(days=7)


def _check_held(occurrence: Occurrence) -> None:
    if occurrence.status == Occurrence.Status.CANCELLED:
        raise ValidationError(
            _("Cette rencontre est annulée : il n'y a pas de présence à noter."),
            code="cancelled",
        )


def attendance_record(
    *, actor: User, occurrence: Occurrence, user: User, status: Attendance.Status
) -> Attendance:
    """Record whether a participant attended (organiser only), once the meeting has started.

    A participant's own confirmation is their signature: the organiser cannot turn it into
    an absence (ValidationError); recording the same status again changes nothing."""
    require_organiser(actor, occurrence.series)
    status = Attendance.Status(status)
    _check_held(occurrence)
    if occurrence.start > now():
        raise ValidationError(
            _("Les présences se notent une fois la rencontre commencée."), code="not_started"
        )
    if not is_participant(user, occurrence.series):
        raise ValidationError(
            _("Cette personne ne participe pas à ces rencontres."), code="not_participant"
        )
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update().filter(occurrence=occurrence, user=user).first()
        )
        if attendance is not None and attendance.status == status:
            return attendance
        if attendance is not None and attendance.confirmed_by_participant_at:
            raise ValidationError(
                _(
                    "%(name)s a confirmé sa présence : cet émargement ne peut pas être "
                    "modifié par l'organisateur·rice."
                )
                % {"name": user.get_full_name() or user.email},
                code="confirmed",
            )
        attendance, _created = Attendance.objects.update_or_create(
            occurrence=occurrence,
            user=user,
            defaults={"status": status, "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            action="attendance.record",
            target=attendance,
            organisation=occurrence.series.organisation,
            data={"occurrence_id": occurrence.pk, "user_id": user.pk, "status": str(status)},
        )
    return attendance


def attendance_confirm(*, actor: User, occurrence: Occurrence) -> Attendance:
    """A participant confirms their own presence (the émargement): status PRESENT, timestamped.

    Possible from the start of the meeting until CONFIRMATION_WINDOW after its end, not for
    a cancelled meeting. Confirming again keeps the first timestamp."""
    require_participant(actor, occurrence.series)
    _check_held(occurrence)
    current = now()
    if current < occurrence.start:
        raise ValidationError(
            _("Vous pourrez confirmer votre présence dès le début de la rencontre."),
            code="not_started",
        )
    if current > occurrence.end + CONFIRMATION_WINDOW:
        raise ValidationError(
            _("Le délai pour confirmer votre présence (7 jours après la rencontre) est passé."),
            code="too_late",
        )
    return _self_confirm(actor, occurrence, current, action="attendance.confirm")


def attendance_organiser_sign(*, actor: User, occurrence: Occurrence) -> Attendance:
    """The organiser confirms, timestamped, that they held the meeting (for a bilan session,
    the consultant's side of the émargement). Organiser only, once the meeting has started,
    not for a cancelled one; no deadline, since the organiser answers for their records.
    Signing again keeps the first timestamp."""
    require_organiser(actor, occurrence.series)
    _check_held(occurrence)
    current = now()
    if current < occurrence.start:
        raise ValidationError(
            _("Vous pourrez confirmer cette rencontre dès son début."), code="not_started"
        )
    return _self_confirm(actor, occurrence, current, action="attendance.organiser_sign")


def _self_confirm(actor: User, occurrence: Occurrence, current, *, action: str) -> Attendance:
    """`actor` confirms, at `current`, that they were there; confirming again keeps the
    first timestamp. The callers check who may and when."""
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update().filter(occurrence=occurrence, user=actor).first()
        )
        if attendance is not None and attendance.confirmed_by_participant_at:
            return attendance
        attendance, _created = Attendance.objects.update_or_create(
            occurrence=occurrence,
            user=actor,
            defaults={
                "status": Attendance.Status.PRESENT,
                "recorded_by": actor,
                "confirmed_by_participant_at": current,
            },
        )
        audit_record(
            actor=actor,
            action=action,
            target=attendance,
            organisation=occurrence.series.organisation,
            data={"occurrence_id": occurrence.pk},
        )
    return attendance
