"""The role relations, as services and pages use them (ADR 0008).

The rules themselves are `MembershipQuerySet.coordinating` ("coordinator of") and
`MembershipQuerySet.beneficiaries_of` ("their consultant"); this module turns them into the
check a service makes and the fetch a consultant's page makes. Other objects a view or the
API fetches come through their own app's `access` module."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tisser.accounts.models import Membership, Organisation, User


def require_coordinator_of(user: User, organisation: Organisation | int) -> None:
    """PermissionDenied unless `user` is an active coordinator of `organisation`: a
    coordinator of another organisation, an inactive membership, another role, a superuser
    without the membership — all refused."""
    if not Membership.objects.is_coordinator_of(user, organisation):
        raise PermissionDenied


def access_invited_beneficiary(
    consultant: User, user_id: int, *, organisation: Organisation | None = None
) -> Membership:
    """The active beneficiary membership of the person `user_id` whose consultant of record
    is `consultant` (`Membership.objects.beneficiaries_of`, ADR 0021; the inviting
    consultant unless a coordinator named another), in `organisation` if given, else
    the first one: the pages a consultant opens about their beneficiary. A colleague's
    beneficiary, a former one or anyone else answers 404."""
    memberships = (
        Membership.objects.visible_to(consultant)
        .beneficiaries_of(consultant)
        .filter(user_id=user_id)
    )
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    membership = memberships.select_related("user", "organisation").order_by("id").first()
    if membership is None:
        raise Http404
    return membership
