"""Émargement: the evidence that each entretien of a bilan took place
(docs/adr/0018-organisme-identity-and-emargement.md).

Code du travail R6313-3: the organisme justifies that an action was carried out by any
probative element. For each entretien Tisser keeps, timestamped, the beneficiary's own
confirmation (`meetings.attendance_confirm`, during the meeting and up to 7 days after), the
consultant's (`entretien_consultant_confirm`), or only the consultant's record of the
person's presence — each printed as such on the émargement sheet, never one passed off as
another. A remote entretien (video, phone) has no paper to sign: the two timestamped
confirmations made in Tisser, by each person signed in with their own account, are its
trace.

An entretien held without having been planned in Tisser is recorded afterwards by the
consultant with its reason (`entretien_record_unplanned`), so that every real entretien
counts in the hours, within the 24 hours of a bilan and while it is open."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, User
from tisser.bilans.models import Bilan, BilanSession, Phase, RenderedPdf
from tisser.bilans.services.hours import (
    MAX_MINUTES,
    _minutes,
    bilan_hours,
    hours_text,
    minutes_to_hours,
)
from tisser.bilans.services.rendered_pdf import bilan_pdf
from tisser.bilans.services.sessions import bilan_entretiens
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.meetings import services as meetings
from tisser.meetings.models import Attendance, MeetingMode, Occurrence

REASON_MAX_LENGTH = 1000


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


def _require_open(bilan: Bilan) -> None:
    if bilan.status == Phase.CLOSED:
        raise ValidationError(
            _("Ce bilan est terminé : ses entretiens ne peuvent plus être modifiés."),
            code="closed",
        )


def remote_label(mode: str) -> str:
    """« Sur place » or « À distance (…) »: how the sheet names the mode of an entretien."""
    match MeetingMode(mode):
        case MeetingMode.ON_SITE:
            return _("Sur place")
        case MeetingMode.VIDEO:
            return _("À distance (visioconférence)")
        case MeetingMode.PHONE:
            return _("À distance (téléphone)")


@dataclass(frozen=True)
class EmargementRow:
    """One entretien held (started, not cancelled) and its evidence."""

    occurrence_id: int
    start: datetime
    end: datetime
    minutes: int
    mode: str
    beneficiary_status: str | None
    beneficiary_confirmed_at: datetime | None
    consultant_confirmed_at: datetime | None
    unplanned_reason: str
    recorded_afterwards_at: datetime | None

    @property
    def mode_label(self) -> str:
        return remote_label(self.mode)

    @property
    def present(self) -> bool:
        return self.beneficiary_status == Attendance.Status.PRESENT

    @property
    def consultant_only(self) -> bool:
        """The person's presence rests on the consultant's word alone."""
        return self.present and self.beneficiary_confirmed_at is None

    @property
    def beneficiary_label(self) -> str:
        if self.beneficiary_confirmed_at is not None:
            return _("Présence confirmée par la personne")
        if self.present:
            return _(
                "Présence notée par le conseiller ou la conseillère, non confirmée par la personne"
            )
        if self.beneficiary_status:
            return str(Attendance.Status(self.beneficiary_status).label)
        return _("Présence non renseignée")


def emargement_rows(bilan: Bilan, *, at: datetime | None = None) -> list[EmargementRow]:
    """The entretiens of `bilan` that have started by `at` (now by default) and were not
    cancelled, oldest first, each with the beneficiary's and the consultant's evidence."""
    at = at or timezone.now()
    occurrences = (
        bilan_entretiens(bilan)
        .filter(status=Occurrence.Status.SCHEDULED, start__lte=at)
        .select_related("series__bilan_session")
    )
    return [
        EmargementRow(
            occurrence_id=occurrence.pk,
            start=occurrence.start,
            end=occurrence.end,
            minutes=occurrence.duration_minutes,
            mode=occurrence.mode,
            # Annotations of `bilan_entretiens`, unknown to the model's type.
            beneficiary_status=getattr(occurrence, "attendance_status"),  # noqa: B009
            beneficiary_confirmed_at=getattr(occurrence, "attendance_confirmed_at"),  # noqa: B009
            consultant_confirmed_at=getattr(occurrence, "consultant_confirmed_at"),  # noqa: B009
            unplanned_reason=occurrence.series.bilan_session.unplanned_reason,
            recorded_afterwards_at=occurrence.series.bilan_session.recorded_afterwards_at,
        )
        for occurrence in occurrences
    ]


def entretien_consultant_confirm(
    *, consultant: User, bilan: Bilan, occurrence: Occurrence
) -> Attendance:
    """The consultant confirms, timestamped, that an entretien of their open bilan took
    place with the person (its consultant only: PermissionDenied otherwise). When the
    person's presence is not recorded yet it is recorded as present; an entretien where the
    person is recorded absent or excused is refused (ValidationError): it did not take
    place. Confirming again keeps the first timestamp."""
    _require_consultant(consultant, bilan)
    _require_open(bilan)
    if not bilan_entretiens(bilan).filter(pk=occurrence.pk).exists():
        raise ValidationError(_("Cet entretien n'appartient pas à ce bilan."), code="other_bilan")
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(occurrence=occurrence, user_id=bilan.beneficiary_id)
            .first()
        )
        if attendance is not None and attendance.status != Attendance.Status.PRESENT:
            raise ValidationError(
                _(
                    "La personne est notée « %(status)s » à cet entretien : il ne peut pas "
                    "être confirmé comme tenu."
                )
                % {"status": Attendance.Status(attendance.status).label},
                code="absent",
            )
        if attendance is None:
            meetings.attendance_record(
                actor=consultant,
                occurrence=occurrence,
                user=bilan.beneficiary,
                status=Attendance.Status.PRESENT,
            )
        signed = meetings.attendance_organiser_sign(actor=consultant, occurrence=occurrence)
        audit_record(
            actor=consultant,
            action="bilan.entretien_confirm",
            target=bilan,
            organisation=bilan.organisation,
            data={"occurrence_id": occurrence.pk},
        )
    return signed


def entretien_record_unplanned(
    *,
    consultant: User,
    bilan: Bilan,
    start: datetime,
    duration_minutes: int,
    mode: MeetingMode | str,
    reason: str,
) -> Occurrence:
    """Record an entretien that took place without being planned in Tisser (its consultant
    only: PermissionDenied otherwise), with the reason. It counts in the hours: the person
    is recorded present by the consultant and the consultant's confirmation is dated now.

    Refused field by field (ValidationError): no reason; an entretien not over yet or
    before the bilan was opened; a closed bilan; hours that would go past the 24 hours of a
    bilan (the same cap as `bilan_session_plan`)."""
    _require_consultant(consultant, bilan)
    reason = reason.strip()
    errors: dict[str, list] = {}
    if not reason:
        errors["reason"] = [
            ValidationError(
                _("Dites pourquoi cet entretien n'avait pas été planifié."), code="required"
            )
        ]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [ValidationError(_("1000 caractères au plus."), code="max_length")]
    if timezone.is_naive(start):
        raise ValueError("entretien times must be aware datetimes")
    end = start + timedelta(minutes=duration_minutes)
    current = timezone.now()
    if end > current:
        errors["start"] = [
            ValidationError(
                _(
                    "Cet entretien n'est pas encore terminé : un entretien à venir se "
                    "planifie depuis la page du bilan."
                ),
                code="future",
            )
        ]
    elif timezone.localdate(start) < timezone.localdate(bilan.opened_at):
        errors["start"] = [
            ValidationError(
                _("Le bilan a été ouvert le %(date)s : l'entretien ne peut pas le précéder.")
                % {"date": french_date(timezone.localtime(bilan.opened_at))},
                code="before_opening",
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        _require_open(locked)
        effective, planned = _minutes(locked)
        total = effective + planned + duration_minutes
        if total > MAX_MINUTES:
            raise ValidationError(
                {
                    "duration_minutes": [
                        ValidationError(
                            _(
                                "Ce bilan atteindrait %(hours)s h : la loi limite un bilan à "
                                "24 heures."
                            )
                            % {"hours": hours_text(minutes_to_hours(total))},
                            code="max_hours",
                        )
                    ]
                }
            )
        series = meetings.bilan_session_series_create(
            consultant=consultant,
            organisation=locked.organisation,
            title=_("Entretien de bilan — %(name)s")
            % {"name": locked.beneficiary.get_full_name() or locked.beneficiary.email},
            beneficiary=locked.beneficiary,
            first_start=start,
            duration_minutes=duration_minutes,
            rrule="",
            mode=MeetingMode(mode),
            recorded_afterwards=True,
        )
        BilanSession.objects.create(
            bilan=locked, series=series, unplanned_reason=reason, recorded_afterwards_at=current
        )
        occurrence = series.occurrences.get()
        meetings.attendance_record(
            actor=consultant,
            occurrence=occurrence,
            user=locked.beneficiary,
            status=Attendance.Status.PRESENT,
        )
        meetings.attendance_organiser_sign(actor=consultant, occurrence=occurrence)
        audit_record(
            actor=consultant,
            action="bilan.entretien_record_unplanned",
            target=locked,
            organisation=locked.organisation,
            data={
                "series_id": series.pk,
                "occurrence_id": occurrence.pk,
                "minutes": duration_minutes,
            },
        )
    return occurrence


def can_download_emargement(user: User, bilan: Bilan) -> bool:
    """The bilan's beneficiary, its consultant, and the coordinators of its organisation
    (the émargement is management data: dates, times and confirmations, no content)."""
    return bilan.involves(user) or Membership.objects.is_coordinator_of(user, bilan.organisation)


def emargement_pdf(*, actor: User, bilan: Bilan) -> bytes:
    """The émargement sheet of `bilan` as a PDF (PermissionDenied unless
    `can_download_emargement`). Each download is in the audit log. Served from the day's
    rendering while what it prints is unchanged (`bilan_pdf`): it then says the time it was
    made at."""
    if not can_download_emargement(actor, bilan):
        raise PermissionDenied
    content, rows = _emargement_render(bilan)
    audit_record(
        actor=actor,
        action="bilan.emargement_download",
        target=bilan,
        organisation=bilan.organisation,
        data={"entretiens": len(rows)},
    )
    return content


def emargement_pdf_content(bilan: Bilan) -> bytes:
    """The émargement sheet's PDF with no access check and no audit entry, for a caller
    that checks and records who asks itself (the auditor's export, tisser.quality)."""
    return _emargement_render(bilan)[0]


def _emargement_render(bilan: Bilan) -> tuple[bytes, list[EmargementRow]]:
    rows = emargement_rows(bilan)
    now = timezone.now()
    content = bilan_pdf(
        bilan=bilan,
        kind=RenderedPdf.Kind.EMARGEMENT,
        template_name="documents/emargement.html",
        context={
            "document_title": _("Feuille d'émargement"),
            "organisation": bilan.organisation,
            "bilan": bilan,
            "rows": rows,
            "hours": bilan_hours(bilan),
            # The day is in the fingerprint; the time printed is when the PDF was made.
            "issued_at": timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0),
        },
        issue={"issued_at": now},
    )
    return content, rows
