"""Noticing, gently, when a mentorship or a peer group loses its rhythm.

Two signals, checked once a day:

* a series (mentoring or peer group, not ended) where no meeting was *held* for
  `TISSER_INACTIVITY_WEEKS` weeks (6 by default) — held meaning past, not cancelled, with at
  least one person marked present or notes written;
* a participant marked absent at the last two held meetings of a series (recent ones only).

Participants receive a kind nudge (in the app, and by e-mail if they accept e-mail reminders);
the people who can help receive an in-app alert: for a quiet series, the coordinators of the
organisation and the consultants who invited the participants; for repeated absences, the
organiser(s) of the series and the coordinators.

Messages are keyed so that running the detection again changes nothing: a quiet series is
announced once per full period of silence (the key holds the ISO week of the last sign of life
and how many periods have gone by since), an absence streak once per meeting that extends it."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from tisser.accounts.models import Membership, User
from tisser.core.enums import Role
from tisser.meetings.models import (
    Attendance,
    MeetingKind,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.meetings.notices import (
    absence_alert_content,
    absence_nudge_content,
    inactivity_alert_content,
    inactivity_nudge_content,
)
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_get_or_create

WATCHED_KINDS = (MeetingKind.MENTORING, MeetingKind.PEER_GROUP)


@dataclass(frozen=True)
class InactivityReport:
    quiet_series: int = 0
    absent_participants: int = 0
    notifications_created: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def inactivity_weeks() -> int:
    return getattr(settings, "TISSER_INACTIVITY_WEEKS", 6)


def held_occurrences(*, now: datetime) -> QuerySet[Occurrence]:
    """Occurrences that really took place: past, not cancelled, someone present or notes."""
    present = Attendance.objects.filter(occurrence=OuterRef("pk"), status=Attendance.Status.PRESENT)
    return (
        Occurrence.objects.filter(start__lt=now)
        .exclude(status=Occurrence.Status.CANCELLED)
        .filter(Exists(present) | ~Q(notes="") | Q(notes_completed_at__isnull=False))
    )


def _active(users) -> list[User]:
    return [user for user in users if user.is_active]


def _coordinators(series: MeetingSeries) -> list[User]:
    return list(User.objects.coordinators_of(series.organisation_id))


def _inviting_consultants(series: MeetingSeries, participant_ids: list[int]) -> list[User]:
    inviters = Membership.objects.filter(
        organisation_id=series.organisation_id,
        user_id__in=participant_ids,
        consultant__isnull=False,
    ).values("consultant")
    return list(
        User.objects.filter(
            pk__in=inviters,
            is_active=True,
            memberships__organisation_id=series.organisation_id,
            memberships__role=Role.CONSULTANT,
            memberships__is_active=True,
        ).order_by("pk")
    )


def _create(*, recipient: User, channel: str, kind: str, key: str, content) -> int:
    _notification, created = notification_get_or_create(
        recipient=recipient,
        channel=channel,
        kind=kind,
        idempotency_key=key,
        subject=content.subject,
        body=content.body,
        url=content.url,
    )
    return int(created)


def _quiet_series_notify(
    series: MeetingSeries, everyone: list[User], *, now: datetime
) -> int | None:
    """Nudges and alerts for a series without a held meeting for a full period; None when the
    series is not quiet."""
    weeks = inactivity_weeks()
    period = timedelta(weeks=weeks)
    since = max(series.last_held or series.first_start, series.created_at)
    if now - since < period:
        return None
    periods = (now - since) // period
    mark = f"{series.pk}:{timezone.localtime(since):%G-W%V}:{periods}"
    created = 0
    for user in _active(everyone):
        for channel in channels_for(user):
            created += _create(
                recipient=user,
                channel=channel,
                kind=MeetingNotice.INACTIVITY_NUDGE,
                key=f"inactivity:{mark}:{user.pk}:{channel}",
                content=inactivity_nudge_content(
                    series=series, recipient=user, channel=channel, weeks=weeks
                ),
            )
    participant_ids = [user.pk for user in everyone]
    helpers = {
        user.pk: user
        for user in _coordinators(series) + _inviting_consultants(series, participant_ids)
        if user.pk not in participant_ids
    }
    for user in helpers.values():
        created += _create(
            recipient=user,
            channel=Channel.IN_APP,
            kind=MeetingNotice.INACTIVITY_ALERT,
            key=f"inactivity-alert:{mark}:{user.pk}",
            content=inactivity_alert_content(series=series, recipient=user, weeks=weeks),
        )
    return created


def _absences_notify(
    series: MeetingSeries, everyone: list[User], *, now: datetime
) -> tuple[int, int]:
    """Nudges and alerts for participants absent at the last two held meetings. Returns
    (people concerned, rows created)."""
    last_two = list(held_occurrences(now=now).filter(series=series).order_by("-start", "-id")[:2])
    if len(last_two) < 2 or last_two[0].start < now - timedelta(weeks=inactivity_weeks()):
        return 0, 0
    absent_at = {}
    for user_id, occurrence_id in Attendance.objects.filter(
        occurrence__in=last_two, status=Attendance.Status.ABSENT
    ).values_list("user_id", "occurrence_id"):
        absent_at.setdefault(user_id, set()).add(occurrence_id)
    absent = [user for user in _active(everyone) if len(absent_at.get(user.pk, ())) == 2]
    if not absent:
        return 0, 0
    latest = last_two[0]
    organisers = [
        participant.user
        for participant in series.participants.all()
        if participant.role == SeriesParticipant.ParticipantRole.ORGANISER
    ]
    created = 0
    for user in absent:
        for channel in channels_for(user):
            created += _create(
                recipient=user,
                channel=channel,
                kind=MeetingNotice.INACTIVITY_NUDGE,
                key=f"absence:{series.pk}:{latest.pk}:{user.pk}:{channel}",
                content=absence_nudge_content(series=series, recipient=user, channel=channel),
            )
        helpers = {
            helper.pk: helper
            for helper in _active(organisers) + _coordinators(series)
            if helper.pk != user.pk
        }
        for helper in helpers.values():
            created += _create(
                recipient=helper,
                channel=Channel.IN_APP,
                kind=MeetingNotice.INACTIVITY_ALERT,
                key=f"absence-alert:{series.pk}:{latest.pk}:{user.pk}:{helper.pk}",
                content=absence_alert_content(series=series, recipient=helper, absent=user),
            )
    return len(absent), created


def inactivity_detect(*, now: datetime | None = None) -> InactivityReport:
    """Look at every mentoring and peer-group series not ended, and queue the nudges and alerts
    described in the module docstring. Idempotent; each series in its own transaction."""
    now = now or timezone.now()
    last_held = (
        held_occurrences(now=now).filter(series=OuterRef("pk")).order_by("-start").values("start")
    )
    series_list = (
        MeetingSeries.objects.filter(kind__in=WATCHED_KINDS)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .annotate(last_held=Subquery(last_held[:1]))
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=SeriesParticipant.objects.select_related("user__notification_preference"),
            )
        )
        .order_by("pk")
    )
    quiet = absent = created = 0
    for series in series_list:
        everyone = [participant.user for participant in series.participants.all()]
        with transaction.atomic():
            quiet_created = _quiet_series_notify(series, everyone, now=now)
            absent_count, absent_created = _absences_notify(series, everyone, now=now)
        quiet += quiet_created is not None
        absent += absent_count
        created += (quiet_created or 0) + absent_created
    return InactivityReport(
        quiet_series=quiet, absent_participants=absent, notifications_created=created
    )
