"""Mentorship health, for the coordination: management figures only — dates, meetings held
and planned, last activity, whether the agreement is signed, and the organisation's average
ratings under the small-numbers rule (a mentorship's own average is two people's ratings:
never shown). Never the goals, news or feedback texts.

A meeting is *held* when it is past and not cancelled; attendance, when someone recorded it,
tells how many of those had someone marked present. The last activity is the latest of the
mentorship's own (news, thanks, goals, agreement) and its last held meeting; an active
mentorship without any for INACTIVE_DAYS is flagged (and its coordinators alerted by
`followup`)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tisser.core.small_numbers import Figure, mean_of
from tisser.meetings.models import Attendance, Occurrence
from tisser.mentoring.models import Feedback, Mentorship

INACTIVE_DAYS = 45


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("series").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


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
    """Active, not paused (a pause is a decision, not silence), quiet for INACTIVE_DAYS."""
    return (
        mentorship.status == Mentorship.Status.ACTIVE
        and mentorship.paused_at is None
        and now - last_activity(mentorship) >= timedelta(days=INACTIVE_DAYS)
    )


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


def health_queryset(organisation, *, now: datetime) -> QuerySet[Mentorship]:
    """The organisation's mentorships annotated for `health_row`, the active ones first then
    the most recent: one query for any slice of it (a page)."""
    occurrences = Occurrence.objects.filter(series=OuterRef("series"))
    past = occurrences.filter(start__lt=now).exclude(status=Occurrence.Status.CANCELLED)
    present = Attendance.objects.filter(occurrence=OuterRef("pk"), status=Attendance.Status.PRESENT)
    return with_activity(
        Mentorship.objects.filter(organisation=organisation)
        .select_related("mentee", "mentor__user", "agreement")
        .annotate(
            held=_count(past),
            held_with_presence=_count(past.filter(Exists(present))),
            planned=_count(occurrences.filter(start__gte=now, status=Occurrence.Status.SCHEDULED)),
        )
        .order_by("status", "-started_at", "-pk"),
        now=now,
    )


def health_row(mentorship: Mentorship, *, now: datetime) -> HealthRow:
    """One row of the health table, from a mentorship of `health_queryset`."""
    agreement = getattr(mentorship, "agreement", None)
    return HealthRow(
        mentorship=mentorship,
        mentee=mentorship.mentee.get_full_name() or mentorship.mentee.email,
        mentor=mentorship.mentor.user.get_full_name() or mentorship.mentor.user.email,
        started=timezone.localdate(mentorship.started_at),
        planned_end=mentorship.planned_end,
        status_label=mentorship.status_label,
        held=mentorship.held,
        held_with_presence=mentorship.held_with_presence,
        planned=mentorship.planned,
        last_activity=last_activity(mentorship),
        inactive=is_inactive(mentorship, now=now),
        agreement_signed=bool(agreement and agreement.is_signed),
        has_agreement=agreement is not None,
    )


def health_rows(organisation, *, now: datetime | None = None) -> list[HealthRow]:
    """One row per mentorship of `organisation`, the active ones first then the most recent.
    One query whatever the number of mentorships."""
    now = now or timezone.now()
    return [health_row(item, now=now) for item in health_queryset(organisation, now=now)]


def health_figures(organisation, *, now: datetime) -> dict[str, int]:
    """How many mentorships of `organisation` are active, and how many of those are quiet
    (`is_inactive`: not paused, no sign of life, nor a meeting held, for INACTIVE_DAYS), in
    one aggregate query."""
    cutoff = now - timedelta(days=INACTIVE_DAYS)
    recent_meeting = Occurrence.objects.filter(
        series=OuterRef("series"), start__gt=cutoff, start__lt=now
    ).exclude(status=Occurrence.Status.CANCELLED)
    active = Q(status=Mentorship.Status.ACTIVE)
    return (
        Mentorship.objects.filter(organisation=organisation)
        .order_by()
        .aggregate(
            active=Count("pk", filter=active),
            inactive=Count(
                "pk",
                filter=active
                & Q(paused_at__isnull=True, last_activity_at__lte=cutoff)
                & ~Exists(recent_meeting),
            ),
        )
    )


def ratings(organisation) -> dict[str, Figure]:
    """The mean rating (1–5) of the organisation's feedback, per stage, under the
    small-numbers rule: the people are the authors, in the order they answered."""
    answers: dict[str, list[tuple[int, int]]] = {stage: [] for stage in Feedback.Stage}
    for stage, author, rating in (
        Feedback.objects.filter(mentorship__organisation=organisation)
        .order_by("created_at", "pk")
        .values_list("stage", "author_id", "rating")
    ):
        answers[stage].append((author, rating))
    return {stage: mean_of(pairs) for stage, pairs in answers.items()}
