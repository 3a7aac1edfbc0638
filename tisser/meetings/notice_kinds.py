"""The notices the meetings send: reminders planned from the calendar (registered with their
delivery hooks by `reminders`), changes of a meeting, and the nudges and alerts of the inactivity
detection (`inactivity`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tisser.notifications import kinds


class MeetingNotice(models.TextChoices):
    AGENDA_REMINDER = "agenda_reminder", _("Préparer l'ordre du jour")
    MEETING_REMINDER = "meeting_reminder", _("Rappel de rencontre")
    NOTES_REMINDER = "notes_reminder", _("Compléter le compte rendu")
    MEETING_CHANGED = "meeting_changed", _("Rencontre modifiée")
    MEETING_CANCELLED = "meeting_cancelled", _("Rencontre annulée")
    INACTIVITY_NUDGE = "inactivity_nudge", _("Relance bienveillante")
    INACTIVITY_ALERT = "inactivity_alert", _("Alerte d'inactivité")


# Reminders planned from the calendar: checked again and written anew when they leave, and
# gathered by the daily digest. `reminders` registers them with those hooks.
REMINDER_KINDS = (
    MeetingNotice.AGENDA_REMINDER,
    MeetingNotice.MEETING_REMINDER,
    MeetingNotice.NOTES_REMINDER,
)

kinds.register(kind for kind in MeetingNotice if kind not in REMINDER_KINDS)
