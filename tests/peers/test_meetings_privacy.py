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

migration = import_module("tisser.peers.migrations.0003_privacy_member_organises_meetings")

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
