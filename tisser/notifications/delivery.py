"""Delivering the outbox.

Each due notification is handled in its own transaction that locks its row
(`SELECT … FOR UPDATE SKIP LOCKED`), checks again that it is still due and still makes sense,
sends it, and marks it SENT before committing.

What this guarantees, precisely:

* Two workers never send the same row at the same time: the second one skips the locked row,
  and once the first commits the row is no longer PENDING.
* A worker killed at any point leaves no half-done state: its transaction is rolled back by the
  database (the lock goes with its connection), the row is PENDING again and the next run sends
  it. A row marked SENT is never sent again.
* In-app notifications and any e-mail backend whose effect is part of the same database
  transaction are therefore delivered exactly once, crashes included.
* In-app notifications are delivered by batches (`notifications_deliver_in_app`): one
  transaction locks the batch's rows (`SKIP LOCKED`), checks each, and marks them in one
  UPDATE per outcome. Delivering an in-app notification is marking its row: a crash rolls back
  the whole batch, every row still PENDING, and a row committed SENT is never taken again, so
  the guarantee is the same as row by row, at a fixed number of queries per batch (ADR 0030).
* E-mails stay one transaction each: a batch of e-mails sent before one commit would repeat
  the whole batch after a crash, and e-mails sent after the commit could be lost.
* SMTP is not transactional: a crash after the server accepted a message but before our commit
  re-sends that one message on the next run. At most one message per killed worker can be
  repeated that way, and it carries the same `Message-ID` (derived from the idempotency key), so
  a receiving server or mail client that de-duplicates on it shows it once. Exactly-once over
  SMTP is not achievable by any sender; this is the honest bound.

On SQLite, `select_for_update` is a no-op, but the settings open every transaction with
`BEGIN IMMEDIATE`, which takes the database's write lock up front: the check-send-mark sequence
is serialised between processes all the same (an e-mail being sent holds that lock; fine for
development and small installations, PostgreSQL is the production database).

A failed send is retried with an exponential backoff (1 min, 4 min, 16 min…, capped at 6 h) and
marked FAILED after `TISSER_NOTIFICATION_MAX_ATTEMPTS` attempts (5 by default), which shows it to
the coordinators of the recipient's organisation."""

import enum
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tisser.core.daily_jobs import batch_begin
from tisser.core.mail import header_text
from tisser.notifications.content import Content
from tisser.notifications.digest import digest_render
from tisser.notifications.kinds import prepare_for_delivery, rewrite_for
from tisser.notifications.models import Channel, Notification
from tisser.notifications.notice_kinds import OutboxNotice
from tisser.notifications.validity import cancel_reason

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_FACTOR = 4
BACKOFF_CAP = timedelta(hours=6)


class Outcome(enum.StrEnum):
    SENT = "sent"
    CANCELLED = "cancelled"
    RETRY = "retry"
    FAILED = "failed"
    # Locked by another worker, already handled, or not due.
    SKIPPED = "skipped"


@dataclass
class DeliveryReport:
    sent: int = 0
    cancelled: int = 0
    retry: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    @property
    def handled(self) -> int:
        return self.sent + self.cancelled + self.retry + self.failed + self.skipped

    def merge(self, other: "DeliveryReport") -> None:
        for outcome in Outcome:
            setattr(self, outcome.value, getattr(self, outcome.value) + getattr(other, outcome))

    def as_dict(self) -> dict[str, int]:
        return {outcome.value: getattr(self, outcome.value) for outcome in Outcome}


def max_attempts() -> int:
    return getattr(settings, "TISSER_NOTIFICATION_MAX_ATTEMPTS", 5)


def backoff(attempts: int) -> timedelta:
    """The wait before attempt number `attempts + 1`."""
    return min(BACKOFF_BASE * BACKOFF_FACTOR ** max(attempts - 1, 0), BACKOFF_CAP)


def message_id_for(idempotency_key: str) -> str:
    """A stable RFC 5322 Message-ID: the same message always gets the same one."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    domain = urlsplit(getattr(settings, "SITE_URL", "")).hostname or "tisser.local"
    return f"<notification.{digest}@{domain}>"


def _due(now: datetime) -> Q:
    return Q(status=Notification.Status.PENDING, scheduled_for__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def notifications_due(*, now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(_due(now)).order_by("scheduled_for", "id")


def _current_content(notification: Notification, *, now: datetime) -> Content | None:
    """The text to send: written again for digests and for the kinds that registered a
    `rewrite` (a meeting reminder: the agenda may have grown since it was planned); as stored
    for the others. None: nothing left to send."""
    if notification.kind == OutboxNotice.DAILY_DIGEST:
        return digest_render(notification, now=now)
    rewritten = rewrite_for(notification, channel=notification.channel)
    if rewritten is not None:
        return rewritten
    return Content(subject=notification.subject, body=notification.body, url=notification.url)


def _email_send(notification: Notification) -> None:
    recipient = notification.recipient
    if not recipient.email:
        raise ValueError("recipient has no e-mail address")
    message = EmailMessage(
        subject=header_text(notification.subject),
        body=notification.body,
        to=[recipient.email],
        headers={"Message-ID": message_id_for(notification.idempotency_key)},
    )
    if message.send(fail_silently=False) != 1:
        raise RuntimeError("the e-mail backend did not accept the message")


def _record_failure(notification: Notification, error: Exception, *, now: datetime) -> Outcome:
    outcome = _failure_noted(notification, error, now=now)
    notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return outcome


def _failure_noted(notification: Notification, error: Exception, *, now: datetime) -> Outcome:
    """Count a failed attempt on `notification` (not saved): retried later, or FAILED."""
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts >= max_attempts():
        notification.status = Notification.Status.FAILED
        notification.next_attempt_at = None
        outcome = Outcome.FAILED
    else:
        notification.next_attempt_at = now + backoff(notification.attempts)
        outcome = Outcome.RETRY
    logger.warning(
        "notification %s: attempt %s failed (%s)",
        notification.pk,
        notification.attempts,
        notification.last_error,
    )
    return outcome


def notification_deliver_one(*, notification_id: int, now: datetime | None = None) -> Outcome:
    """Deliver one notification if it is due, in its own transaction (see the module docstring
    for what is guaranteed). Safe to call twice, from as many workers as you like."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "occurrence__series")
            .filter(_due(now), pk=notification_id)
            .first()
        )
        if notification is None:
            return Outcome.SKIPPED
        reason = cancel_reason(notification, now=now)
        content = None if reason else _current_content(notification, now=now)
        if content is None:
            notification.status = Notification.Status.CANCELLED
            notification.last_error = reason or "nothing left to send"
            notification.save(update_fields=["status", "last_error"])
            return Outcome.CANCELLED
        try:
            # A savepoint: whatever a failing send wrote is undone, the failure is recorded.
            with transaction.atomic():
                notification.subject = content.subject[:300]
                notification.body = content.body
                notification.url = content.url
                if notification.channel == Channel.EMAIL:
                    _email_send(notification)
                notification.status = Notification.Status.SENT
                notification.sent_at = now
                notification.last_error = ""
                notification.save(
                    update_fields=["subject", "body", "url", "status", "sent_at", "last_error"]
                )
        except Exception as error:
            return _record_failure(notification, error, now=now)
        return Outcome.SENT


def notifications_deliver_in_app(*, ids: list[int], now: datetime) -> DeliveryReport:
    """Deliver the due in-app notifications among `ids` together, in one transaction: lock
    those no other worker holds (`SKIP LOCKED`), let their kinds read what their checks need
    (`prepare`, one query each), check and write each, then one UPDATE per outcome. A fixed
    number of queries whatever the batch's size. A database error rolls back the whole batch
    and is raised: nothing of it was delivered."""
    report = DeliveryReport()
    outcomes: dict[Outcome, list[Notification]] = {outcome: [] for outcome in Outcome}
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "occurrence__series")
            .filter(_due(now), pk__in=ids, channel=Channel.IN_APP)
            .exclude(kind=OutboxNotice.DAILY_DIGEST)
            .order_by("scheduled_for", "id")
        )
        report.skipped = len(ids) - len(claimed)
        prepare_for_delivery(claimed)
        for notification in claimed:
            try:
                reason = cancel_reason(notification, now=now)
                content = None if reason else _current_content(notification, now=now)
            except DatabaseError:
                raise
            except Exception as error:
                outcomes[_failure_noted(notification, error, now=now)].append(notification)
                continue
            if content is None:
                notification.status = Notification.Status.CANCELLED
                notification.last_error = reason or "nothing left to send"
                outcomes[Outcome.CANCELLED].append(notification)
                continue
            notification.subject = content.subject[:300]
            notification.body = content.body
            notification.url = content.url
            notification.status = Notification.Status.SENT
            notification.sent_at = now
            notification.last_error = ""
            outcomes[Outcome.SENT].append(notification)
        fields = {
            Outcome.SENT: ["subject", "body", "url", "status", "sent_at", "last_error"],
            Outcome.CANCELLED: ["status", "last_error"],
            Outcome.RETRY: ["attempts", "last_error", "status", "next_attempt_at"],
            Outcome.FAILED: ["attempts", "last_error", "status", "next_attempt_at"],
        }
        for outcome, rows in outcomes.items():
            if rows:
                Notification.objects.bulk_update(rows, fields[outcome])
                setattr(report, outcome.value, len(rows))
    return report


def notifications_deliver_due(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Deliver up to `limit` due notifications, oldest first: the in-app ones together
    (`notifications_deliver_in_app`; row by row if that batch fails), each e-mail in its own
    transaction. Rows another worker holds are skipped, not waited for."""
    now = now or timezone.now()
    report = DeliveryReport()
    due = list(notifications_due(now=now).values_list("pk", "channel", "kind")[:limit])
    in_app = [
        pk
        for pk, channel, kind in due
        if channel == Channel.IN_APP and kind != OutboxNotice.DAILY_DIGEST
    ]
    if in_app:
        batch_begin()
        try:
            report.merge(notifications_deliver_in_app(ids=in_app, now=now))
        except DatabaseError:
            logger.exception("a batch of %s in-app notifications failed: one by one", len(in_app))
            for notification_id in in_app:
                report.add(notification_deliver_one(notification_id=notification_id, now=now))
    batched = set(in_app)
    for notification_id, _channel, _kind in due:
        if notification_id not in batched:
            # Its own transaction: a batch of one (ADR 0002, 0030).
            batch_begin()
            report.add(notification_deliver_one(notification_id=notification_id, now=now))
    return report
