"""Peer preferences and groups for tests, built straight as rows (the services that write
them are tested on their own)."""

from django.test import TestCase

from tests.factories import member
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers import services
from tisser.peers.models import (
    PeerGroup,
    PeerGroupMember,
    PeerMode,
    PeerProfile,
    ProjectType,
    Rhythm,
    Stage,
)

TUESDAY_EVENING = availability_bit(1, DaySlot.EVENING)


def peer_profile(organisation, *, user=None, **fields) -> PeerProfile:
    user = user or member(Role.BENEFICIARY, organisation)
    defaults = {
        "availability": TUESDAY_EVENING,
        "stage": Stage.PROJECT_DEFINED,
        "project_type": ProjectType.RECONVERSION,
        "rhythm": Rhythm.WEEKLY,
        "mode": PeerMode.VIDEO,
        "languages": ["fr"],
        "introduction": "Ancienne comptable, je me forme au métier de libraire.",
    }
    defaults.update(fields)
    return PeerProfile.objects.create(organisation=organisation, user=user, **defaults)


def peer_group(organisation, users, *, name="Les Tisserands", active=True, coordinator=None):
    """A group of `users` (each gets preferences if they have none), all members accepted;
    published with its meetings when `active` (by `coordinator`, a new one by default)."""
    group = PeerGroup.objects.create(organisation=organisation, name=name)
    for position, user in enumerate(users):
        if not PeerProfile.objects.filter(user=user, organisation=organisation).exists():
            peer_profile(organisation, user=user)
        PeerGroupMember.objects.create(
            group=group, user=user, position=position, status=PeerGroupMember.Status.ACCEPTED
        )
    if active:
        group = services.peer_group_activate(
            group=group, by=coordinator or member(Role.COORDINATOR, organisation)
        )
    return group


def computed(call, **kwargs):
    """A formation service that queues the engine (`formation_run`, `formation_rerun`) with
    the queued computation run as it would be after the commit; the formation, up to date."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        formation = call(**kwargs)
    formation.refresh_from_db()
    return formation
