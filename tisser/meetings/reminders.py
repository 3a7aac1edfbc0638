"""Reminders planned from the meeting calendar, and notices when a meeting moves or is cancelled.

The outbox (`tisser.notifications`) knows nothing of meetings: this module registers the
reminder kinds with their delivery hooks (checked again, written anew, gathered by the daily
digest) and plans them from `notifications_dispatch` through the outbox's planners.

Three reminders per occurrence and participant: prepare the agenda (3 days before), the meeting
itself (24 h before), write the notes up (1 h after the end, only while they are empty). Each
exists in the app and, unless the person turned e-mail reminders off, by e-mail — or folded into
their daily digest when they chose it.

The idempotency key of a reminder carries the occurrence's start: planning again is a no-op,
while a moved occurrence gets new reminders and the old ones (cancelled at once, and checked
again at delivery) never go out.

The dispatch runs every minute, so planning must cost nearly nothing when all is planned: one
query says which occurrences still miss a reminder (`occurrences_to_plan`, the same rules in
SQL, on the fields the keys are made of); only those are read, by batches, and their reminders
written with a fixed number of queries per batch (`_reminders_write`: texts rendered first,
then one short transaction of bulk INSERTs, `ignore_conflicts` on the key)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone

from tisser.accounts.models import User
from tisser.core.daily_jobs import batch_begin
from tisser.meetings.models import Occurrence, SeriesParticipant
from tisser.meetings.notice_kinds import REMINDER_KINDS, MeetingNotice
from tisser.meetings.notices import change_content, reminder_content
from tisser.notifications import kinds
from tisser.notifications.content import Content
from tisser.notifications.digest import digest_planned, digests_pending
from tisser.notifications.models import Channel, Notification
from tisser.notifications.planners import register_planner
from tisser.notifications.services import (
    channels_for,
    notification_get_or_create,
    notifications_insert,
    preference_for,
)
from tisser.notifications.tasks import notification_deliver

PLANNING_HORIZON = timedelta(days=4)
NOTES_LOOKBACK = timedelta(days=2)
AGENDA_LEAD = timedelta(days=3)
MEETING_LEAD = timedelta(hours=24)
NOTES_DELAY = timedelta(hours=1)

KEY_PREFIX = {
    MeetingNotice.AGENDA_REMINDER: "agenda",
    MeetingNotice.MEETING_REMINDER: "meeting",
    MeetingNotice.NOTES_REMINDER: "notes",
}

CHANGE_KINDS = {
    "moved": MeetingNotice.MEETING_CHANGED,
    "cancelled": MeetingNotice.MEETING_CANCELLED,
}


@dataclass(frozen=True)
class PlannedReminder:
    kind: MeetingNotice
    scheduled_for: datetime


def reminder_key(kind: str, occurrence: Occurrence, user: User, channel: str) -> str:
    # In UTC, so that the key does not depend on the time zone the start was read in.
    start = occurrence.start.astimezone(UTC)
    return f"{KEY_PREFIX[kind]}:{occurrence.pk}:{start:%Y%m%dT%H%M%SZ}:{user.pk}:{channel}"


def notes_written(occurrence: Occurrence) -> bool:
    return bool(occurrence.notes.strip()) or occurrence.notes_completed_at is not None


def reminder_cancel_reason(notification: Notification, *, now: datetime) -> str:
    """Why a reminder about a meeting must not be sent any more ("" when it still must).

    Rules: never for a cancelled occurrence, an ended series, or an occurrence that moved since
    the reminder was planned (its new time has its own reminders); no "prepare" or "meeting"
    reminder once the meeting has started; no notes reminder once notes are written; nothing to
    someone who left the series."""
    occurrence = notification.occurrence
    if occurrence is None:
        return ""
    if occurrence.status == Occurrence.Status.CANCELLED:
        return "occurrence cancelled"
    ended_at = occurrence.series.ended_at
    if ended_at is not None and ended_at <= now:
        return "series ended"
    if notification.occurrence_start is not None and occurrence.start != (
        notification.occurrence_start
    ):
        return "occurrence moved"
    if (
        notification.kind in (MeetingNotice.AGENDA_REMINDER, MeetingNotice.MEETING_REMINDER)
        and occurrence.start <= now
    ):
        return "occurrence already started"
    if notification.kind == MeetingNotice.NOTES_REMINDER and notes_written(occurrence):
        return "notes already written"
    takes_part = getattr(notification, "recipient_takes_part", None)
    if takes_part is None:
        takes_part = SeriesParticipant.objects.filter(
            series_id=occurrence.series_id, user_id=notification.recipient_id
        ).exists()
    if not takes_part:
        return "recipient no longer takes part"
    return ""


def reminders_prepare(notifications: list[Notification]) -> None:
    """What `reminder_cancel_reason` and `reminder_rewrite` read, for a batch of reminders
    in two queries: whether each recipient still takes part in the series and in which role
    (the title they read, `notices.title_for`), and the agenda count of each occurrence."""
    about = [(n, n.occurrence) for n in notifications if n.occurrence is not None]
    if not about:
        return
    roles = {
        (series_id, user_id): role
        for series_id, user_id, role in SeriesParticipant.objects.filter(
            series_id__in={occurrence.series_id for _n, occurrence in about},
            user_id__in={n.recipient_id for n, _occurrence in about},
        ).values_list("series_id", "user_id", "role")
    }
    agenda_counts = dict(
        Occurrence.objects.filter(pk__in={occurrence.pk for _n, occurrence in about})
        .annotate(agenda_count=Count("agenda"))
        .values_list("pk", "agenda_count")
    )
    for notification, occurrence in about:
        role = roles.get((occurrence.series_id, notification.recipient_id))
        # Read by the hooks with getattr: a row nobody prepared has none of them.
        setattr(notification, "recipient_takes_part", role is not None)  # noqa: B010
        setattr(notification, "recipient_role", role)  # noqa: B010
        setattr(occurrence, "agenda_count", agenda_counts.get(occurrence.pk, 0))  # noqa: B010


def reminder_rewrite(notification: Notification, *, channel: str) -> Content | None:
    """The reminder's text when it leaves, from the occurrence as it is then (the agenda may
    have grown since it was planned)."""
    occurrence = notification.occurrence
    if occurrence is None:
        return None
    if hasattr(notification, "recipient_role"):
        role = getattr(notification, "recipient_role")  # noqa: B009 (set by the prepare hook)
    else:
        role = (
            SeriesParticipant.objects.filter(
                series_id=occurrence.series_id, user_id=notification.recipient_id
            )
            .values_list("role", flat=True)
            .first()
        )
    return reminder_content(
        kind=notification.kind,
        occurrence=occurrence,
        recipient=notification.recipient,
        channel=channel,
        role=role,
    )


def reminders_due(occurrence: Occurrence, *, now: datetime) -> list[PlannedReminder]:
    """The reminders that `occurrence` should have by now. A reminder whose time has passed is
    still planned (it leaves at once) while it makes sense: the agenda one until the meeting
    reminder takes over, the meeting one until the start, the notes one while notes are empty."""
    planned = []
    start, end = occurrence.start, occurrence.end
    if now < start <= now + PLANNING_HORIZON:
        if now < start - MEETING_LEAD:
            planned.append((MeetingNotice.AGENDA_REMINDER, start - AGENDA_LEAD))
        planned.append((MeetingNotice.MEETING_REMINDER, start - MEETING_LEAD))
    if now - NOTES_LOOKBACK <= end <= now + PLANNING_HORIZON and not notes_written(occurrence):
        planned.append((MeetingNotice.NOTES_REMINDER, end + NOTES_DELAY))
    # Planned late (a meeting created or moved at short notice): due now, not in the past, so
    # that it lands in today's digest.
    return [PlannedReminder(kind, max(moment, now)) for kind, moment in planned]


def _reminder(
    reminder: PlannedReminder, occurrence: Occurrence, participant: SeriesParticipant, channel: str
) -> Notification:
    """The reminder's row, unsaved, its text written now (outside any transaction)."""
    user = participant.user
    content = reminder_content(
        kind=reminder.kind,
        occurrence=occurrence,
        recipient=user,
        channel=channel,
        role=participant.role,
    )
    return Notification(
        recipient=user,
        channel=channel,
        kind=reminder.kind,
        idempotency_key=reminder_key(reminder.kind, occurrence, user, channel),
        subject=content.subject,
        body=content.body,
        url=content.url,
        occurrence=occurrence,
        occurrence_start=occurrence.start,
        scheduled_for=reminder.scheduled_for,
        about_type=ContentType.objects.get_for_model(Occurrence),
        about_id=occurrence.pk,
    )


def _reminders_write(
    planned: list[tuple[Occurrence, list[SeriesParticipant]]], *, now: datetime
) -> int:
    """Create the reminders the occurrences of `planned` are due (see `reminders_due`) for
    their participants; returns how many rows were created. Idempotent.

    A fixed number of queries whatever the number of occurrences and people (the callers pass
    at most PLANNING_BATCH occurrences): the keys that exist, then the texts written outside
    any transaction, the digests planned, and one short transaction that inserts the in-app
    reminders, locks the digests concerned (in key order, so that concurrent planners cannot
    deadlock; a digest being sent right now is waited for rather than missed) and inserts the
    e-mails: those of people without a digest, and those whose digest has already left."""
    due = [
        (occurrence, participants, reminders_due(occurrence, now=now))
        for occurrence, participants in planned
    ]
    due = [item for item in due if item[2]]
    if not due:
        return 0
    existing = set(
        Notification.objects.filter(
            occurrence_id__in=[occurrence.pk for occurrence, _p, _r in due],
            kind__in=REMINDER_KINDS,
        ).values_list("idempotency_key", flat=True)
    )
    in_app: list[Notification] = []
    emails: list[Notification] = []
    # E-mails of people who chose the digest: sent on their own only if their digest has left.
    digest_emails: list[tuple[str, Notification]] = []
    digests: dict[str, Notification] = {}
    for occurrence, participants, reminders in due:
        for reminder in reminders:
            for participant in sorted(participants, key=lambda p: p.user_id):
                user = participant.user
                if not user.is_active:
                    continue
                preference = preference_for(user)
                key = reminder_key(reminder.kind, occurrence, user, Channel.IN_APP)
                in_app_is_new = key not in existing
                if in_app_is_new:
                    existing.add(key)
                    in_app.append(_reminder(reminder, occurrence, participant, Channel.IN_APP))
                if not preference.email_reminders:
                    continue
                key = reminder_key(reminder.kind, occurrence, user, Channel.EMAIL)
                if key in existing:
                    continue
                # The digest speaks for the reminders of its window; a reminder planned once
                # its digest has left is e-mailed on its own.
                if preference.daily_digest:
                    if not in_app_is_new:
                        continue
                    digest = digest_planned(user=user, scheduled_for=reminder.scheduled_for)
                    digests.setdefault(digest.idempotency_key, digest)
                    email = _reminder(reminder, occurrence, participant, Channel.EMAIL)
                    digest_emails.append((digest.idempotency_key, email))
                else:
                    emails.append(_reminder(reminder, occurrence, participant, Channel.EMAIL))
                existing.add(key)
    if digests:
        notifications_insert(list(digests.values()))
    with transaction.atomic():
        notifications_insert(in_app)
        if digest_emails:
            waiting = digests_pending(digests)
            emails += [email for key, email in digest_emails if key not in waiting]
        notifications_insert(emails)
    # The digests themselves are not counted: they only gather the reminders.
    return len(in_app) + len(emails)


def occurrence_plan(
    *, occurrence: Occurrence, participants: list[SeriesParticipant], now: datetime
) -> int:
    """Create the reminders `occurrence` is due (see `reminders_due`); returns how many rows
    were created. Idempotent."""
    return _reminders_write([(occurrence, participants)], now=now)


def _participants(occurrence: Occurrence) -> list[SeriesParticipant]:
    return list(
        SeriesParticipant.objects.filter(series_id=occurrence.series_id).select_related(
            "user__notification_preference"
        )
    )


# Occurrences planned together: each batch costs the same few queries.
PLANNING_BATCH = 500


def _missing(kind: str, channel: str) -> Exists:
    """Whether the reminder `kind` on `channel` of the occurrence and participant of the outer
    row is still to be planned: no row for that occurrence, start, person, kind and channel
    (the very fields its idempotency key is made of)."""
    return ~Exists(
        Notification.objects.filter(
            occurrence_id=OuterRef("pk"),
            occurrence_start=OuterRef("start"),
            recipient_id=OuterRef("participant_id"),
            kind=kind,
            channel=channel,
        )
    )


def occurrences_to_plan(*, now: datetime) -> list[int]:
    """The ids of `occurrences_to_plan_query`."""
    return list(occurrences_to_plan_query(now=now))


def occurrences_to_plan_query(*, now: datetime) -> QuerySet:
    """The occurrences with a reminder still to plan for one of their active participants, in
    one query that returns nothing when all is planned (what nearly every dispatch finds).

    The same rules as `reminders_due` and `occurrence_plan`, said in SQL: for each kind, the
    occurrences within its window, and a participant without its in-app row, or — e-mail
    reminders on and no digest — without its e-mail row."""
    active_series = Q(series__ended_at__isnull=True) | Q(series__ended_at__gt=now)
    window = Q(start__gt=now, start__lte=now + PLANNING_HORIZON) | Q(
        end__gte=now - NOTES_LOOKBACK, end__lte=now + PLANNING_HORIZON
    )
    preference = "series__participants__user__notification_preference__"
    # Without a preference row, the defaults (e-mail reminders on, no digest).
    emails_alone = Q(email_on=True, digest=False)
    kind_due = {
        MeetingNotice.AGENDA_REMINDER: Q(
            start__gt=now + MEETING_LEAD, start__lte=now + PLANNING_HORIZON
        ),
        MeetingNotice.MEETING_REMINDER: Q(start__gt=now, start__lte=now + PLANNING_HORIZON),
        MeetingNotice.NOTES_REMINDER: Q(
            end__gte=now - NOTES_LOOKBACK,
            end__lte=now + PLANNING_HORIZON,
            notes_left="",
            notes_completed_at__isnull=True,
        ),
    }
    wanted = Q()
    for kind, due in kind_due.items():
        wanted |= due & (
            Q(_missing(kind, Channel.IN_APP)) | (emails_alone & Q(_missing(kind, Channel.EMAIL)))
        )
    return (
        Occurrence.objects.scheduled()
        .filter(active_series, window, series__participants__user__is_active=True)
        .annotate(
            participant_id=F("series__participants__user_id"),
            email_on=Coalesce(F(f"{preference}email_reminders"), Value(True)),
            digest=Coalesce(F(f"{preference}daily_digest"), Value(False)),
            notes_left=Trim("notes"),
        )
        .filter(wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def reminders_plan(*, now: datetime | None = None) -> int:
    """Plan the reminders of the scheduled occurrences of active series that start within the
    next 4 days, or ended within the last 2 days (notes). Returns the number of rows created;
    running it again creates nothing.

    Run by every `notifications_dispatch` (once a minute): one query finds the occurrences
    with something left to plan (`occurrences_to_plan`), nearly always none; those are planned
    by batches of PLANNING_BATCH, each in a fixed number of queries (`_reminders_write`)."""
    now = now or timezone.now()
    pending = occurrences_to_plan(now=now)
    created = 0
    for offset in range(0, len(pending), PLANNING_BATCH):
        batch_begin()
        occurrences = (
            Occurrence.objects.filter(pk__in=pending[offset : offset + PLANNING_BATCH])
            .select_related("series")
            .annotate(agenda_count=Count("agenda"))
            .prefetch_related(
                Prefetch(
                    "series__participants",
                    queryset=SeriesParticipant.objects.select_related(
                        "user__notification_preference"
                    ),
                )
            )
            .order_by("start", "id")
        )
        planned = [
            (occurrence, list(occurrence.series.participants.all())) for occurrence in occurrences
        ]
        created += _reminders_write(planned, now=now)
    return created


def change_key(change: str, occurrence: Occurrence, user: User, channel: str) -> str:
    return f"{change}:{occurrence.pk}:{occurrence.sequence}:{user.pk}:{channel}"


def occurrence_changed(
    *,
    occurrence: Occurrence,
    actor: User | None,
    change: Literal["moved", "cancelled"],
    old_start: datetime | None = None,
) -> None:
    """Called by the meetings services, inside their transaction, once `occurrence` has been
    moved or cancelled (and its `sequence` increased).

    Cancels the reminders still pending for its old time (all of them when cancelled), plans
    those of its new time, and tells every other participant — in the app, and by e-mail if they
    accept e-mail reminders — with keys that carry the occurrence's sequence, so that each change
    is announced once. The notices are delivered right after the commit. `old_start`, when not
    given, is read from the reminders planned for it. Runs in a transaction of its own when the
    caller has none."""
    kind = CHANGE_KINDS[change]
    with transaction.atomic():
        now = timezone.now()
        pending = Notification.objects.filter(
            occurrence=occurrence, kind__in=REMINDER_KINDS, status=Notification.Status.PENDING
        )
        if change == "moved":
            pending = pending.exclude(occurrence_start=occurrence.start)
            if old_start is None:
                old_start = pending.values_list("occurrence_start", flat=True).first()
        pending.update(status=Notification.Status.CANCELLED, last_error=f"occurrence {change}")

        participants = _participants(occurrence)
        notice_ids = []
        for participant in participants:
            user = participant.user
            if (actor is not None and user.pk == actor.pk) or not user.is_active:
                continue
            for channel in channels_for(user):
                content = change_content(
                    kind=kind,
                    occurrence=occurrence,
                    recipient=user,
                    channel=channel,
                    role=participant.role,
                    actor=actor,
                    old_start=old_start,
                )
                notice, _created = notification_get_or_create(
                    recipient=user,
                    channel=channel,
                    kind=kind,
                    idempotency_key=change_key(change, occurrence, user, channel),
                    subject=content.subject,
                    body=content.body,
                    url=content.url,
                    occurrence=occurrence,
                    occurrence_start=occurrence.start,
                    scheduled_for=now,
                )
                if notice.status == Notification.Status.PENDING:
                    notice_ids.append(notice.pk)
        if change == "moved":
            occurrence_plan(occurrence=occurrence, participants=participants, now=now)
        if notice_ids:
            transaction.on_commit(lambda: _deliver_soon(notice_ids))


def _deliver_soon(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        notification_deliver.enqueue(notification_id=notification_id)


kinds.register(
    (kind for kind in REMINDER_KINDS if kind != MeetingNotice.NOTES_REMINDER),
    rewrite=reminder_rewrite,
    cancel_reason=reminder_cancel_reason,
    in_digest=True,
    prepare=reminders_prepare,
)
# "Compléter le compte rendu" asks for an action: the notes saved mark it done for every
# participant (`services.writeup`, ADR 0024).
kinds.register(
    [MeetingNotice.NOTES_REMINDER],
    rewrite=reminder_rewrite,
    cancel_reason=reminder_cancel_reason,
    in_digest=True,
    action=True,
    prepare=reminders_prepare,
)
register_planner(reminders_plan)
