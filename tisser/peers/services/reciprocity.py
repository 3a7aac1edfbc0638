"""Help given and received between the members of a group (reciprocity). Either side records
it; nobody but the two people involved ever sees a contribution."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.peers.models import Contribution, HelpKind, PeerGroup, PeerGroupMember
from tisser.peers.services.commitments import group_touch, require_active_member


@transaction.atomic
def contribution_record(
    *,
    actor: User,
    group: PeerGroup,
    other: User,
    gave: bool,
    kind: HelpKind | str,
    description: str = "",
) -> Contribution:
    """`actor` helped `other` (`gave`) or was helped by them; both are current members of
    the active `group`."""
    group = PeerGroup.objects.select_for_update().get(pk=group.pk)
    require_active_member(actor, group)
    if other.pk == actor.pk:
        raise ValidationError({"other": _("Choisissez un autre membre du groupe.")})
    if not group.members.filter(user=other, status=PeerGroupMember.Status.ACCEPTED).exists():
        raise PermissionDenied
    try:
        kind = HelpKind(kind)
    except ValueError:
        raise ValidationError({"kind": _("Choisissez le type d'aide.")}) from None
    contribution = Contribution.objects.create(
        group=group,
        giver=actor if gave else other,
        receiver=other if gave else actor,
        kind=kind,
        description=description.strip()[:300],
        recorded_by=actor,
    )
    group_touch(group, at=contribution.created_at)
    audit_record(
        actor=actor,
        action="peers.contribution_record",
        target=contribution,
        organisation=group.organisation,
        data={"kind": kind, "gave": gave},
    )
    return contribution
