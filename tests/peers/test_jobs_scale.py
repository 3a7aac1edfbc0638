"""The peer groups' daily jobs work for one organisation in a number of queries that does not
grow with its groups (issue #16): 3 or 30 (12 on SQLite), the same count; the other
organisations are left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tests.job_scale import GROWN, queries
from tisser.core.enums import Role
from tisser.notifications.models import Notification
from tisser.peers.models import PeerGroup, PeerGroupMember
from tisser.peers.tasks import (
    peers_meetings_prepare_remind,
    peers_nudges_plan,
    peers_retention_apply_task,
)

pytestmark = pytest.mark.django_db


def organisation_of(count: int):
    """An organisation with a coordinator and `count` active groups of three members, created
    sixty days ago and silent since."""
    organisation = OrganisationFactory()
    member(Role.COORDINATOR, organisation)
    for number in range(count):
        group = PeerGroup.objects.create(
            organisation=organisation, name=f"Groupe {number}", status=PeerGroup.Status.ACTIVE
        )
        for position in range(3):
            PeerGroupMember.objects.create(
                group=group,
                user=member(Role.BENEFICIARY, organisation),
                position=position,
                status=PeerGroupMember.Status.ACCEPTED,
            )
    PeerGroup.objects.update(created_at=timezone.now() - timedelta(days=60))
    return organisation


def test_the_nudges_take_as_many_queries_for_3_groups_as_for_more():
    small, grown = organisation_of(3), organisation_of(GROWN)

    assert queries(peers_nudges_plan, small) == queries(peers_nudges_plan, grown)
    # the coordinator told of each silent group
    assert Notification.objects.filter(kind="peer_group_fading").count() == 3 + GROWN
    assert queries(peers_nudges_plan, small) == queries(peers_nudges_plan, grown)


def test_the_nudges_of_one_organisation_leave_the_others_alone():
    small, _other = organisation_of(3), organisation_of(2)

    assert peers_nudges_plan.call(organisation_id=small.pk)["fading"] == 3
    assert peers_nudges_plan.call()["fading"] == 2


def test_the_reminders_and_retention_read_as_many_queries_whatever_the_groups():
    # no meeting planned, no group ended: nothing to remind or delete
    small, grown = organisation_of(3), organisation_of(GROWN)

    for job in (peers_meetings_prepare_remind, peers_retention_apply_task):
        assert queries(job, small) == queries(job, grown)
    assert peers_meetings_prepare_remind.call() == {"reminded": 0}
    assert peers_retention_apply_task.call() == {"groups": 0, "deleted": {}}
