"""Writes on peer groups. Import from here: `from tisser.peers import services`."""

from tisser.mentoring.services.space import StaleVersion
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
from tisser.peers.services.reciprocity import contribution_record

__all__ = [
    "StaleVersion",
    "commitment_add",
    "commitment_check_in",
    "commitment_update",
    "common_availability",
    "contribution_record",
    "first_meeting",
    "peer_group_activate",
]
