"""A person who leaves (ADR 0019): their messages and their preferences go."""

from django.utils.translation import gettext_lazy as _

from tisser.core.departure_counts import Going, add_deleted
from tisser.core.personal_data import register_departure, register_departure_goings
from tisser.notifications.models import Notification, NotificationPreference


@register_departure(
    "notifications",
    label=_("Les messages reçus et les préférences de notification"),
    covers=("notifications.Notification", "notifications.NotificationPreference"),
)
def notifications_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    add_deleted(counts, Notification.objects.filter(recipient=user).delete())
    add_deleted(counts, NotificationPreference.objects.filter(user=user).delete())
    return counts


@register_departure_goings("notifications")
def notifications_goings(*, user) -> list[Going]:
    return [
        Going(Notification.objects.filter(recipient=user)),
        Going(NotificationPreference.objects.filter(user=user)),
    ]
