"""The notifications part of a person's archive ("Mes données"): the messages sent or
planned for them on every channel, and their preferences. Delivery bookkeeping (attempts,
the last technical error) stays out: it says nothing about the person."""

from tisser.core.personal_data import register_codes, register_exporter
from tisser.notifications.kinds import notice_kinds
from tisser.notifications.models import Notification, NotificationPreference


def _kinds() -> dict[str, str]:
    return {kind.value: str(kind.label) for kind in notice_kinds()}


# The kinds are a registry of their own, not choices of the field: the archive's lexique
# still says what each means.
register_codes("notifications.Notification", "kind", _kinds)


@register_exporter(
    "notifications",
    covers=("notifications.Notification", "notifications.NotificationPreference"),
)
def notifications_personal_data(*, user) -> dict:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "messages": list(
            Notification.objects.filter(recipient=user)
            .order_by("pk")
            .values(
                "channel",
                "kind",
                "subject",
                "body",
                "url",
                "scheduled_for",
                "status",
                "sent_at",
                "read_at",
                "done_at",
                "created_at",
            )
        ),
        "preferences": None
        if preference is None
        else {
            "email_reminders": preference.email_reminders,
            "daily_digest": preference.daily_digest,
        },
    }


# What goes when the person leaves (ADR 0019).
from tisser.notifications import departure  # noqa: E402, F401
