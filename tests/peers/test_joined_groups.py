"""`joined_groups`, read in one join (ADR 0030), opens exactly the groups its first
definition did: the published groups among those `visible_to` and `member_groups` open, where
the person's membership is accepted."""

from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.peers.access import joined_groups, published_member_groups
from tisser.peers.models import PeerGroup, PeerGroupMember


def _as_first_written(user):
    return published_member_groups(user).filter(
        members__user=user, members__status=PeerGroupMember.Status.ACCEPTED
    )


def test_joined_groups_are_those_of_the_first_definition(organisation):
    people = [member(Role.BENEFICIARY, organisation) for _ in range(4)]
    coordinator = member(Role.COORDINATOR, organisation)
    active = peer_group(organisation, people[:3], name="Actif", coordinator=coordinator)
    ended = peer_group(organisation, people[1:4], name="Fini", coordinator=coordinator)
    ended.status = PeerGroup.Status.ENDED
    ended.save(update_fields=["status"])
    proposed = peer_group(organisation, people[:2], name="Proposé", active=False)
    PeerGroupMember.objects.filter(group=active, user=people[1]).update(
        status=PeerGroupMember.Status.LEFT
    )
    PeerGroupMember.objects.filter(group=ended, user=people[2]).update(
        status=PeerGroupMember.Status.PROPOSED
    )

    for user in [*people, coordinator]:
        assert set(joined_groups(user)) == set(_as_first_written(user)), user
        assert len(joined_groups(user)) == len(set(joined_groups(user)))
    assert set(joined_groups(people[0])) == {active}
    assert proposed not in joined_groups(people[1])
