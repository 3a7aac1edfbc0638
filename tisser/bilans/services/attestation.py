"""The attestation de présence: the entretiens the beneficiary attended and their total
effective hours — the only thing an employer or a funder ever receives about a bilan (the
results and the synthèse belong to the beneficiary alone, Code du travail L6313-4)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, RenderedPdf
from tisser.bilans.services.hours import bilan_hours
from tisser.bilans.services.rendered_pdf import bilan_pdf
from tisser.core.audit import audit_record
from tisser.meetings.models import Attendance, MeetingKind, MeetingMode, Occurrence


@dataclass(frozen=True)
class AttendedSession:
    start: datetime
    end: datetime
    minutes: int
    mode: str
    confirmed_at: datetime | None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))

    @property
    def mode_label(self) -> str:
        # Evaluated now, in the language of the page or PDF being rendered.
        return str(MeetingMode(self.mode).label)


def bilan_attended_sessions(bilan: Bilan) -> list[AttendedSession]:
    """The entretiens of `bilan` the beneficiary attended (their attendance is PRESENT),
    oldest first — the ones `bilan_hours` counts as effective."""
    attendances = (
        Attendance.objects.filter(
            user_id=bilan.beneficiary_id,
            status=Attendance.Status.PRESENT,
            occurrence__series__bilan_session__bilan=bilan,
            occurrence__series__kind=MeetingKind.BILAN_SESSION,
            occurrence__status=Occurrence.Status.SCHEDULED,
        )
        .select_related("occurrence")
        .order_by("occurrence__start", "occurrence_id")
    )
    return [
        AttendedSession(
            start=attendance.occurrence.start,
            end=attendance.occurrence.end,
            minutes=attendance.occurrence.duration_minutes,
            mode=attendance.occurrence.mode,
            confirmed_at=attendance.confirmed_by_participant_at,
        )
        for attendance in attendances
    ]


def attestation_pdf(*, actor: User, bilan: Bilan) -> bytes:
    """The attestation de présence of `bilan` as a PDF, for its beneficiary or its
    consultant (PermissionDenied otherwise). Each download is in the audit log. Served from
    the day's rendering while what it prints is unchanged (`bilan_pdf`)."""
    if not bilan.involves(actor):
        raise PermissionDenied
    content, sessions = _attestation_render(bilan)
    audit_record(
        actor=actor,
        action="bilan.attestation_download",
        target=bilan,
        organisation=bilan.organisation,
        data={"sessions": len(sessions)},
    )
    return content


def attestation_pdf_content(bilan: Bilan) -> bytes:
    """The attestation's PDF with no access check and no audit entry, for a caller that
    checks and records who asks itself (the auditor's export, tisser.quality)."""
    return _attestation_render(bilan)[0]


def _attestation_render(bilan: Bilan) -> tuple[bytes, list[AttendedSession]]:
    sessions = bilan_attended_sessions(bilan)
    content = bilan_pdf(
        bilan=bilan,
        kind=RenderedPdf.Kind.ATTESTATION,
        template_name="documents/attestation.html",
        context={
            "document_title": _("Attestation de présence"),
            "organisation": bilan.organisation,
            "bilan": bilan,
            "sessions": sessions,
            "hours": bilan_hours(bilan),
            "issued_at": timezone.now(),
        },
    )
    return content, sessions
