"""Writes on the network. Import from here: `from tisser.network import services`."""

from tisser.network.services.contacts import (
    CONTACT_FIELDS,
    ContactConflict,
    ContactData,
    beneficiary_membership,
    contact_clean,
    contact_create,
    contact_delete,
    contact_update,
)
from tisser.network.services.snapshots import (
    network_graph_read,
    network_snapshot_take,
    network_snapshots_refresh,
)

__all__ = [
    "CONTACT_FIELDS",
    "ContactConflict",
    "ContactData",
    "beneficiary_membership",
    "contact_clean",
    "contact_create",
    "contact_delete",
    "contact_update",
    "network_graph_read",
    "network_snapshot_take",
    "network_snapshots_refresh",
]
