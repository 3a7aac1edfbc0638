"""Writes on meetings (series, occurrences, agendas, write-ups, attendance, calendar feeds)
and the permission rules they apply. Import from here: `from tisser.meetings import services`.
"""

from tisser.meetings.services.access import (
    can_organise,
    is_organiser,
    is_participant,
    require_organiser,
)
from tisser.meetings.services.agenda import agenda_item_add, agenda_item_delete, agenda_item_move
from tisser.meetings.services.attendance import (
    attendance_confirm,
    attendance_organiser_sign,
    attendance_record,
)
from tisser.meetings.services.clashes import (
    clash_message,
    first_clash,
    is_clash,
    require_free,
    schedule_lock,
)
from tisser.meetings.services.feeds import (
    calendar_feed_regenerate,
    calendar_feed_revoke,
    calendar_feed_user,
)
from tisser.meetings.services.participants import (
    series_member_enter,
    series_organiser_hand_over,
    series_participant_add,
    series_participant_remove,
)
from tisser.meetings.services.series import (
    GENERIC_KINDS,
    bilan_session_series_create,
    horizon_days,
    occurrence_cancel,
    occurrence_move,
    peer_group_series_create,
    series_create,
    series_end,
    series_occurrences_extend,
    series_plan_ahead,
)
from tisser.meetings.services.writeup import (
    action_complete,
    action_create,
    action_reopen,
    occurrence_notes_save,
    occurrence_open_actions,
)

__all__ = [
    "GENERIC_KINDS",
    "action_complete",
    "action_create",
    "action_reopen",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_move",
    "attendance_confirm",
    "attendance_organiser_sign",
    "attendance_record",
    "bilan_session_series_create",
    "calendar_feed_regenerate",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "can_organise",
    "clash_message",
    "first_clash",
    "horizon_days",
    "is_clash",
    "is_organiser",
    "is_participant",
    "occurrence_cancel",
    "occurrence_move",
    "occurrence_notes_save",
    "occurrence_open_actions",
    "peer_group_series_create",
    "require_free",
    "require_organiser",
    "schedule_lock",
    "series_create",
    "series_end",
    "series_member_enter",
    "series_occurrences_extend",
    "series_organiser_hand_over",
    "series_participant_add",
    "series_participant_remove",
    "series_plan_ahead",
]
