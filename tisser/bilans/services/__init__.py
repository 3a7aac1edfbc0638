"""Writes on bilans. Import from here: `from tisser.bilans import services`."""

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

__all__ = [
    "MAX_HOURS",
    "HoursSummary",
    "bilan_consent_give",
    "bilan_hours",
    "bilan_open",
    "bilan_phase_advance",
    "bilan_session_plan",
    "can_open_for",
    "hours_text",
    "min_hours",
]
