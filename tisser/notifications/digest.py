"""The daily digest: a person who chose it receives one e-mail a day instead of one per reminder.

Which reminders it gathers is declared by the apps (`kinds.register(..., in_digest=True)`: the
meetings' agenda, meeting and notes reminders). The digest of day D leaves at
`TISSER_DIGEST_HOUR` (7 h by default, local time) and gathers the
reminders due from then until the same hour the next day. Its text is written when it leaves,
from the in-app reminders of that window that are still valid; with none left, it is cancelled.
A reminder planned after its digest already left gets its own e-mail, so nothing is lost."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from tisser.accounts.models import User
from tisser.notifications.content import Content, DigestItem, absolute_url, digest_content
from tisser.notifications.kinds import cancel_reason_for, digest_kinds, rewrite_for
from tisser.notifications.models import Channel, Notification
from tisser.notifications.notice_kinds import OutboxNotice
from tisser.notifications.services import notification_create


def digest_hour() -> int:
    return getattr(settings, "TISSER_DIGEST_HOUR", 7)


def digest_day_for(moment: datetime) -> date:
    """The day whose digest covers a reminder due at `moment`."""
    return (timezone.localtime(moment) - timedelta(hours=digest_hour())).date()


def digest_window(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time(digest_hour())))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(digest_hour())))
    return start, end


def digest_key(user: User, day: date) -> str:
    return f"digest:{user.pk}:{day.isoformat()}"


def digest_day_of(notification: Notification) -> date:
    return date.fromisoformat(notification.idempotency_key.rsplit(":", 1)[1])


def digest_include(*, user: User, scheduled_for: datetime) -> bool:
    """Make sure the digest covering a reminder due at `scheduled_for` is planned.

    Returns False when that digest has already left (or was given up): the caller then sends
    the reminder on its own. The digest row is locked so that a digest being sent right now is
    waited for rather than missed."""
    day = digest_day_for(scheduled_for)
    start, _end = digest_window(day)
    digest = notification_create(
        recipient=user,
        channel=Channel.EMAIL,
        kind=OutboxNotice.DAILY_DIGEST,
        idempotency_key=digest_key(user, day),
        # Written when the digest leaves, from the reminders of its window.
        subject="",
        body="",
        scheduled_for=start,
    )
    digest = Notification.objects.select_for_update().get(pk=digest.pk)
    return digest.status == Notification.Status.PENDING


def digest_planned(*, user: User, scheduled_for: datetime) -> Notification:
    """The digest covering a reminder due at `scheduled_for`, unsaved: the batched planners
    insert it (`services.notifications_insert`, a no-op when it exists) then ask
    `digests_pending` whether it is still to leave, as `digest_include` does for one."""
    day = digest_day_for(scheduled_for)
    start, _end = digest_window(day)
    return Notification(
        recipient=user,
        channel=Channel.EMAIL,
        kind=OutboxNotice.DAILY_DIGEST,
        idempotency_key=digest_key(user, day),
        subject="",
        body="",
        scheduled_for=start,
    )


def digests_pending(keys) -> set[str]:
    """Of the digests named by `keys`, those still to leave. Locks them, in key order (so that
    concurrent planners cannot deadlock): a digest being sent right now is waited for rather
    than missed. Must run inside the transaction that writes the reminders they gather."""
    return set(
        Notification.objects.select_for_update()
        .filter(idempotency_key__in=list(keys), status=Notification.Status.PENDING)
        .order_by("idempotency_key")
        .values_list("idempotency_key", flat=True)
    )


def digest_render(notification: Notification, *, now: datetime) -> Content | None:
    """The text of a digest when it leaves; None when none of its reminders is still valid."""
    day = digest_day_of(notification)
    start, end = digest_window(day)
    reminders = (
        Notification.objects.filter(
            recipient_id=notification.recipient_id,
            channel=Channel.IN_APP,
            kind__in=digest_kinds(),
            scheduled_for__gte=start,
            scheduled_for__lt=end,
        )
        .exclude(status=Notification.Status.CANCELLED)
        .select_related("recipient", "occurrence__series")
        .order_by("scheduled_for", "id")
    )
    items = []
    for reminder in reminders:
        if cancel_reason_for(reminder, now=now):
            continue
        # Written anew for the e-mail; a reminder with nothing to rewrite it from is left out.
        content = rewrite_for(reminder, channel=Channel.EMAIL)
        if content is None:
            continue
        items.append(DigestItem(subject=content.subject, link=absolute_url(content.url)))
    if not items:
        return None
    return digest_content(recipient=notification.recipient, day=day, items=items)
