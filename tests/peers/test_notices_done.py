""" "Groupe de pairs à réajuster" is done, for every coordinator, once the group is readjusted
or ended (ADR 0024)."""

import pytest

from tests.factories import member
from tests.peers.test_repair_services import group_of
from tisser.core.enums import Role
from tisser.notifications.models import Notification
from tisser.peers import services
from tisser.peers.notice_kinds import PeerNotice


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


@pytest.mark.parametrize("how", ["repair", "end"])
def test_a_group_readjusted_or_ended_needs_no_more_readjusting(organisation, coordinator, how):
    small = group_of(organisation, coordinator, 3, name="Les Passerelles")
    group_of(organisation, coordinator, 5, name="Les Tisserands")
    services.peer_member_leave(actor=small.members.first().user, group=small)
    to_readjust = Notification.objects.filter(kind=PeerNotice.PEER_REPAIR_PROPOSED)
    assert to_readjust.count() == 2 and not to_readjust.filter(done_at__isnull=False).exists()

    if how == "repair":
        [plan] = services.repairs_compute(organisation)
        services.peer_group_repair(actor=coordinator, group=small, expected=plan.signature)
    else:
        services.peer_group_end(actor=coordinator, group=small)

    assert not to_readjust.filter(done_at__isnull=True).exists()
