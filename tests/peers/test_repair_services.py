"""The coordination keeps groups alive, through the services: a late joiner is placed in a
compatible group with room; a group that lost members is repaired with few moves, all or
nothing; a group is ended."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tisser.core.enums import Role
from tisser.meetings.models import SeriesParticipant
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.notifications.models import Notification
from tisser.peers import services
from tisser.peers.models import PeerGroup, PeerGroupMember
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.services import repairs

FRIDAY_MORNING = availability_bit(4, DaySlot.MORNING)


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def beneficiaries(organisation, count):
    return [member(Role.BENEFICIARY, organisation) for _ in range(count)]


def group_of(organisation, coordinator, count, **options):
    return peer_group(
        organisation, beneficiaries(organisation, count), coordinator=coordinator, **options
    )


def statuses(group):
    return dict(group.members.values_list("user_id", "status"))


def test_a_late_joiner_is_proposed_a_compatible_group_with_room(organisation, coordinator):
    group = group_of(organisation, coordinator, 3, name="Les Passerelles")
    newcomer = peer_profile(organisation)

    [placement] = services.arrivals_compute(organisation)
    member_row = services.peer_arrival_place(
        actor=coordinator, profile=newcomer, group_id=placement.group.pk
    )

    assert placement.group == group
    assert placement.explanation[0].startswith("Un créneau commun : mardi 18")
    assert (member_row.status, member_row.position) == (PeerGroupMember.Status.PROPOSED, 3)
    assert Notification.objects.filter(
        recipient=newcomer.user, kind=PeerNotice.PEER_GROUP_PROPOSED
    ).exists()
    told = Notification.objects.filter(kind=PeerNotice.PEER_GROUP_CHANGED)
    assert told.count() == 3
    assert newcomer.user.last_name not in told.first().subject
    assert services.arrivals_compute(organisation) == []


@pytest.mark.parametrize(
    ("profile_fields", "group_options", "size"),
    [
        ({"availability": FRIDAY_MORNING}, {}, 3),  # no common slot
        ({}, {}, 5),  # the group is full
        ({"cohort": "Printemps"}, {}, 3),  # another cohort
    ],
)
def test_a_late_joiner_waits_with_a_reason_when_no_group_fits(
    organisation, coordinator, profile_fields, group_options, size
):
    group = group_of(organisation, coordinator, size, **group_options)
    newcomer = peer_profile(organisation, **profile_fields)

    [placement] = services.arrivals_compute(organisation)

    assert placement.group is None
    assert placement.reason
    with pytest.raises(ValidationError):
        services.peer_arrival_place(actor=coordinator, profile=newcomer, group_id=group.pk)
    assert not group.members.filter(user=newcomer.user).exists()


def test_placing_is_refused_when_the_group_filled_since_the_page_was_read(
    organisation, coordinator
):
    group = group_of(organisation, coordinator, 4)
    first, second = peer_profile(organisation), peer_profile(organisation)
    # Each read on its own page (one page counts the places jointly: see below).
    shown = {
        p.profile.pk: p.group.pk
        for profile in (first, second)
        for p in services.arrivals_compute(organisation, [profile])
    }
    services.peer_arrival_place(actor=coordinator, profile=first, group_id=shown[first.pk])

    with pytest.raises(ValidationError) as error:
        services.peer_arrival_place(actor=coordinator, profile=second, group_id=shown[second.pk])

    assert error.value.code == "changed"
    assert group.members.exclude(status=PeerGroupMember.Status.LEFT).count() == 5


def test_people_in_a_group_or_not_seeking_are_not_waiting(organisation, coordinator):
    group_of(organisation, coordinator, 3)
    peer_profile(organisation, seeking=False)

    assert services.arrivals_compute(organisation) == []


def test_a_group_that_lost_a_member_borrows_one_from_a_larger_group(organisation, coordinator):
    small = group_of(organisation, coordinator, 3, name="Les Passerelles")
    large = group_of(organisation, coordinator, 5, name="Les Tisserands")
    leaver = small.members.first().user
    services.peer_member_leave(actor=leaver, group=small)

    [plan] = services.repairs_compute(organisation)
    applied = services.peer_group_repair(actor=coordinator, group=small, expected=plan.signature)

    assert plan.group == small and not plan.dissolved
    assert len(plan.moves) == 1
    [move] = applied.moves
    assert (move.from_group, move.to_group) == (large.pk, small.pk)
    assert "rejoint « Les Passerelles »" in plan.sentences[0]
    assert statuses(large)[move.user_id] == PeerGroupMember.Status.LEFT
    assert statuses(small)[move.user_id] == PeerGroupMember.Status.PROPOSED
    assert not SeriesParticipant.objects.filter(series=large.series, user_id=move.user_id).exists()
    assert Notification.objects.filter(
        recipient_id=move.user_id, kind=PeerNotice.PEER_GROUP_PROPOSED
    ).exists()
    assert services.repairs_compute(organisation) == []


def test_a_group_nobody_can_complete_is_dissolved_into_groups_with_room(organisation, coordinator):
    small = group_of(organisation, coordinator, 3, name="Les Passerelles")
    other = group_of(organisation, coordinator, 3, name="Les Tisserands")
    services.peer_member_leave(actor=small.members.first().user, group=small)
    remaining = list(
        small.members.exclude(status=PeerGroupMember.Status.LEFT).values_list("user_id", flat=True)
    )

    [plan] = services.repairs_compute(organisation)
    services.peer_group_repair(actor=coordinator, group=small, expected=plan.signature)

    small.refresh_from_db()
    small.series.refresh_from_db()
    assert plan.dissolved and len(plan.moves) == 2
    assert plan.sentences[0].startswith("Le groupe « Les Passerelles » est dissous")
    assert small.status == PeerGroup.Status.ENDED
    assert small.series.ended_at is not None
    assert all(statuses(other)[user] == PeerGroupMember.Status.PROPOSED for user in remaining)


def test_two_groups_both_left_too_small_are_merged(organisation, coordinator):
    first = group_of(organisation, coordinator, 3, name="Les Passerelles")
    second = group_of(organisation, coordinator, 3, name="Les Tisserands")
    for group in (first, second):
        services.peer_member_leave(actor=group.members.first().user, group=group)
    moving = [u for u, status in statuses(first).items() if status != PeerGroupMember.Status.LEFT]

    plans = {plan.group: plan for plan in services.repairs_compute(organisation)}
    assert set(plans) == {first, second}
    services.peer_group_repair(actor=coordinator, group=first, expected=plans[first].signature)

    first.refresh_from_db()
    assert plans[first].dissolved and first.status == PeerGroup.Status.ENDED
    current = {
        u: status for u, status in statuses(second).items() if status != PeerGroupMember.Status.LEFT
    }
    assert len(current) == 4
    assert all(current[user] == PeerGroupMember.Status.PROPOSED for user in moving)
    # the repair is recorded on both groups: nothing is left to fix
    assert services.repairs_compute(organisation) == []


def test_a_group_still_valid_after_a_leaver_needs_no_move_and_leaves_the_list_once_repaired(
    organisation, coordinator
):
    group = group_of(organisation, coordinator, 4)
    services.peer_member_leave(actor=group.members.first().user, group=group)

    [plan] = services.repairs_compute(organisation)
    services.peer_group_repair(actor=coordinator, group=group, expected=plan.signature)

    assert plan.moves == [] and not plan.dissolved
    assert plan.sentences[0].startswith("Aucun changement nécessaire")
    assert services.repairs_compute(organisation) == []


def test_applying_a_repair_is_all_or_nothing(organisation, coordinator, monkeypatch):
    small = group_of(organisation, coordinator, 3)
    other = group_of(organisation, coordinator, 3)
    services.peer_member_leave(actor=small.members.first().user, group=small)
    before = (statuses(small), statuses(other))
    [plan] = services.repairs_compute(organisation)
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("notification outbox down")

    monkeypatch.setattr(repairs, "_notify_newcomer", fail_on_second)

    with pytest.raises(RuntimeError):
        services.peer_group_repair(actor=coordinator, group=small, expected=plan.signature)

    small.refresh_from_db()
    assert (statuses(small), statuses(other)) == before
    assert small.status == PeerGroup.Status.ACTIVE


def test_a_repair_that_changed_since_it_was_read_is_refused(organisation, coordinator):
    small = group_of(organisation, coordinator, 3)
    group_of(organisation, coordinator, 3)
    services.peer_member_leave(actor=small.members.first().user, group=small)
    [plan] = services.repairs_compute(organisation)
    before = statuses(small)

    with pytest.raises(ValidationError) as error:
        services.peer_group_repair(actor=coordinator, group=small, expected="k")

    assert error.value.code == "changed" and plan.signature != "k"
    assert statuses(small) == before


def test_ending_a_group_ends_its_meetings_and_tells_its_members(organisation, coordinator):
    group = group_of(organisation, coordinator, 3)

    services.peer_group_end(actor=coordinator, group=group)

    group.refresh_from_db()
    group.series.refresh_from_db()
    assert group.status == PeerGroup.Status.ENDED and group.series.ended_at is not None
    assert Notification.objects.filter(kind=PeerNotice.PEER_GROUP_CHANGED).count() == 3
    with pytest.raises(ValidationError):
        services.peer_group_end(actor=coordinator, group=group)


def test_another_organisations_coordinator_may_do_nothing(organisation, coordinator):
    group = group_of(organisation, coordinator, 3)
    newcomer = peer_profile(organisation)
    outsider = member(Role.COORDINATOR)

    with pytest.raises(PermissionDenied):
        services.peer_arrival_place(actor=outsider, profile=newcomer, group_id=group.pk)
    with pytest.raises(PermissionDenied):
        services.peer_group_repair(actor=outsider, group=group, expected="k")
    with pytest.raises(PermissionDenied):
        services.peer_group_end(actor=outsider, group=group)


@pytest.mark.parametrize("accepted", [True, False], ids=["left", "declined"])
def test_a_person_is_never_proposed_the_group_they_left_or_declined(
    organisation, coordinator, accepted
):
    boussoles = group_of(organisation, coordinator, 3, name="Les Boussoles")
    camille = peer_profile(organisation)
    services.peer_arrival_place(actor=coordinator, profile=camille, group_id=boussoles.pk)
    if accepted:
        PeerGroupMember.objects.filter(group=boussoles, user=camille.user).update(
            status=PeerGroupMember.Status.ACCEPTED
        )
    services.peer_member_leave(actor=camille.user, group=boussoles)

    [placement] = services.arrivals_compute(organisation)

    assert placement.group is None
    with pytest.raises(ValidationError):
        services.peer_arrival_place(actor=coordinator, profile=camille, group_id=boussoles.pk)
    # Another group of her cohort with room is proposed all the same.
    other = group_of(organisation, coordinator, 3, name="Les Ricochets")
    [placement] = services.arrivals_compute(organisation)
    assert placement.group == other


def test_the_people_listed_together_share_the_places_left(organisation, coordinator):
    tisserands = group_of(organisation, coordinator, 4, name="Les Tisserands")
    for _ in range(3):
        peer_profile(organisation)

    placements = services.arrivals_compute(organisation)

    assert [p.group for p in placements] == [tisserands, None, None]
    assert placements[1].reason


def test_each_proposal_of_a_page_is_accepted_whatever_the_order(organisation, coordinator):
    first_group = group_of(organisation, coordinator, 4, name="Les Cordées")
    second_group = group_of(organisation, coordinator, 4, name="Les Horizons")
    first, second = peer_profile(organisation), peer_profile(organisation)
    board = repairs.board_load(organisation)
    rows = repairs.joint_placements(board, repairs.seekers(organisation))
    shown = {p.profile.pk: (p.group.pk, taken) for p, taken in rows}
    assert {shown[first.pk][0], shown[second.pk][0]} == {first_group.pk, second_group.pk}

    # The second person first: the group kept for the first one is not theirs to take.
    group_id, taken = shown[second.pk]
    services.peer_arrival_place(actor=coordinator, profile=second, group_id=group_id, taken=taken)
    group_id, taken = shown[first.pk]
    services.peer_arrival_place(actor=coordinator, profile=first, group_id=group_id, taken=taken)

    for group in (first_group, second_group):
        assert group.members.exclude(status=PeerGroupMember.Status.LEFT).count() == 5
