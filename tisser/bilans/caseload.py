"""A consultant's caseload: their open bilans, each with its phase, hours, next
entretien, isolation level and last activity. Reads only, in two queries whatever the
number of bilans: one annotated query for the bilans, one for the hours of all of them."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Exists, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise

from tisser.accounts.models import User
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Bilan, Phase
from tisser.bilans.services.hours import MAX_MINUTES, HoursSummary, min_hours, minutes_to_hours
from tisser.core.models import AuditEvent
from tisser.meetings.models import Attendance, MeetingKind, Occurrence


@dataclass(frozen=True)
class CaseloadRow:
    bilan: Bilan
    hours: HoursSummary
    next_session_start: datetime | None
    next_session_id: int | None
    isolation_score: int | None
    last_activity: datetime | None

    @property
    def isolation_band_label(self) -> Promise | None:
        if self.isolation_score is None:
            return None
        return isolation.BAND_LABELS[isolation.band_of(self.isolation_score)]

    @property
    def isolation_band(self) -> str | None:
        if self.isolation_score is None:
            return None
        return isolation.band_of(self.isolation_score).value


def _hours_by_bilan(bilans: list[Bilan], now: datetime) -> dict[int, HoursSummary]:
    """`bilan_hours` for many bilans in one query, with the same rule: effective when the
    beneficiary's attendance is PRESENT, planned when scheduled, not attended and not over."""
    present = Attendance.objects.filter(
        occurrence=OuterRef("pk"),
        user_id=OuterRef("series__bilan_session__bilan__beneficiary_id"),
        status=Attendance.Status.PRESENT,
    )
    rows = (
        Occurrence.objects.scheduled()
        .filter(series__bilan_session__bilan__in=bilans, series__kind=MeetingKind.BILAN_SESSION)
        .annotate(attended=Exists(present))
        .filter(Q(attended=True) | Q(end__gt=now))
        .values_list("series__bilan_session__bilan_id", "start", "end", "attended")
    )
    minutes: dict[int, list[int]] = {bilan.pk: [0, 0] for bilan in bilans}
    for bilan_id, start, end, attended in rows:
        minutes[bilan_id][0 if attended else 1] += int((end - start).total_seconds() // 60)
    minimum = min_hours()
    return {
        bilan_id: HoursSummary(
            effective=minutes_to_hours(effective),
            planned=minutes_to_hours(planned),
            remaining=minutes_to_hours(max(0, MAX_MINUTES - effective - planned)),
            minimum=minimum,
        )
        for bilan_id, (effective, planned) in minutes.items()
    }


def consultant_caseload(consultant: User, *, phase: Phase | str | None = None) -> list[CaseloadRow]:
    """The open bilans `consultant` runs (optionally in one `phase`), next entretien first
    (soonest first), then the others by most recent activity.

    Last activity is the latest of: an audit event on the bilan itself or done by the
    beneficiary in the bilan's organisation (consent, tools, émargement…), an isolation
    check, an attendance recorded on one of its entretiens."""
    now = timezone.now()
    sessions = Occurrence.objects.scheduled().filter(
        series__bilan_session__bilan=OuterRef("pk"), series__kind=MeetingKind.BILAN_SESSION
    )
    upcoming = sessions.filter(start__gt=now).order_by("start", "id")
    checks = IsolationCheck.objects.filter(
        user=OuterRef("beneficiary"), organisation=OuterRef("organisation")
    ).order_by("-created_at", "-id")
    audit = AuditEvent.objects.filter(
        Q(target_type="bilans.bilan", target_id=Cast(OuterRef("pk"), output_field=CharField()))
        | Q(actor=OuterRef("beneficiary"), organisation=OuterRef("organisation"))
    ).order_by("-created_at")
    attendance = Attendance.objects.filter(
        occurrence__series__bilan_session__bilan=OuterRef("pk")
    ).order_by("-recorded_at")
    bilans = (
        Bilan.objects.visible_to(consultant)
        .open()
        .filter(consultant=consultant)
        .select_related("beneficiary")
        .annotate(
            next_session_start=Subquery(upcoming.values("start")[:1]),
            next_session_id=Subquery(upcoming.values("pk")[:1]),
            isolation_scores=Subquery(checks.values("scores")[:1], output_field=JSONField()),
            last_check_at=Subquery(checks.values("created_at")[:1]),
            last_audit_at=Subquery(audit.values("created_at")[:1]),
            last_attendance_at=Subquery(attendance.values("recorded_at")[:1]),
        )
    )
    if phase:
        bilans = bilans.filter(status=phase)
    bilans = list(bilans)
    hours = _hours_by_bilan(bilans, now)
    rows = []
    for bilan in bilans:
        moments = [
            bilan.last_check_at,
            bilan.last_audit_at,
            bilan.last_attendance_at,
            bilan.opened_at,
        ]
        scores = bilan.isolation_scores or {}
        overall = scores.get(isolation.OVERALL) if isinstance(scores, dict) else None
        rows.append(
            CaseloadRow(
                bilan=bilan,
                hours=hours[bilan.pk],
                next_session_start=bilan.next_session_start,
                next_session_id=bilan.next_session_id,
                isolation_score=overall if isinstance(overall, int) else None,
                last_activity=max(moment for moment in moments if moment is not None),
            )
        )
    rows.sort(key=lambda row: -row.last_activity.timestamp())
    rows.sort(key=lambda row: (row.next_session_start is None, row.next_session_start or now))
    return rows
