"""Who facilitates each meeting of a group: the accepted members take turns in their
`position` order, one per scheduled meeting of the group's series in date order, skipping
nobody (a cancelled meeting takes no turn). When the charter says the group keeps one
facilitator, the first member in that order facilitates every meeting."""

from tisser.meetings.models import Occurrence
from tisser.peers.models import Charter, PeerGroup, PeerGroupMember


def rotation_members(group: PeerGroup) -> list[PeerGroupMember]:
    """The accepted members, in rotation order."""
    return list(
        PeerGroupMember.objects.filter(group=group, status=PeerGroupMember.Status.ACCEPTED)
        .select_related("user")
        .order_by("position", "pk")
    )


def _rotating(group: PeerGroup) -> bool:
    charter = Charter.objects.filter(group=group).only("rotating_facilitator").first()
    return charter is None or charter.rotating_facilitator


def facilitators(group: PeerGroup) -> dict[int, PeerGroupMember]:
    """Occurrence id → its facilitator, for every scheduled meeting of the group (past ones
    included, so that the turns stay the same from one day to the next). Empty when the
    group has no meetings or no accepted member. Three queries."""
    members = rotation_members(group)
    if group.series_id is None or not members:
        return {}
    occurrence_ids = (
        Occurrence.objects.filter(series_id=group.series_id, status=Occurrence.Status.SCHEDULED)
        .order_by("start", "pk")
        .values_list("pk", flat=True)
    )
    rotating = _rotating(group)
    return {
        occurrence_id: members[index % len(members) if rotating else 0]
        for index, occurrence_id in enumerate(occurrence_ids)
    }


def facilitator_for(group: PeerGroup, occurrence: Occurrence) -> PeerGroupMember | None:
    return facilitators(group).get(occurrence.pk)
