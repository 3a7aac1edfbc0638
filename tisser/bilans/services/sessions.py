"""The entretiens of a bilan as the consultant and the beneficiary follow them, and the
consultant's private notes on each. The date, mode, shared summary and émargement of an
entretien belong to its meetings occurrence; only the private notes live here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, SessionNote
from tisser.core.audit import audit_record
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump
from tisser.meetings.models import Attendance, MeetingKind, Occurrence

# The conflict message of the private notes (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Ces notes ont été enregistrées ailleurs (un autre onglet ou un autre appareil) "
    "pendant que vous les écriviez. Relisez la version enregistrée avant d'enregistrer "
    "la vôtre."
)


def bilan_entretiens(bilan: Bilan) -> QuerySet[Occurrence]:
    """Every entretien of `bilan` (cancelled ones included, so that the list is complete),
    in time order, annotated with the beneficiary's attendance: `attendance_status`,
    `attendance_confirmed_at` (the émargement) and `attendance_recorded_by_id` (who noted
    it), all None when nothing is recorded, and
    `consultant_confirmed_at`, the consultant's own confirmation (ADR 0018), with
    `consultant_confirmed_by_id`, who gave it (after a hand-over, the former consultant). Private
    notes are not loaded: the consultant's page adds `select_related("private_note")`."""
    attendance = Attendance.objects.filter(occurrence=OuterRef("pk"), user_id=bilan.beneficiary_id)
    # The consultant's confirmation: whoever held the entretien, not necessarily today's
    # consultant (a bilan handed over keeps its former consultant's signatures, ADR 0021).
    consultant = (
        Attendance.objects.filter(occurrence=OuterRef("pk"))
        .exclude(user_id=bilan.beneficiary_id)
        .order_by(F("confirmed_by_participant_at").desc(nulls_last=True), "id")
    )
    return (
        Occurrence.objects.filter(
            series__bilan_session__bilan=bilan, series__kind=MeetingKind.BILAN_SESSION
        )
        .select_related("series")
        .annotate(
            attendance_status=Subquery(attendance.values("status")[:1]),
            attendance_confirmed_at=Subquery(attendance.values("confirmed_by_participant_at")[:1]),
            attendance_recorded_by_id=Subquery(attendance.values("recorded_by_id")[:1]),
            consultant_confirmed_at=Subquery(consultant.values("confirmed_by_participant_at")[:1]),
            consultant_confirmed_by_id=Subquery(consultant.values("user_id")[:1]),
        )
        .order_by("start", "id")
    )


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


def session_note_save(
    *,
    consultant: User,
    bilan: Bilan,
    occurrence: Occurrence,
    text: str,
    expected_version: int,
) -> SessionNote:
    """Save the consultant's private notes on one entretien of their bilan (its consultant
    only: PermissionDenied otherwise; an occurrence of another bilan is a ValidationError).

    `expected_version` is the version the editor was opened with, 0 when there were no
    notes yet. If the notes changed since, StaleVersion carries the saved notes and
    nothing is overwritten. Audited without the text (it stays private)."""
    _require_consultant(consultant, bilan)
    if not bilan_entretiens(bilan).filter(pk=occurrence.pk).exists():
        raise ValidationError(_("Cet entretien n'appartient pas à ce bilan."), code="other_bilan")
    text = text.strip()
    with transaction.atomic():
        if expected_version == 0:
            try:
                # A savepoint: a concurrent first save makes this one a conflict, not a crash.
                with transaction.atomic():
                    note = SessionNote.objects.create(
                        bilan=bilan, occurrence=occurrence, text=text, updated_by=consultant
                    )
            except IntegrityError:
                current = SessionNote.objects.get(occurrence=occurrence)
                raise StaleVersion(STALE_MESSAGE, current=current) from None
        else:
            saved = SessionNote.objects.filter(occurrence=occurrence, bilan=bilan).first()
            if saved is None:
                raise StaleVersion(STALE_MESSAGE, current=None)
            note = saved
            version_bump(
                note,
                expected=expected_version,
                message=STALE_MESSAGE,
                text=text,
                updated_by=consultant,
                updated_at=now(),
            )
        audit_record(
            actor=consultant,
            action="session_note.save",
            target=note,
            organisation=bilan.organisation,
            data={"bilan_id": bilan.pk, "occurrence_id": occurrence.pk, "version": note.version},
        )
    return note
