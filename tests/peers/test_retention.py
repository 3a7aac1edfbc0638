"""Ended peer groups go, with what members wrote and their meetings, once
TISSER_PEER_GROUP_RETENTION_MONTHS have passed since their end; nothing else goes."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.meetings.models import MeetingSeries
from tisser.peers import services
from tisser.peers.models import Commitment, PeerGroup, PeerGroupMember, PeerProfile
from tisser.peers.retention import peers_retention_apply
from tisser.peers.tasks import peers_retention_apply_task

pytestmark = pytest.mark.django_db


def _group(organisation, name):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    group = peer_group(organisation, users, name=name)
    services.commitment_add(actor=users[0], group=group, text="Appeler deux recruteurs")
    return group, users


def test_an_ended_group_goes_after_the_period_with_its_content_and_meetings(organisation, settings):
    settings.TISSER_PEER_GROUP_RETENTION_MONTHS = 12
    coordinator = member(Role.COORDINATOR, organisation)
    ended, users = _group(organisation, "Les Anciens")
    active, _others = _group(organisation, "Les Actifs")
    ended = services.peer_group_end(actor=coordinator, group=ended)
    series_id = ended.series_id

    with freeze_time(ended.ended_at + timedelta(days=364)):
        assert peers_retention_apply().groups == 0

    with freeze_time(ended.ended_at + timedelta(days=366)):
        assert peers_retention_apply(dry_run=True).groups == 1
        assert PeerGroup.objects.filter(pk=ended.pk).exists()
        assert peers_retention_apply().groups == 1

    assert not PeerGroup.objects.filter(pk=ended.pk).exists()
    assert not PeerGroupMember.objects.filter(group_id=ended.pk).exists()
    assert not Commitment.objects.filter(group_id=ended.pk).exists()
    assert not MeetingSeries.objects.filter(pk=series_id).exists()
    # What stays: the active group and its commitments, everyone's own preferences.
    assert PeerGroup.objects.filter(pk=active.pk).exists()
    assert Commitment.objects.filter(group=active).count() == 1
    assert PeerProfile.objects.filter(user__in=users).count() == 3
    event = AuditEvent.objects.get(action="peers.retention_delete")
    assert event.data["deleted"]["peers.Commitment"] == 1
    assert "recruteurs" not in str(event.data)


def test_a_proposed_or_active_group_is_never_deleted(organisation, settings):
    settings.TISSER_PEER_GROUP_RETENTION_MONTHS = 1
    _group(organisation, "Les Actifs")
    with freeze_time("2100-01-01"):
        assert peers_retention_apply_task.call()["groups"] == 0
    assert PeerGroup.objects.count() == 1
