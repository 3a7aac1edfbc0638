"""Writes on peer groups. Import from here: `from tisser.peers import services`."""

from tisser.peers.services.groups import (
    common_availability,
    first_meeting,
    peer_group_activate,
)

__all__ = ["common_availability", "first_meeting", "peer_group_activate"]
