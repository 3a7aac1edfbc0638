"""Writing to the outbox. Every message is a `Notification` row first, created in the same
transaction as what caused it; a worker delivers it later (see `delivery`)."""

import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tisser.accounts.models import User
from tisser.notifications.kinds import notice_kind
from tisser.notifications.models import Channel, Notification, NotificationPreference

if TYPE_CHECKING:
    from tisser.notifications.content import Content


def notification_get_or_create(
    *,
    recipient: User,
    channel: Channel | str,
    kind: str,
    idempotency_key: str,
    subject: str,
    body: str,
    url: str = "",
    # A meetings.Occurrence; typed loosely, since the outbox does not import the apps above it.
    occurrence: models.Model | None = None,
    occurrence_start: datetime | None = None,
    scheduled_for: datetime | None = None,
    about: models.Model | None = None,
) -> tuple[Notification, bool]:
    """Like `notification_create`, also telling whether the row is new. `kind` must be
    registered by its app (LookupError otherwise, see `kinds`); an action kind must say what
    it is `about` (ValueError otherwise), so that doing the action marks it done
    (`actions.resolve`)."""
    if notice_kind(kind).action and about is None:
        raise ValueError(f"the action notice {kind!r} must say what it is about")
    return Notification.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "recipient": recipient,
            "channel": channel,
            "kind": kind,
            "subject": subject[:300],
            "body": body,
            "url": url,
            # By id: the outbox keeps its Model-typed argument (see above), and the
            # foreign key's column takes a plain pk.
            "occurrence_id": occurrence.pk if occurrence is not None else None,
            "occurrence_start": occurrence_start,
            "scheduled_for": scheduled_for or timezone.now(),
            "about_type": ContentType.objects.get_for_model(about) if about is not None else None,
            "about_id": about.pk if about is not None else None,
        },
    )


def notification_create(
    *,
    recipient: User,
    channel: Channel | str,
    kind: str,
    idempotency_key: str,
    subject: str,
    body: str,
    url: str = "",
    occurrence: models.Model | None = None,
    occurrence_start: datetime | None = None,
    scheduled_for: datetime | None = None,
    about: models.Model | None = None,
) -> Notification:
    """Put one message in the outbox, due at `scheduled_for` (now by default).

    The idempotency key names the message: creating it a second time (a planner run twice, a
    task retried) is a no-op that returns the existing row unchanged. Safe under concurrent
    callers: the unique constraint on the key decides, `get_or_create` returns the winner."""
    notification, _created = notification_get_or_create(
        recipient=recipient,
        channel=channel,
        kind=kind,
        idempotency_key=idempotency_key,
        subject=subject,
        body=body,
        url=url,
        occurrence=occurrence,
        occurrence_start=occurrence_start,
        scheduled_for=scheduled_for,
        about=about,
    )
    return notification


def preference_for(user: User) -> NotificationPreference:
    """The person's reminder preferences; an unsaved instance with the defaults (e-mail
    reminders on, no digest) when they never changed them."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def channels_for(user: User) -> list[Channel]:
    """In-app always; e-mail too unless the person turned e-mail reminders off."""
    if preference_for(user).email_reminders:
        return [Channel.IN_APP, Channel.EMAIL]
    return [Channel.IN_APP]


# Keys per `IN (…)` lookup and rows per INSERT of the batched writers below.
OUTBOX_BATCH = 1000


def idempotency_keys_existing(keys) -> set[str]:
    """Which of `keys` already name a row of the outbox: one query per OUTBOX_BATCH keys."""
    keys = list(dict.fromkeys(keys))
    existing: set[str] = set()
    for offset in range(0, len(keys), OUTBOX_BATCH):
        existing.update(
            Notification.objects.filter(
                idempotency_key__in=keys[offset : offset + OUTBOX_BATCH]
            ).values_list("idempotency_key", flat=True)
        )
    return existing


def notifications_insert(notifications: list[Notification]) -> int:
    """Put many messages in the outbox at once, in INSERTs of OUTBOX_BATCH rows: the batched
    form of `notification_get_or_create` for the jobs and planners. A row whose idempotency key
    exists already (planned meanwhile by another worker) is left as it is (`ignore_conflicts`).
    Each row must carry its kind, recipient, channel, key, subject, body and `scheduled_for`; an
    action kind must say what it is about. Returns how many rows were handed to the database
    (the callers leave out beforehand the keys that exist, see `idempotency_keys_existing`)."""
    for notification in notifications:
        if notice_kind(notification.kind).action and notification.about_id is None:
            raise ValueError(f"the action notice {notification.kind!r} must say what it is about")
        notification.subject = notification.subject[:300]
        if notification.scheduled_for is None:
            notification.scheduled_for = timezone.now()
    Notification.objects.bulk_create(notifications, batch_size=OUTBOX_BATCH, ignore_conflicts=True)
    return len(notifications)


@dataclass(frozen=True)
class PlannedNotification:
    """One message a daily planner means to put in the outbox, for
    `notifications_bulk_get_or_create`. `content` renders its text: it is called only when
    no row holds `idempotency_key` yet (most planned messages already left on an earlier
    day), and returns a `tisser.notifications.content.Content` (subject, body, url)."""

    recipient: User
    channel: Channel | str
    kind: str
    idempotency_key: str
    content: Callable[[], "Content"]
    scheduled_for: datetime | None = None
    about: models.Model | None = None
    # A meetings.Occurrence and the start planned for, as in `notification_get_or_create`.
    occurrence: models.Model | None = None
    occurrence_start: datetime | None = None


def notifications_bulk_get_or_create(
    planned: Iterable[PlannedNotification],
    *,
    batch_size: int = OUTBOX_BATCH,
    created_by_kind: Counter | None = None,
) -> int:
    """`notification_get_or_create` for many messages at once, for the daily planners: per
    batch of `batch_size`, one query reads which keys already exist and one INSERT writes the
    others (no transaction held while the texts are rendered). Returns how many rows were
    created. Idempotent like its single counterpart: an existing key is left unchanged, and a
    key written meanwhile by a concurrent run is skipped by the unique constraint (and still
    counted here). `created_by_kind`, when given, is counted up kind by kind (one call for a
    planner of several kinds)."""
    created = 0
    items = iter(planned)
    while batch := list(itertools.islice(items, batch_size)):
        # A planner may list a message twice (two paths to one recipient): the first wins.
        firsts: dict[str, PlannedNotification] = {}
        for item in batch:
            firsts.setdefault(item.idempotency_key, item)
        unique = list(firsts.values())
        existing = idempotency_keys_existing(item.idempotency_key for item in unique)
        rows = []
        for item in unique:
            if item.idempotency_key in existing:
                continue
            content = item.content()
            rows.append(
                Notification(
                    recipient=item.recipient,
                    channel=item.channel,
                    kind=item.kind,
                    idempotency_key=item.idempotency_key,
                    subject=content.subject,
                    body=content.body,
                    url=content.url,
                    occurrence_id=item.occurrence.pk if item.occurrence is not None else None,
                    occurrence_start=item.occurrence_start,
                    scheduled_for=item.scheduled_for or timezone.now(),
                    about_type=(
                        ContentType.objects.get_for_model(item.about)
                        if item.about is not None
                        else None
                    ),
                    about_id=item.about.pk if item.about is not None else None,
                )
            )
        created += notifications_insert(rows)
        if created_by_kind is not None:
            created_by_kind.update(row.kind for row in rows)
    return created
