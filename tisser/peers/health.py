"""Peer group health, for the coordination: management figures only — members counted,
status, meetings held and planned, attendance, how well commitments are kept (under the
small-numbers rule: from 5 people, to the nearest ten percent), the last activity. Never
the commitments' texts, the check-ins' comments, the agenda or who helped whom.

A meeting is *held* when it is past and not cancelled; the attendance rate is the share of
the attendance rows recorded on held meetings that say present. The last activity is the
latest of a commitment, a check-in, recorded help, an agenda item and a held meeting (and
the group's own `last_activity_at`, moved by the services); an active group without any for
FADING_DAYS is flagged (and its coordinators alerted by `nudges`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tisser.core.small_numbers import followed_rate
from tisser.meetings.models import AgendaItem, Attendance, Occurrence
from tisser.peers.models import Commitment, Contribution, PeerGroup, PeerGroupMember

FADING_DAYS = 30
# The groups the health page counts: published ones (a proposed group is still under review).
PUBLISHED = (PeerGroup.Status.ACTIVE, PeerGroup.Status.ENDED)


def _aggregate(queryset, by: str, expression, output_field):
    value = queryset.order_by().values(by).annotate(value=expression).values("value")
    return Subquery(value, output_field=output_field)


def _count(queryset, by: str) -> Coalesce:
    return Coalesce(_aggregate(queryset, by, Count("pk"), IntegerField()), Value(0))


def _latest(queryset, by: str, field: str) -> Subquery:
    return _aggregate(queryset, by, Max(field), output_field=None)


def with_activity(queryset: QuerySet[PeerGroup], *, now: datetime) -> QuerySet[PeerGroup]:
    """`queryset` annotated with the moment of each kind of activity (see `last_activity`)."""
    commitments = Commitment.objects.filter(group=OuterRef("pk"))
    held = Occurrence.objects.filter(series=OuterRef("series"), start__lt=now).exclude(
        status=Occurrence.Status.CANCELLED
    )
    return queryset.annotate(
        last_commitment=_latest(commitments, "group", "created_at"),
        last_check_in=_latest(commitments, "group", "checked_in_at"),
        last_help=_latest(Contribution.objects.filter(group=OuterRef("pk")), "group", "created_at"),
        last_agenda_item=_latest(
            AgendaItem.objects.filter(occurrence__series=OuterRef("series")),
            "occurrence__series",
            "created_at",
        ),
        last_meeting=_latest(held, "series", "start"),
    )


def last_activity(group: PeerGroup) -> datetime:
    """The latest sign of life (needs `with_activity`); the publication, or the creation,
    when there is none yet."""
    moments = [
        group.last_activity_at,
        *(
            getattr(group, name, None)
            for name in (
                "last_commitment",
                "last_check_in",
                "last_help",
                "last_agenda_item",
                "last_meeting",
            )
        ),
    ]
    return max(filter(None, moments), default=group.published_at or group.created_at)


def is_fading(group: PeerGroup, *, now: datetime) -> bool:
    return group.status == PeerGroup.Status.ACTIVE and now - last_activity(group) >= timedelta(
        days=FADING_DAYS
    )


@dataclass(frozen=True)
class HealthRow:
    group: PeerGroup
    status_label: str
    members: int
    held: int
    planned: int
    attendance_percent: int | None
    kept_percent: int | None
    kept_withheld: bool  # commitments were checked in, by fewer than 5 people
    last_activity: datetime
    fading: bool


def _percent(part: float | None, whole: int) -> int | None:
    return round(100 * (part or 0) / whole) if whole else None


def health_rows(organisation, *, now: datetime | None = None) -> list[HealthRow]:
    """One row per published group of `organisation`, the active ones first, then by name. One query
    whatever the number of groups."""
    now = now or timezone.now()
    return [health_row(group, now=now) for group in health_queryset(organisation, now=now)]


def health_summary(organisation, *, now: datetime | None = None) -> dict[str, int]:
    """The active groups and those of them fading, over all of them: one query of dates."""
    now = now or timezone.now()
    groups = with_activity(
        PeerGroup.objects.filter(organisation=organisation, status=PeerGroup.Status.ACTIVE).only(
            "pk", "status", "series", "last_activity_at", "published_at", "created_at"
        ),
        now=now,
    )
    active = fading = 0
    for group in groups:
        active += 1
        fading += is_fading(group, now=now)
    return {"active_count": active, "fading_count": fading}


def health_row(group: PeerGroup, *, now: datetime) -> HealthRow:
    """A group of `health_queryset` as a row of figures."""
    kept = followed_rate(
        people=group.checked_people, part=group.kept_score or 0, whole=group.checked_in
    )
    return HealthRow(
        group=group,
        status_label=group.get_status_display(),
        members=group.member_count,
        held=group.held,
        planned=group.planned,
        attendance_percent=_percent(group.attendance_present, group.attendance_rows),
        kept_percent=kept,
        # Withheld by the rule, not merely empty: someone checked in.
        kept_withheld=kept is None and group.checked_in > 0,
        last_activity=last_activity(group),
        fading=is_fading(group, now=now),
    )


def health_queryset(organisation, *, now: datetime) -> QuerySet[PeerGroup]:
    """The published groups of `organisation` (active or ended: a proposed group is still in
    a formation's review, its people told nothing yet) with their figures annotated (see
    `health_row`), the active ones first, then by name: one query for a page of them."""
    occurrences = Occurrence.objects.filter(series=OuterRef("series"))
    attendances = Attendance.objects.filter(
        occurrence__series=OuterRef("series"), occurrence__start__lt=now
    ).exclude(occurrence__status=Occurrence.Status.CANCELLED)
    checked = Commitment.objects.filter(group=OuterRef("pk")).exclude(outcome="")
    score = Sum(
        Case(
            When(outcome=Commitment.Outcome.DONE, then=Value(1.0)),
            When(outcome=Commitment.Outcome.PARTIAL, then=Value(0.5)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    status_order = Case(
        When(status=PeerGroup.Status.ACTIVE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return with_activity(
        PeerGroup.objects.filter(organisation=organisation, status__in=PUBLISHED)
        .annotate(
            member_count=_count(
                PeerGroupMember.objects.filter(group=OuterRef("pk")).exclude(
                    status=PeerGroupMember.Status.LEFT
                ),
                "group",
            ),
            held=_count(
                occurrences.filter(start__lt=now).exclude(status=Occurrence.Status.CANCELLED),
                "series",
            ),
            planned=_count(
                occurrences.filter(start__gte=now, status=Occurrence.Status.SCHEDULED), "series"
            ),
            attendance_rows=_count(attendances, "occurrence__series"),
            attendance_present=_count(
                attendances.filter(status=Attendance.Status.PRESENT), "occurrence__series"
            ),
            checked_in=_count(checked, "group"),
            checked_people=Coalesce(
                _aggregate(checked, "group", Count("user", distinct=True), IntegerField()),
                Value(0),
            ),
            kept_score=_aggregate(checked, "group", score, FloatField()),
            status_order=status_order,
        )
        .order_by("status_order", "name", "pk"),
        now=now,
    )
