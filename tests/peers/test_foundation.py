"""A published group: ACTIVE, its members in a twice-monthly series at their common slot."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tisser.core.enums import Role
from tisser.meetings.models import MeetingKind, SeriesParticipant
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers import services
from tisser.peers.models import PeerGroup


def test_activating_a_group_plans_its_meetings_at_the_common_slot(organisation):
    thursday_morning = availability_bit(3, DaySlot.MORNING)
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    for user in users:
        peer_profile(organisation, user=user, availability=thursday_morning)
    coordinator = member(Role.COORDINATOR, organisation)

    group = peer_group(organisation, users, coordinator=coordinator)

    assert group.status == PeerGroup.Status.ACTIVE
    series = group.series
    assert series.kind == MeetingKind.PEER_GROUP and "INTERVAL=2" in series.rrule
    start = timezone.localtime(series.first_start)
    assert (start.weekday(), start.hour) == (3, 10)
    assert (start.date() - timezone.localdate()).days >= 7
    # Every member takes part; the first organises (the coordinator is not in: issue 13).
    assert set(
        SeriesParticipant.objects.filter(series=series).values_list("user_id", flat=True)
    ) == {user.pk for user in users}
    assert (
        series.participants.get(role=SeriesParticipant.ParticipantRole.ORGANISER).user == users[0]
    )


def test_a_group_is_activated_once(organisation):
    group = peer_group(organisation, [member(Role.BENEFICIARY, organisation) for _ in range(3)])

    with pytest.raises(ValidationError):
        services.peer_group_activate(group=group, by=member(Role.COORDINATOR, organisation))


def test_members_see_their_group_others_do_not(organisation):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    group = peer_group(organisation, users)
    outsider = member(Role.BENEFICIARY, organisation)

    assert list(PeerGroup.objects.visible_to(users[0])) == [group]
    assert not PeerGroup.objects.visible_to(outsider).exists()
    assert list(PeerGroup.objects.of_member(users[1])) == [group]
