"""The role relations services check before they act, stated once (ADR 0008).

The rules themselves are `MembershipQuerySet.coordinating` and
`MembershipQuerySet.beneficiaries_of`; this module turns them into the checks a service
makes. Objects a view or the API fetches come through each app's own `access` module."""

from django.core.exceptions import PermissionDenied

from tisser.accounts.models import Membership, Organisation, User


def is_coordinator_of(user: User, organisation: Organisation | int) -> bool:
    """True when `user` is an active coordinator of `organisation` (or of its id)."""
    return Membership.objects.is_coordinator_of(user, organisation)


def require_coordinator_of(user: User, organisation: Organisation | int) -> None:
    """PermissionDenied unless `user` is an active coordinator of `organisation`: a
    coordinator of another organisation, an inactive membership, another role, a superuser
    without the membership — all refused."""
    if not is_coordinator_of(user, organisation):
        raise PermissionDenied


def is_consultant_of(user: User, beneficiary: User, organisation: Organisation | int) -> bool:
    """True when `beneficiary`'s active membership of `organisation` names `user` as the
    consultant who invited them."""
    organisation_id = getattr(organisation, "pk", organisation)
    return (
        Membership.objects.beneficiaries_of(user)
        .filter(user=beneficiary, organisation_id=organisation_id)
        .exists()
    )
