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

__all__ = [
    "CONTACT_FIELDS",
    "ContactConflict",
    "ContactData",
    "beneficiary_membership",
    "contact_clean",
    "contact_create",
    "contact_delete",
    "contact_update",
]
