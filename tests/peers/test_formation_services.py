"""Forming groups: a run over a cohort, moves checked against the hard constraints, locks, a
re-run of the unlocked groups, publish and discard."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import member
from tests.peers.helpers import TUESDAY_EVENING, computed, peer_group, peer_profile
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.notifications.models import Notification
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.services import formation as services

COHORT = "Promotion test"
MONDAY_MORNING = availability_bit(0, DaySlot.MORNING)


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def cohort(organisation, n=8, **fields):
    return [peer_profile(organisation, cohort=COHORT, **fields).user for _ in range(n)]


def run(organisation, coordinator, target_size=4, cohort_name=COHORT):
    return computed(
        services.formation_run,
        organisation=organisation,
        cohort=cohort_name,
        target_size=target_size,
        by=coordinator,
    )


def members(group) -> list[int]:
    return list(
        group.members.exclude(status=PeerGroupMember.Status.LEFT)
        .order_by("position")
        .values_list("user_id", flat=True)
    )


def test_a_run_proposes_groups_with_reasons_and_keeps_the_unplaced_with_theirs(
    organisation, coordinator
):
    people = cohort(organisation, 8)
    alone = peer_profile(organisation, cohort=COHORT, availability=MONDAY_MORNING).user
    peer_profile(organisation, cohort="Autre promotion")  # another cohort: not in this run

    formation = run(organisation, coordinator)

    groups = list(formation.groups.order_by("name"))
    assert sorted(len(members(group)) for group in groups) in ([3, 5], [4, 4])
    assert {group.name for group in groups} == {"Les Tisserands", "Les Passerelles"}
    assert all(group.status == PeerGroup.Status.PROPOSED for group in groups)
    assert {u for group in groups for u in members(group)} == {user.pk for user in people}
    assert (
        PeerGroupMember.objects.filter(group__formation=formation)
        .exclude(status=PeerGroupMember.Status.PROPOSED)
        .count()
        == 0
    )
    assert all(group.score is not None and group.explanation for group in groups)
    assert formation.unplaced == [{"user": alone.pk, "reason": "no_common_slot"}]
    assert formation.stats["placed"] == 8 and formation.stats["groups"] == 2
    assert formation.stats["unplaced"] == {"no_common_slot": 1}
    assert formation.status == GroupFormation.Status.REVIEW


def test_a_run_skips_who_does_not_seek_or_is_in_a_group_and_needs_three_people(
    organisation, coordinator
):
    cohort(organisation, 2)
    peer_profile(organisation, cohort=COHORT, seeking=False)
    busy = cohort(organisation, 3)
    peer_group(organisation, busy, coordinator=coordinator)

    with pytest.raises(ValidationError) as error:
        run(organisation, coordinator)

    assert error.value.code == "too_few"
    assert "au moins 3" in error.value.messages[0]
    assert services.formation_people(organisation=organisation, cohort=COHORT).count() == 2
    assert not GroupFormation.objects.exists()


def test_one_formation_in_review_at_a_time_and_coordinators_only(organisation, coordinator):
    cohort(organisation, 4)
    run(organisation, coordinator)

    with pytest.raises(ValidationError) as error:
        run(organisation, coordinator)
    assert error.value.code == "review_exists"
    with pytest.raises(PermissionDenied):
        run(organisation, member(Role.CONSULTANT, organisation))


def by_size(formation):
    return sorted(formation.groups.all(), key=lambda group: (len(members(group)), group.pk))


def move(formation, coordinator, user_id, to_group):
    return services.formation_move(
        formation=formation,
        user=PeerGroupMember.objects.get(user_id=user_id).user,
        to_group=to_group,
        by=coordinator,
        expected_version=formation.version,
    )


def test_a_move_rescores_both_groups_and_one_that_breaks_a_group_is_refused(
    organisation, coordinator
):
    cohort(organisation, 8)
    formation = run(organisation, coordinator)
    small, big = by_size(formation)
    mover = members(big)[0]

    formation = move(formation, coordinator, mover, small)

    assert members(small)[-1] == mover and mover not in members(big)
    assert formation.stats["placed"] == 8 and formation.version == 3
    small.refresh_from_db()
    assert small.version == 2 and small.explanation
    small, big = by_size(formation)
    while len(members(small)) > 3:
        formation = move(formation, coordinator, members(small)[0], big)
    # Leaving two behind in a group, and six in the other: refused, nothing written.
    with pytest.raises(ValidationError) as error:
        move(formation, coordinator, members(small)[0], big)
    text = " ".join(error.value.messages)
    assert "de 3 à 5 personnes" in text and small.name in text and big.name in text
    assert len(members(small)) == 3 and len(members(big)) == 5


def test_a_move_into_a_group_without_a_common_slot_or_a_locked_one_is_refused(
    organisation, coordinator
):
    cohort(organisation, 8)
    alone = peer_profile(organisation, cohort=COHORT, availability=MONDAY_MORNING).user
    formation = run(organisation, coordinator)
    first, second = formation.groups.order_by("pk")

    with pytest.raises(ValidationError) as error:
        services.formation_move(
            formation=formation,
            user=alone,
            to_group=first,
            by=coordinator,
            expected_version=formation.version,
        )
    assert "créneau hebdomadaire commun" in " ".join(error.value.messages)

    services.formation_lock(
        formation=formation,
        group=second,
        locked=True,
        by=coordinator,
        expected_version=formation.version,
    )
    formation.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.formation_move(
            formation=formation,
            user=first.members.first().user,
            to_group=second,
            by=coordinator,
            expected_version=formation.version,
        )
    assert "verrouillé" in " ".join(error.value.messages)


def test_a_person_set_aside_comes_back_and_a_stale_page_changes_nothing(organisation, coordinator):
    cohort(organisation, 4)
    formation = run(organisation, coordinator)
    (group,) = formation.groups.all()
    person = members(group)[0]

    formation = move(formation, coordinator, person, None)

    assert person not in members(group) and len(members(group)) == 3
    assert formation.unplaced == [{"user": person, "reason": services.SET_ASIDE}]
    stale = formation.version
    formation = services.formation_move(
        formation=formation,
        user=group.organisation.peer_profiles.get(user_id=person).user,
        to_group=group,
        by=coordinator,
        expected_version=stale,
    )
    assert formation.unplaced == [] and members(group)[-1] == person
    with pytest.raises(services.StaleVersion):
        services.formation_lock(
            formation=formation, group=group, locked=True, by=coordinator, expected_version=stale
        )
    assert not PeerGroup.objects.get(pk=group.pk).locked


def test_a_rerun_keeps_locked_groups_as_they_are(organisation, coordinator):
    cohort(organisation, 8)
    formation = run(organisation, coordinator)
    first, second = formation.groups.order_by("pk")
    kept = members(first)
    services.formation_lock(
        formation=formation, group=first, locked=True, by=coordinator, expected_version=2
    )
    newcomer = peer_profile(organisation, cohort=COHORT).user

    formation = computed(
        services.formation_rerun, formation=formation, by=coordinator, expected_version=3
    )

    groups = list(formation.groups.order_by("pk"))
    assert groups[0] == first and members(groups[0]) == kept
    assert not PeerGroup.objects.filter(pk=second.pk).exists()
    assert newcomer.pk in members(groups[1]) and groups[1].name != first.name
    assert formation.stats["placed"] == 9


def test_publish_activates_every_group_and_tells_its_members(organisation, coordinator):
    people = cohort(organisation, 8)
    formation = run(organisation, coordinator)

    published = services.formation_publish(
        formation=formation, by=coordinator, expected_version=formation.version
    )

    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.PUBLISHED and formation.published_at
    assert len(published) == 2
    assert all(g.status == PeerGroup.Status.ACTIVE and g.series_id for g in published)
    notices = Notification.objects.filter(kind=PeerNotice.PEER_GROUP_PROPOSED)
    assert {n.recipient_id for n in notices} == {user.pk for user in people}
    group_of = {u: g for g in published for u in members(g)}
    for notice in notices:
        assert notice.url == f"/groupes/{group_of[notice.recipient_id].pk}/"
    # published groups' members are in a group now: nobody is left to form
    assert services.formation_people(organisation=organisation).count() == 0
    with pytest.raises(ValidationError):
        services.formation_discard(
            formation=formation, by=coordinator, expected_version=formation.version
        )


def test_publish_is_refused_while_a_group_breaks_a_hard_constraint(organisation, coordinator):
    people = cohort(organisation, 4)
    formation = run(organisation, coordinator)
    people[0].peer_profiles.update(availability=MONDAY_MORNING)

    with pytest.raises(ValidationError) as error:
        services.formation_publish(formation=formation, by=coordinator, expected_version=2)

    assert "Les Tisserands" in error.value.messages[0]
    assert not PeerGroup.objects.filter(status=PeerGroup.Status.ACTIVE).exists()
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.REVIEW


def test_discard_deletes_the_proposed_groups_and_frees_their_people(organisation, coordinator):
    cohort(organisation, 4, availability=TUESDAY_EVENING)
    formation = run(organisation, coordinator)

    services.formation_discard(formation=formation, by=coordinator, expected_version=2)

    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.DISCARDED
    assert formation.stats["groups"] == 1
    assert not PeerGroup.objects.exists()
    assert services.formation_people(organisation=organisation, cohort=COHORT).count() == 4
    assert run(organisation, coordinator).status == GroupFormation.Status.REVIEW
