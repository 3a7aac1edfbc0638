"""A peer group's meetings belong to its members: the coordinator who publishes the group
plans them, hands them to the first member and leaves them. She sees dates and attendance,
never the agenda, the notes or the actions (issue 13)."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.meetings import services as meetings
from tisser.meetings.models import AgendaItem, Attendance, Occurrence, SeriesParticipant
from tisser.peers import services
from tisser.peers.models import PeerGroupMember

migration = import_module("tisser.peers.migrations.0003_privacy_member_organises_meetings")
only_joined = import_module("tisser.peers.migrations.0004_peerfix_only_joined_members_in_meetings")

ORGANISER = SeriesParticipant.ParticipantRole.ORGANISER


def roles(group) -> dict[int, str]:
    return dict(group.series.participants.values_list("user_id", "role"))


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


@pytest.fixture
def group_and_users(organisation, coordinator):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    return peer_group(organisation, users, coordinator=coordinator), users


def next_meeting(group) -> Occurrence:
    return group.series.occurrences.order_by("start").first()


def test_publishing_hands_the_meetings_to_the_first_member(group_and_users, coordinator):
    group, users = group_and_users

    assert roles(group) == {
        users[0].pk: ORGANISER,
        users[1].pk: SeriesParticipant.ParticipantRole.PARTICIPANT,
        users[2].pk: SeriesParticipant.ParticipantRole.PARTICIPANT,
    }
    assert coordinator.pk not in roles(group)


def test_the_coordinator_neither_reads_nor_writes_nor_deletes_what_members_prepare(
    client, group_and_users, coordinator
):
    group, users = group_and_users
    occurrence = next_meeting(group)
    item = meetings.agenda_item_add(
        actor=users[1], occurrence=occurrence, kind=AgendaItem.Kind.BLOCKER, text="Je bloque"
    )
    meetings.occurrence_notes_save(
        actor=users[0],
        occurrence=occurrence,
        notes="Nos notes partagées",
        decisions="",
        expected_version=occurrence.version,
    )

    with pytest.raises(PermissionDenied):
        meetings.agenda_item_delete(actor=coordinator, item=item)
    with pytest.raises(PermissionDenied):
        meetings.agenda_item_add(
            actor=coordinator, occurrence=occurrence, kind=AgendaItem.Kind.QUESTION, text="?"
        )
    occurrence.refresh_from_db()
    with pytest.raises(PermissionDenied):
        meetings.occurrence_notes_save(
            actor=coordinator,
            occurrence=occurrence,
            notes="",
            decisions="",
            expected_version=occurrence.version,
        )
    assert AgendaItem.objects.filter(pk=item.pk).exists()

    client.force_login(coordinator)
    page = client.get(reverse("meetings:occurrence", args=[occurrence.pk]))
    text = page.content.decode()
    assert page.status_code == 200  # its date
    assert "Je bloque" not in text and "Nos notes partagées" not in text


def test_the_coordinator_still_sees_attendance(client, group_and_users, coordinator):
    group, users = group_and_users
    occurrence = next_meeting(group)
    past = timezone.now() - timedelta(days=1)
    Occurrence.objects.filter(pk=occurrence.pk).update(start=past, end=past + timedelta(hours=1))
    occurrence.refresh_from_db()
    meetings.attendance_record(
        actor=users[0], occurrence=occurrence, user=users[1], status=Attendance.Status.PRESENT
    )
    client.force_login(coordinator)

    text = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()

    assert f"{users[1]} : Présent" in " ".join(text.split())


def test_when_the_organising_member_leaves_the_next_member_organises(group_and_users):
    group, users = group_and_users

    services.peer_member_leave(actor=users[0], group=group)

    assert roles(group) == {users[1].pk: ORGANISER, users[2].pk: "participant"}
    services.peer_member_leave(actor=users[1], group=group)
    assert roles(group) == {users[2].pk: ORGANISER}


def test_the_migration_takes_existing_meetings_from_the_coordinator_and_can_go_back(
    group_and_users, coordinator
):
    group, users = group_and_users
    # As published before the fix: the coordinator organises, every member takes part.
    SeriesParticipant.objects.filter(series=group.series).update(role="participant")
    SeriesParticipant.objects.create(series=group.series, user=coordinator, role=ORGANISER)

    migration.to_a_member(apps, None)

    assert roles(group) == {
        users[0].pk: ORGANISER,
        users[1].pk: "participant",
        users[2].pk: "participant",
    }

    migration.to_the_coordinator(apps, None)

    assert roles(group) == {
        coordinator.pk: ORGANISER,
        users[0].pk: "participant",
        users[1].pk: "participant",
        users[2].pk: "participant",
    }


def test_only_the_organiser_hands_the_meetings_over_and_only_to_a_participant(
    group_and_users, coordinator, organisation
):
    group, users = group_and_users
    outsider = member(Role.BENEFICIARY, organisation)

    with pytest.raises(PermissionDenied):
        meetings.series_organiser_hand_over(
            organiser=users[1], series=group.series, to=users[1], leave=False
        )
    with pytest.raises(PermissionDenied):
        meetings.series_organiser_hand_over(
            organiser=coordinator, series=group.series, to=coordinator, leave=False
        )
    with pytest.raises(ValidationError):
        meetings.series_organiser_hand_over(
            organiser=users[0], series=group.series, to=outsider, leave=False
        )
    assert roles(group)[users[0].pk] == ORGANISER

    meetings.series_organiser_hand_over(
        organiser=users[0], series=group.series, to=users[2], leave=False
    )
    assert roles(group) == {
        users[0].pk: "participant",
        users[1].pk: "participant",
        users[2].pk: ORGANISER,
    }


# --- only the members who joined take part (QA walk on a freshly published group) --------


def proposed_group(organisation, coordinator, size=3):
    """A group published as the coordination does it: everybody merely proposed."""
    users = [member(Role.BENEFICIARY, organisation) for _ in range(size)]
    group = peer_group(organisation, users, active=False)
    group.members.update(status=PeerGroupMember.Status.PROPOSED)
    return services.peer_group_activate(group=group, by=coordinator), users


def test_a_published_group_meetings_have_nobody_until_a_member_joins(organisation, coordinator):
    group, users = proposed_group(organisation, coordinator)

    assert roles(group) == {}
    assert group.series.occurrences.exists()  # the dates are planned all the same
    with pytest.raises(PermissionDenied):
        meetings.agenda_item_add(
            actor=users[1], occurrence=next_meeting(group), kind=AgendaItem.Kind.QUESTION, text="?"
        )


def test_a_proposed_person_takes_part_only_once_they_join(client, organisation, coordinator):
    group, (camille, thomas, _third) = proposed_group(organisation, coordinator)
    services.peer_member_accept(actor=camille, group=group)
    occurrence = next_meeting(group)
    meetings.agenda_item_add(
        actor=camille, occurrence=occurrence, kind=AgendaItem.Kind.BLOCKER, text="Je bloque"
    )

    # Camille, the first to join, organises; Thomas, still proposed, takes no part
    assert roles(group) == {camille.pk: ORGANISER}
    with pytest.raises(PermissionDenied):
        meetings.agenda_item_add(
            actor=thomas, occurrence=occurrence, kind=AgendaItem.Kind.QUESTION, text="?"
        )
    client.force_login(thomas)
    assert client.get(reverse("meetings:occurrence", args=[occurrence.pk])).status_code == 404
    group_page = client.get(reverse("peers:group", args=[group.pk])).content.decode()
    assert reverse("meetings:occurrence", args=[occurrence.pk]) not in group_page

    services.peer_member_accept(actor=thomas, group=group)

    assert roles(group) == {camille.pk: ORGANISER, thomas.pk: "participant"}
    text = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()
    assert "Je bloque" in text


def test_the_organiser_who_leaves_hands_over_to_a_joined_member_only(organisation, coordinator):
    group, (camille, thomas, lea) = proposed_group(organisation, coordinator)
    services.peer_member_accept(actor=camille, group=group)

    # Thomas and Léa are only proposed: nobody organises after Camille
    services.peer_member_leave(actor=camille, group=group)
    assert roles(group) == {}

    # the next to join organises
    services.peer_member_accept(actor=lea, group=group)
    services.peer_member_accept(actor=thomas, group=group)
    assert roles(group) == {lea.pk: ORGANISER, thomas.pk: "participant"}


def test_the_migration_takes_the_proposed_out_of_existing_meetings(organisation, coordinator):
    group, (camille, thomas, lea) = proposed_group(organisation, coordinator)
    services.peer_member_accept(actor=lea, group=group)
    # As published before the fix: the first member (proposed) organises, all take part.
    SeriesParticipant.objects.filter(series=group.series).delete()
    SeriesParticipant.objects.create(series=group.series, user=camille, role=ORGANISER)
    for user in (thomas, lea):
        SeriesParticipant.objects.create(series=group.series, user=user, role="participant")

    only_joined.only_joined_members(apps, None)

    assert roles(group) == {lea.pk: ORGANISER}


def test_the_meeting_page_says_who_facilitates_it_in_turn(client, organisation, coordinator):
    group, (camille, thomas, _third) = proposed_group(organisation, coordinator)
    services.peer_member_accept(actor=camille, group=group)
    services.peer_member_accept(actor=thomas, group=group)
    first, second = group.series.occurrences.order_by("start")[:2]
    client.force_login(thomas)

    def facilitation(occurrence) -> str:
        text = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()
        return " ".join(text.split())

    assert f"Animation : {camille.first_name} (à tour de rôle" in facilitation(first)
    assert "Animation : <strong>vous</strong> (à tour de rôle" in facilitation(second)


def test_the_coordinator_is_not_offered_peer_group_meetings(client, organisation, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("meetings:series_create"))

    assert page.status_code == 200
    assert 'value="peer_group"' not in page.content.decode()
