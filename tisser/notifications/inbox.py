"""The in-app notification centre: what a person reads there, and how they want reminders.

Delivery (the outbox worker, retries, reminders) lives elsewhere in this app; this module
only reads a person's delivered in-app notifications and records what they did with them."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils import timezone

from tisser.core.compiled import CompiledRead
from tisser.notifications.models import Channel, Notification, NotificationPreference


def inbox_for(user) -> QuerySet[Notification]:
    """The in-app notifications delivered to `user`, newest first. Built on `visible_to`, so
    nobody else's notification can come out of it."""
    return (
        Notification.objects.visible_to(user)
        .filter(channel=Channel.IN_APP, status=Notification.Status.SENT)
        .order_by("-scheduled_for", "-id")
    )


def _unread_query(user_id: int):
    user = get_user_model()(pk=user_id)
    return (
        Notification.objects.visible_to(user)
        .unread_in_app()
        .order_by()
        .values("recipient_id")
        .annotate(count=Count("id"))
        .values("count")
    )


# The header badge's count, on every page: compiled once per process (ADR 0030).
_UNREAD = CompiledRead(_unread_query, "user_id")


def unread_count(*, user) -> int:
    """How many delivered in-app notifications `user` has not read yet (one COUNT query)."""
    if not user.is_authenticated:
        return 0
    rows = _UNREAD.rows(user_id=user.pk)
    return rows[0]["count"] if rows else 0


def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark `notification` read. Only its recipient may (PermissionDenied otherwise).

    Idempotent: marking it again keeps the time it was first read, even when two tabs
    send the request at the same moment (the UPDATE only touches an unread row)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if updated:
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every delivered, unread in-app notification of `user` read; return how many."""
    return Notification.objects.visible_to(user).unread_in_app().update(read_at=timezone.now())


def preference_update(*, user, email_reminders: bool, daily_digest: bool) -> NotificationPreference:
    """Record how `user` wants to be reminded, creating their preferences on first use."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={"email_reminders": email_reminders, "daily_digest": daily_digest},
    )
    return preference
