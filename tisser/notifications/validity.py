"""Whether a planned message should still go out when it falls due. Planning happens days
ahead; things move, get cancelled or done in between, so every message is checked again at
delivery, inside the transaction that sends it: first the rules of the outbox, then those its
kind registered (`kinds`; a meeting reminder is dropped once its meeting moved, for instance)."""

from datetime import datetime

from tisser.notifications.kinds import cancel_reason_for
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import preference_for


def cancel_reason(notification: Notification, *, now: datetime) -> str:
    """Why `notification` must be cancelled instead of sent ("" when it must be sent)."""
    if notification.done_at is not None:
        return "done"
    recipient = notification.recipient
    if not recipient.is_active:
        return "recipient deactivated"
    if notification.channel == Channel.EMAIL and not preference_for(recipient).email_reminders:
        return "e-mail reminders turned off"
    return cancel_reason_for(notification, now=now)
