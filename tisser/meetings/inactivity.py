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

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tisser.accounts.models import Membership, Organisation, User
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
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import (
    channels_for,
    idempotency_keys_existing,
    notifications_insert,
)

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


# Series read and handled together; the query count of a pass grows with the number of batches
# only, not with the number of series or people.
SERIES_BATCH = 500


@dataclass
class _Planned:
    """The messages of a batch, as keys first: only the missing ones are written."""

    rows: dict[str, tuple] = field(default_factory=dict)

    def add(self, key: str, recipient: User, channel: str, kind: str, content) -> None:
        # `content` is called only if the key is new: rendering costs more than a key.
        self.rows.setdefault(key, (recipient, channel, kind, content))

    def write(self) -> int:
        existing = idempotency_keys_existing(self.rows)
        notifications = []
        for key, (recipient, channel, kind, content) in self.rows.items():
            if key in existing:
                continue
            text = content()
            notifications.append(
                Notification(
                    recipient=recipient,
                    channel=channel,
                    kind=kind,
                    idempotency_key=key,
                    subject=text.subject,
                    body=text.body,
                    url=text.url,
                )
            )
        return notifications_insert(notifications)


def _inviting_consultants(organisation_id: int, participant_ids) -> dict[int, list[User]]:
    """The active consultants of the organisation who invited each of `participant_ids`, in
    two queries for the whole batch."""
    invited_by: dict[int, set[int]] = {}
    for user_id, consultant_id in Membership.objects.filter(
        organisation_id=organisation_id,
        user_id__in=participant_ids,
        consultant__isnull=False,
    ).values_list("user_id", "consultant_id"):
        invited_by.setdefault(user_id, set()).add(consultant_id)
    consultants = {
        user.pk: user
        for user in User.objects.filter(
            pk__in={pk for pks in invited_by.values() for pk in pks},
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role=Role.CONSULTANT,
            memberships__is_active=True,
        ).distinct()
    }
    return {
        user_id: [consultants[pk] for pk in sorted(pks) if pk in consultants]
        for user_id, pks in invited_by.items()
    }


def _quiet_series_plan(
    planned: _Planned,
    series: MeetingSeries,
    everyone: list[User],
    helpers: list[User],
    *,
    now: datetime,
) -> bool:
    """Nudges and alerts for a series without a held meeting for a full period; False when the
    series is not quiet."""
    weeks = inactivity_weeks()
    period = timedelta(weeks=weeks)
    since = max(series.last_held or series.first_start, series.created_at)
    if now - since < period:
        return False
    periods = (now - since) // period
    mark = f"{series.pk}:{timezone.localtime(since):%G-W%V}:{periods}"
    for user in _active(everyone):
        for channel in channels_for(user):
            planned.add(
                f"inactivity:{mark}:{user.pk}:{channel}",
                user,
                channel,
                MeetingNotice.INACTIVITY_NUDGE,
                partial(
                    inactivity_nudge_content,
                    series=series,
                    recipient=user,
                    channel=channel,
                    weeks=weeks,
                ),
            )
    participant_ids = {user.pk for user in everyone}
    for user in helpers:
        if user.pk in participant_ids:
            continue
        planned.add(
            f"inactivity-alert:{mark}:{user.pk}",
            user,
            Channel.IN_APP,
            MeetingNotice.INACTIVITY_ALERT,
            partial(inactivity_alert_content, series=series, recipient=user, weeks=weeks),
        )
    return True


def _absences_plan(
    planned: _Planned,
    series: MeetingSeries,
    everyone: list[User],
    last_two: list[Occurrence],
    absent_at: dict[tuple[int, int], set[int]],
    coordinators: list[User],
    *,
    now: datetime,
) -> int:
    """Nudges and alerts for participants absent at the last two held meetings. Returns how
    many people are concerned."""
    if len(last_two) < 2 or last_two[0].start < now - timedelta(weeks=inactivity_weeks()):
        return 0
    absent = [
        user for user in _active(everyone) if len(absent_at.get((series.pk, user.pk), ())) == 2
    ]
    if not absent:
        return 0
    latest = last_two[0]
    organisers = [
        participant.user
        for participant in series.participants.all()
        if participant.role == SeriesParticipant.ParticipantRole.ORGANISER
    ]
    for user in absent:
        for channel in channels_for(user):
            planned.add(
                f"absence:{series.pk}:{latest.pk}:{user.pk}:{channel}",
                user,
                channel,
                MeetingNotice.INACTIVITY_NUDGE,
                partial(absence_nudge_content, series=series, recipient=user, channel=channel),
            )
        helpers = {
            helper.pk: helper
            for helper in _active(organisers) + coordinators
            if helper.pk != user.pk
        }
        for helper in helpers.values():
            planned.add(
                f"absence-alert:{series.pk}:{latest.pk}:{user.pk}:{helper.pk}",
                helper,
                Channel.IN_APP,
                MeetingNotice.INACTIVITY_ALERT,
                partial(absence_alert_content, series=series, recipient=helper, absent=user),
            )
    return len(absent)


def _last_two_held(series_ids: list[int], *, now: datetime) -> dict[int, list[Occurrence]]:
    """The last two held occurrences of each series, most recent first: one query (a window
    function numbers each series' held occurrences)."""
    ranked = (
        held_occurrences(now=now)
        .filter(series_id__in=series_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("series_id")],
                order_by=[F("start").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=2)
        .order_by("series_id", "-start", "-id")
    )
    last_two: dict[int, list[Occurrence]] = {}
    for occurrence in ranked:
        last_two.setdefault(occurrence.series_id, []).append(occurrence)
    return last_two


def inactivity_detect(
    *, organisation_id: int | None = None, now: datetime | None = None
) -> InactivityReport:
    """Look at every mentoring and peer-group series not ended of the organisation (of every
    organisation, one after the other, when None), and queue the nudges and alerts described
    in the module docstring. Idempotent.

    Batched (the daily-jobs contract, `tisser.core.daily_jobs`): per SERIES_BATCH series, a
    fixed number of queries — the series with their last held meeting and participants, the
    last two held meetings of each (a window function), the absences at them, the consultants
    who invited the participants, the keys already in the outbox — then one INSERT per 1,000
    new messages, computed before and written without a long transaction."""
    now = now or timezone.now()
    if organisation_id is None:
        reports = [
            inactivity_detect(organisation_id=pk, now=now)
            for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True)
        ]
        return InactivityReport(
            quiet_series=sum(report.quiet_series for report in reports),
            absent_participants=sum(report.absent_participants for report in reports),
            notifications_created=sum(report.notifications_created for report in reports),
        )
    last_held = (
        held_occurrences(now=now).filter(series=OuterRef("pk")).order_by("-start").values("start")
    )
    watched = (
        MeetingSeries.objects.filter(organisation_id=organisation_id, kind__in=WATCHED_KINDS)
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
    coordinators: list[User] | None = None
    quiet = absent = created = 0
    after = 0
    while True:
        batch = list(watched.filter(pk__gt=after)[:SERIES_BATCH])
        if not batch:
            break
        after = batch[-1].pk
        if coordinators is None:
            coordinators = list(User.objects.coordinators_of(organisation_id))
        everyone = {
            series.pk: [participant.user for participant in series.participants.all()]
            for series in batch
        }
        participant_ids = {user.pk for users in everyone.values() for user in users}
        inviters = _inviting_consultants(organisation_id, participant_ids)
        last_two = _last_two_held([series.pk for series in batch], now=now)
        absent_at: dict[tuple[int, int], set[int]] = {}
        for series_id, user_id, occurrence_id in Attendance.objects.filter(
            occurrence_id__in=[o.pk for pair in last_two.values() for o in pair],
            status=Attendance.Status.ABSENT,
        ).values_list("occurrence__series_id", "user_id", "occurrence_id"):
            absent_at.setdefault((series_id, user_id), set()).add(occurrence_id)
        planned = _Planned()
        for series in batch:
            users = everyone[series.pk]
            helpers = {user.pk: user for user in coordinators}
            for user in users:
                for consultant in inviters.get(user.pk, ()):
                    helpers.setdefault(consultant.pk, consultant)
            quiet += _quiet_series_plan(planned, series, users, list(helpers.values()), now=now)
            absent += _absences_plan(
                planned,
                series,
                users,
                last_two.get(series.pk, []),
                absent_at,
                coordinators,
                now=now,
            )
        created += planned.write()
        if len(batch) < SERIES_BATCH:
            break
    return InactivityReport(
        quiet_series=quiet, absent_participants=absent, notifications_created=created
    )
