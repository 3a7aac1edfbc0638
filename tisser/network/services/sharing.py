"""Whether the person shares the details of their network with their consultant."""

from django.db import transaction

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.network.models import NetworkSharing
from tisser.network.services.contacts import beneficiary_membership


def network_sharing_set(*, owner: User, with_consultant: bool) -> NetworkSharing:
    """Share (or stop sharing) names, notes and enquête details with the consultant who
    invited `owner`. Counts and progress are always visible to them."""
    membership = beneficiary_membership(owner)
    with transaction.atomic():
        sharing, _created = NetworkSharing.objects.update_or_create(
            owner=owner, defaults={"with_consultant": with_consultant}
        )
        audit_record(
            actor=owner,
            action="network.sharing",
            target=sharing,
            organisation=membership.organisation,
            data={"with_consultant": with_consultant},
        )
    return sharing


def network_is_shared(owner: User) -> bool:
    return NetworkSharing.objects.filter(owner=owner, with_consultant=True).exists()
