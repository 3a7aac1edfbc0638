"""Mentorship health, for the coordination: management figures only — dates, meetings held
and planned, last activity, whether the agreement is signed, average ratings. Never the
goals, news or feedback texts.

A meeting is *held* when it is past and not cancelled; attendance, when someone recorded it,
tells how many of those had someone marked present. The last activity is the latest of the
mentorship's own (news, thanks, goals, agreement) and its last held meeting; an active
mentorship without any for INACTIVE_DAYS is flagged (and its coordinators alerted by
`followup`)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    Exists,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tisser.meetings.models import Attendance, Occurrence
from tisser.mentoring.models import Feedback, Mentorship

INACTIVE_DAYS = 45


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("series").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _average(stage: Feedback.Stage) -> Subquery:
    averaged = (
        Feedback.objects.filter(mentorship=OuterRef("pk"), stage=stage)
        .order_by()
        .values("mentorship")
        .annotate(mean=Avg("rating"))
        .values("mean")
    )
    return Subquery(averaged, output_field=FloatField())


def with_activity(queryset: QuerySet[Mentorship], *, now: datetime) -> QuerySet[Mentorship]:
    """`queryset` annotated with `last_meeting` (start of the last held meeting, or None)."""
    held = (
        Occurrence.objects.filter(series=OuterRef("series"), start__lt=now)
        .exclude(status=Occurrence.Status.CANCELLED)
        .order_by()
        .values("series")
        .annotate(last=Max("start"))
        .values("last")
    )
    return queryset.annotate(last_meeting=Subquery(held))


def last_activity(mentorship: Mentorship) -> datetime:
    """The latest sign of life (needs `with_activity`)."""
    meeting = getattr(mentorship, "last_meeting", None)
    return max(filter(None, (mentorship.last_activity_at, meeting)))


def is_inactive(mentorship: Mentorship, *, now: datetime) -> bool:
    return mentorship.status == Mentorship.Status.ACTIVE and now - last_activity(
        mentorship
    ) >= timedelta(days=INACTIVE_DAYS)


@dataclass(frozen=True)
class HealthRow:
    mentorship: Mentorship
    mentee: str
    mentor: str
    started: date
    planned_end: date
    status_label: str
    held: int
    held_with_presence: int
    planned: int
    last_activity: datetime
    inactive: bool
    agreement_signed: bool
    has_agreement: bool
    rating_day_30: float | None
    rating_end: float | None


def health_rows(organisation, *, now: datetime | None = None) -> list[HealthRow]:
    """One row per mentorship of `organisation`, the active ones first then the most recent.
    One query whatever the number of mentorships."""
    now = now or timezone.now()
    occurrences = Occurrence.objects.filter(series=OuterRef("series"))
    past = occurrences.filter(start__lt=now).exclude(status=Occurrence.Status.CANCELLED)
    present = Attendance.objects.filter(occurrence=OuterRef("pk"), status=Attendance.Status.PRESENT)
    queryset = with_activity(
        Mentorship.objects.filter(organisation=organisation)
        .select_related("mentee", "mentor__user", "agreement")
        .annotate(
            held=_count(past),
            held_with_presence=_count(past.filter(Exists(present))),
            planned=_count(occurrences.filter(start__gte=now, status=Occurrence.Status.SCHEDULED)),
            rating_day_30=_average(Feedback.Stage.DAY_30),
            rating_end=_average(Feedback.Stage.END),
        )
        .order_by("status", "-started_at", "-pk"),
        now=now,
    )
    rows = []
    for mentorship in queryset:
        agreement = getattr(mentorship, "agreement", None)
        rows.append(
            HealthRow(
                mentorship=mentorship,
                mentee=mentorship.mentee.get_full_name() or mentorship.mentee.email,
                mentor=mentorship.mentor.user.get_full_name() or mentorship.mentor.user.email,
                started=timezone.localdate(mentorship.started_at),
                planned_end=mentorship.planned_end,
                status_label=mentorship.get_status_display(),
                held=mentorship.held,
                held_with_presence=mentorship.held_with_presence,
                planned=mentorship.planned,
                last_activity=last_activity(mentorship),
                inactive=is_inactive(mentorship, now=now),
                agreement_signed=bool(agreement and agreement.is_signed),
                has_agreement=agreement is not None,
                rating_day_30=mentorship.rating_day_30,
                rating_end=mentorship.rating_end,
            )
        )
    return rows
