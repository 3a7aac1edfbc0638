"""Writes on bilans. Import from here: `from tisser.bilans import services`."""

from tisser.bilans.services.followup import (
    FollowUpNotesConflict,
    followup_answer,
    followup_notes_save,
    followup_propose,
)
from tisser.bilans.services.hours import (
    MAX_HOURS,
    HoursSummary,
    bilan_hours,
    bilan_session_plan,
    hours_text,
    min_hours,
)
from tisser.bilans.services.lifecycle import (
    bilan_consent_give,
    bilan_open,
    bilan_phase_advance,
    can_open_for,
)
from tisser.bilans.services.satisfaction import (
    SatisfactionStep,
    satisfaction_opens_at,
    satisfaction_respond,
    satisfaction_steps,
)
from tisser.bilans.services.sessions import (
    SessionNoteConflict,
    bilan_entretiens,
    session_note_save,
)

__all__ = [
    "MAX_HOURS",
    "FollowUpNotesConflict",
    "HoursSummary",
    "SatisfactionStep",
    "SessionNoteConflict",
    "bilan_consent_give",
    "bilan_entretiens",
    "bilan_hours",
    "bilan_open",
    "bilan_phase_advance",
    "bilan_session_plan",
    "can_open_for",
    "followup_answer",
    "followup_notes_save",
    "followup_propose",
    "hours_text",
    "min_hours",
    "satisfaction_opens_at",
    "satisfaction_respond",
    "satisfaction_steps",
    "session_note_save",
]
