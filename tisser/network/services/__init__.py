"""Writes on the network. Import from here: `from tisser.network import services`."""

from tisser.network.services.ceiling import (
    contact_ceiling,
    contact_ceiling_set,
    contact_room_check,
)
from tisser.network.services.contacts import (
    CONTACT_FIELDS,
    ContactData,
    beneficiary_membership,
    contact_clean,
    contact_create,
    contact_delete,
    contact_update,
)
from tisser.network.services.duplicates import (
    DuplicatePair,
    contact_duplicate_count,
    contact_duplicates,
    contact_likely_duplicates,
    contact_merge,
)
from tisser.network.services.pipeline import (
    NextAction,
    Overdue,
    awaiting_thanks,
    interview_advance,
    interview_next_action,
    interview_next_stages,
    interview_outcome_set,
    interview_overdue,
    interview_stage_undo,
    interview_start,
    stages_after,
)
from tisser.network.services.sharing import network_is_shared, network_sharing_set
from tisser.network.services.snapshots import (
    network_graph_read,
    network_snapshot_take,
    network_snapshots_refresh,
)

__all__ = [
    "CONTACT_FIELDS",
    "ContactData",
    "DuplicatePair",
    "NextAction",
    "Overdue",
    "awaiting_thanks",
    "beneficiary_membership",
    "contact_ceiling",
    "contact_ceiling_set",
    "contact_clean",
    "contact_create",
    "contact_delete",
    "contact_duplicate_count",
    "contact_duplicates",
    "contact_likely_duplicates",
    "contact_merge",
    "contact_room_check",
    "contact_update",
    "interview_advance",
    "interview_next_action",
    "interview_next_stages",
    "interview_outcome_set",
    "interview_overdue",
    "interview_stage_undo",
    "interview_start",
    "network_graph_read",
    "network_is_shared",
    "network_sharing_set",
    "network_snapshot_take",
    "network_snapshots_refresh",
    "stages_after",
]
