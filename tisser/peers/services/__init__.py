"""Writes on peers. Import from here: `from tisser.peers import services`."""

from tisser.core.errors import StaleVersion
from tisser.peers.services.charter import (
    CharterData,
    charter_agree,
    charter_defaults,
    charter_save,
)
from tisser.peers.services.commitments import (
    commitment_add,
    commitment_check_in,
    commitment_update,
)
from tisser.peers.services.groups import (
    common_availability,
    first_meeting,
    peer_group_activate,
)
from tisser.peers.services.membership import (
    PeerPreferencesData,
    peer_member_accept,
    peer_member_leave,
    peer_preferences_save,
)
from tisser.peers.services.preparation import (
    CheckInData,
    checkin_reminders_plan,
    meeting_checkin,
    occurrence_is_preparable,
)
from tisser.peers.services.reciprocity import (
    contribution_record,
)
from tisser.peers.services.repairs import (
    arrivals_compute,
    meetings_to_cancel,
    peer_arrival_place,
    peer_group_end,
    peer_group_repair,
    repairs_compute,
)

__all__ = [
    "CharterData",
    "CheckInData",
    "PeerPreferencesData",
    "StaleVersion",
    "arrivals_compute",
    "charter_agree",
    "charter_defaults",
    "charter_save",
    "checkin_reminders_plan",
    "commitment_add",
    "commitment_check_in",
    "commitment_update",
    "common_availability",
    "contribution_record",
    "first_meeting",
    "meeting_checkin",
    "meetings_to_cancel",
    "occurrence_is_preparable",
    "peer_arrival_place",
    "peer_group_activate",
    "peer_group_end",
    "peer_group_repair",
    "peer_member_accept",
    "peer_member_leave",
    "peer_preferences_save",
    "repairs_compute",
]
