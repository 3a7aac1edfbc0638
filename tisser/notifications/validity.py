"""Whether a planned message should still go out when it falls due. Planning happens days
ahead; meetings move, get cancelled or written up in between, so every message is checked
again at delivery, inside the transaction that sends it."""

from datetime import datetime

from tisser.meetings.models import Occurrence, SeriesParticipant
from tisser.notifications.models import REMINDER_KINDS, Channel, Notification, NotificationKind
from tisser.notifications.services import preference_for


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
        notification.kind in (NotificationKind.AGENDA_REMINDER, NotificationKind.MEETING_REMINDER)
        and occurrence.start <= now
    ):
        return "occurrence already started"
    if notification.kind == NotificationKind.NOTES_REMINDER and notes_written(occurrence):
        return "notes already written"
    if not SeriesParticipant.objects.filter(
        series_id=occurrence.series_id, user_id=notification.recipient_id
    ).exists():
        return "recipient no longer takes part"
    return ""


def cancel_reason(notification: Notification, *, now: datetime) -> str:
    """Why `notification` must be cancelled instead of sent ("" when it must be sent)."""
    recipient = notification.recipient
    if not recipient.is_active:
        return "recipient deactivated"
    if notification.channel == Channel.EMAIL and not preference_for(recipient).email_reminders:
        return "e-mail reminders turned off"
    if notification.kind in REMINDER_KINDS:
        return reminder_cancel_reason(notification, now=now)
    return ""
