"""How pages fetch a peer group, a commitment, a group meeting or a formation (ADR 0008).

Every helper starts from `visible_to` and ends in `get_object_or_404`. A group page is for
its current members only: the coordination, which sees groups as management data through
`visible_to`, and anyone who left get a 404 here, as does someone else's object."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tisser.meetings.models import Occurrence
from tisser.peers.models import Commitment, GroupFormation, PeerGroup, PeerGroupMember
from tisser.peers.services.preparation import occurrence_is_preparable


def member_groups(user):
    """The groups `user` is a current member of (proposed or accepted), whatever their
    status — the coordination's view of a group is not membership."""
    return PeerGroup.objects.visible_to(user).of_member(user)


def published_member_groups(user):
    """`member_groups` once published (active or ended): a group still proposed in a
    formation under review has no page of its own yet."""
    return member_groups(user).exclude(status=PeerGroup.Status.PROPOSED)


def access_group(user, group_id: int) -> PeerGroup:
    """A published group `user` is a current member of: its page, its meetings."""
    return get_object_or_404(published_member_groups(user).select_related("series"), pk=group_id)


def joined_groups(user):
    """The published groups `user` has joined (accepted, not left).

    An accepted membership is one of the current memberships that `visible_to` and
    `member_groups` open: that one condition gives the same groups as narrowing
    `published_member_groups`, with one join instead of three and no DISTINCT (a person has
    one current membership per group, `peers_one_current_membership_per_group`). Mon réseau
    reads it on every visit (ADR 0030)."""
    if not user.is_authenticated:
        return PeerGroup.objects.none()
    return PeerGroup.objects.exclude(status=PeerGroup.Status.PROPOSED).filter(
        members__user=user, members__status=PeerGroupMember.Status.ACCEPTED
    )


def access_group_life(user, group_id: int) -> PeerGroup:
    """A published group `user` has joined, for its commitments and help pages: what
    members commit to is theirs to share once they are in the group. A person merely
    proposed (she has not joined yet), or a group still in the coordination's review, is
    a 404 (issue 15: these pages used to let proposed members in)."""
    return get_object_or_404(joined_groups(user), pk=group_id)


def access_own_commitment(user, commitment_id: int) -> Commitment:
    """A commitment `user` made in a group they still belong to: only its author edits it
    and checks in."""
    return get_object_or_404(
        Commitment.objects.filter(group__in=member_groups(user), user=user).select_related("group"),
        pk=commitment_id,
    )


def access_preparable_occurrence(user, group: PeerGroup, occurrence_id: int) -> Occurrence:
    """A meeting of `group`'s series (fetched with `access_group`), not cancelled, still to
    come; 404 otherwise."""
    occurrence = get_object_or_404(
        Occurrence.objects.visible_to(user).filter(series_id=group.series_id),
        pk=occurrence_id,
    )
    if not occurrence_is_preparable(group, occurrence):
        raise Http404
    return occurrence


def access_formation(user, formation_id: int) -> GroupFormation:
    """A formation of an organisation `user` coordinates (`GroupFormation.objects.visible_to`)."""
    return get_object_or_404(
        GroupFormation.objects.visible_to(user).select_related("organisation", "created_by"),
        pk=formation_id,
    )
