from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.meetings import services
from tisser.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning; the series below start the following Tuesday.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def second_beneficiary(organisation, people):
    return member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])


@pytest.fixture
def outsider():
    """A consultant of another organisation."""
    return member(Role.CONSULTANT, OrganisationFactory())


def create_series(people, organisation, **overrides) -> MeetingSeries:
    arguments = {
        "organiser": people["consultant"],
        "organisation": organisation,
        "kind": MeetingKind.OTHER,
        "title": "Entretiens de bilan",
        "participants": [people["beneficiary"]],
        "first_start": paris(2026, 3, 10, 18),
        "duration_minutes": 60,
        "rrule": "FREQ=WEEKLY;COUNT=4",
        "mode": MeetingMode.VIDEO,
        "location": "https://visio.example.org/salle-12",
    } | overrides
    return services.series_create(**arguments)


@pytest.fixture
def series(clock, people, organisation, second_beneficiary):
    return create_series(
        people, organisation, participants=[people["beneficiary"], second_beneficiary]
    )


def occurrences(series) -> list[Occurrence]:
    return list(series.occurrences.order_by("original_start"))


# --- who may organise --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (Role.CONSULTANT, MeetingKind.BILAN_SESSION, True),
        (Role.CONSULTANT, MeetingKind.MENTORING, True),
        # a peer group's series is planned by the peers app only, never by hand (issue 13)
        (Role.COORDINATOR, MeetingKind.PEER_GROUP, False),
        (Role.CONSULTANT, MeetingKind.PEER_GROUP, False),
        (Role.COORDINATOR, MeetingKind.BILAN_SESSION, False),
        (Role.MENTOR, MeetingKind.MENTORING, True),
        (Role.MENTOR, MeetingKind.PEER_GROUP, False),
        (Role.BENEFICIARY, MeetingKind.OTHER, False),
    ],
)
def test_can_organise(organisation, role, kind, allowed):
    user = member(role, organisation)

    assert services.can_organise(user, organisation, kind) is allowed


def test_can_organise_needs_an_active_membership_of_that_organisation(organisation):
    consultant = member(Role.CONSULTANT, organisation)
    elsewhere = OrganisationFactory()
    consultant.memberships.update(is_active=False)

    assert not services.can_organise(consultant, organisation, MeetingKind.BILAN_SESSION)
    assert not services.can_organise(consultant, elsewhere, MeetingKind.BILAN_SESSION)


# --- series_create -----------------------------------------------------------------------


def test_series_create_plans_the_occurrences(clock, people, organisation):
    # when a consultant plans four weekly sessions with a beneficiary
    series = create_series(people, organisation)

    # then both take part, the consultant as organiser
    roles = dict(series.participants.values_list("user_id", "role"))
    assert roles == {
        people["consultant"].pk: SeriesParticipant.ParticipantRole.ORGANISER,
        people["beneficiary"].pk: SeriesParticipant.ParticipantRole.PARTICIPANT,
    }
    # and the four meetings are planned at 18:00 Paris time, across the March DST change
    planned = occurrences(series)
    assert [o.start.astimezone(PARIS) for o in planned] == [
        paris(2026, 3, 10, 18),
        paris(2026, 3, 17, 18),
        paris(2026, 3, 24, 18),
        paris(2026, 3, 31, 18),
    ]
    assert all(o.end - o.start == timedelta(hours=1) for o in planned)
    assert all(o.original_start == o.start for o in planned)
    assert {(o.mode, o.location) for o in planned} == {
        (MeetingMode.VIDEO, "https://visio.example.org/salle-12")
    }
    assert AuditEvent.objects.filter(action="meeting_series.create", target_id=series.pk).exists()


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.BENEFICIARY, MeetingKind.MENTORING),
        (Role.COORDINATOR, MeetingKind.PEER_GROUP),
        (Role.MENTOR, MeetingKind.OTHER),
        (Role.BENEFICIARY, MeetingKind.OTHER),
    ],
)
def test_series_create_refuses_who_may_not_organise(clock, people, organisation, role, kind):
    organiser = people[role.value]

    with pytest.raises(PermissionDenied):
        create_series(people, organisation, organiser=organiser, kind=kind)
    assert not MeetingSeries.objects.exists()


def test_series_create_refuses_an_organiser_from_another_organisation(
    clock, people, organisation, outsider
):
    with pytest.raises(PermissionDenied):
        create_series(people, organisation, organiser=outsider)


def test_series_create_refuses_a_participant_from_another_organisation(clock, people, organisation):
    stranger = member(Role.BENEFICIARY, OrganisationFactory())

    with pytest.raises(ValidationError, match="faire partie de votre organisme"):
        create_series(people, organisation, participants=[people["beneficiary"], stranger])
    assert not MeetingSeries.objects.exists()


def test_series_create_refuses_an_inactive_member(clock, people, organisation):
    people["beneficiary"].memberships.update(is_active=False)

    with pytest.raises(ValidationError):
        create_series(people, organisation)


def test_series_create_needs_someone_to_meet(clock, people, organisation):
    with pytest.raises(ValidationError, match="au moins une personne"):
        create_series(people, organisation, participants=[people["consultant"]])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rrule": "FREQ=HOURLY"}, "plus d'une fois par jour"),
        ({"duration_minutes": 2}, "durée"),
        ({"location": "salle 12"}, "lien de la visioconférence"),
        ({"timezone": "Mars/Olympus"}, "fuseau horaire"),
    ],
)
def test_series_create_validates(clock, people, organisation, overrides, message):
    with pytest.raises(ValidationError, match=message):
        create_series(people, organisation, **overrides)


def test_series_create_for_a_mentoring_by_a_coordinator_on_site(clock, people, organisation):
    series = create_series(
        people,
        organisation,
        organiser=people["coordinator"],
        kind=MeetingKind.MENTORING,
        participants=[people["mentor"], people["beneficiary"]],
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="12 rue des Tisserands, Lyon",
    )

    assert series.occurrences.count() == 1
    assert services.is_organiser(people["coordinator"], series)
    assert services.is_participant(people["mentor"], series)
    assert not services.is_organiser(people["mentor"], series)
    assert not services.is_participant(people["consultant"], series)


# --- series_occurrences_extend -----------------------------------------------------------


def test_open_ended_series_is_planned_up_to_the_horizon(clock, people, organisation):
    series = create_series(people, organisation, rrule="FREQ=WEEKLY")

    starts = [o.start for o in occurrences(series)]
    horizon = series.first_start + timedelta(days=400)
    assert starts[-1] <= horizon
    assert starts[-1] + timedelta(weeks=1) > horizon


def test_horizon_is_a_setting(clock, people, organisation, settings):
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30

    series = create_series(people, organisation, rrule="FREQ=WEEKLY")

    assert series.occurrences.count() == 5  # 10, 17, 24, 31 March, 7 April


def test_a_series_starting_beyond_the_horizon_is_planned_from_its_start(
    clock, people, organisation, settings
):
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30

    series = create_series(
        people, organisation, rrule="FREQ=WEEKLY;COUNT=3", first_start=NOW + timedelta(days=90)
    )

    assert series.occurrences.count() == 3


def test_no_more_than_100_meetings_are_planned_ahead(clock, people, organisation):
    series = create_series(people, organisation, rrule="FREQ=DAILY")

    assert series.occurrences.count() == 100


def test_extend_is_idempotent_and_keeps_moved_and_cancelled_slots(
    clock, people, organisation, settings
):
    # given an open-ended weekly series planned 30 days past its first meeting (10 March),
    # one meeting moved, one cancelled
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30
    series = create_series(people, organisation, rrule="FREQ=WEEKLY")
    first, second = occurrences(series)[:2]
    consultant = people["consultant"]
    services.occurrence_move(actor=consultant, occurrence=first, start=paris(2026, 3, 11, 9))
    services.occurrence_cancel(actor=consultant, occurrence=second)

    # when the planning runs again the same day, nothing is added
    assert services.series_occurrences_extend(series=series) == 0
    assert series.occurrences.count() == 5  # up to 7 April

    # when it runs on 16 March, the horizon reaches 15 April: one new week and nothing else
    clock.move_to(NOW + timedelta(days=14))
    assert services.series_occurrences_extend(series=series) == 1
    assert series.occurrences.count() == 6
    assert series.occurrences.filter(status=Occurrence.Status.CANCELLED).count() == 1


def test_extend_respects_count(clock, people, organisation):
    series = create_series(people, organisation)

    assert services.series_occurrences_extend(series=series, until=NOW + timedelta(days=900)) == 0
    assert series.occurrences.count() == 4


# --- series_end --------------------------------------------------------------------------


def test_series_end_cancels_what_is_to_come(clock, series, people):
    # given a series whose first meeting took place
    clock.move_to(datetime(2026, 3, 12, 9, tzinfo=UTC))

    # when its organiser ends it
    services.series_end(actor=people["consultant"], series=series)

    # then the past meeting stays, the others are cancelled, calendars will update
    statuses = [(o.status, o.sequence) for o in occurrences(series)]
    assert statuses == [
        (Occurrence.Status.SCHEDULED, 0),
        (Occurrence.Status.CANCELLED, 1),
        (Occurrence.Status.CANCELLED, 1),
        (Occurrence.Status.CANCELLED, 1),
    ]
    assert series.ended_at is not None
    assert series.sequence == 1
    assert services.series_occurrences_extend(series=series) == 0

    # and it cannot be ended twice
    with pytest.raises(ValidationError, match="déjà terminée"):
        services.series_end(actor=people["consultant"], series=series)


@pytest.mark.parametrize("who", ["beneficiary", "coordinator", "mentor"])
def test_series_end_is_for_the_organiser(series, people, who):
    with pytest.raises(PermissionDenied):
        services.series_end(actor=people[who], series=series)
    series.refresh_from_db()
    assert series.ended_at is None


# --- occurrence_move / occurrence_cancel -------------------------------------------------


def test_occurrence_move(series, people):
    occurrence = occurrences(series)[1]
    original = occurrence.original_start

    moved = services.occurrence_move(
        actor=people["consultant"], occurrence=occurrence, start=paris(2026, 3, 18, 10)
    )

    assert moved.start == paris(2026, 3, 18, 10)
    assert moved.end == paris(2026, 3, 18, 11)  # the duration is kept
    assert moved.original_start == original
    assert moved.sequence == 1
    assert AuditEvent.objects.filter(action="occurrence.move", target_id=occurrence.pk).exists()


def test_occurrence_move_with_a_new_duration_bumps_the_sequence_each_time(series, people):
    occurrence = occurrences(series)[1]
    consultant = people["consultant"]

    services.occurrence_move(
        actor=consultant, occurrence=occurrence, start=paris(2026, 3, 18, 10), duration_minutes=90
    )
    services.occurrence_move(actor=consultant, occurrence=occurrence, start=paris(2026, 3, 19, 10))

    occurrence.refresh_from_db()
    assert occurrence.duration_minutes == 90
    assert occurrence.sequence == 2


def test_occurrence_move_to_the_same_time_changes_nothing(series, people):
    occurrence = occurrences(series)[1]

    services.occurrence_move(
        actor=people["consultant"], occurrence=occurrence, start=occurrence.start
    )

    assert occurrence.sequence == 0


@pytest.mark.parametrize("who", ["beneficiary", "coordinator", "mentor"])
def test_occurrence_move_and_cancel_are_for_the_organiser(series, people, who):
    occurrence = occurrences(series)[1]

    with pytest.raises(PermissionDenied):
        services.occurrence_move(
            actor=people[who], occurrence=occurrence, start=paris(2026, 3, 18, 10)
        )
    with pytest.raises(PermissionDenied):
        services.occurrence_cancel(actor=people[who], occurrence=occurrence)


def test_occurrence_move_refuses_the_past(clock, series, people):
    consultant = people["consultant"]
    first, second = occurrences(series)[:2]

    with pytest.raises(ValidationError, match="à venir"):
        services.occurrence_move(
            actor=consultant, occurrence=second, start=NOW - timedelta(hours=1)
        )

    clock.move_to(datetime(2026, 3, 10, 17, 30, tzinfo=UTC))  # during the first meeting
    with pytest.raises(ValidationError, match="déjà commencé"):
        services.occurrence_move(actor=consultant, occurrence=first, start=paris(2026, 3, 12, 18))


def test_occurrence_cancel(series, people):
    occurrence = occurrences(series)[2]

    services.occurrence_cancel(actor=people["consultant"], occurrence=occurrence)

    assert occurrence.status == Occurrence.Status.CANCELLED
    assert occurrence.sequence == 1


def test_a_cancelled_occurrence_cannot_be_cancelled_again_nor_moved(series, people):
    consultant = people["consultant"]
    occurrence = occurrences(series)[2]
    services.occurrence_cancel(actor=consultant, occurrence=occurrence)

    with pytest.raises(ValidationError, match="déjà annulée"):
        services.occurrence_cancel(actor=consultant, occurrence=occurrence)
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.occurrence_move(
            actor=consultant, occurrence=occurrence, start=paris(2026, 3, 25, 18)
        )
    occurrence.refresh_from_db()
    assert occurrence.sequence == 1


def test_a_started_occurrence_cannot_be_cancelled(clock, series, people):
    clock.move_to(datetime(2026, 3, 10, 17, 30, tzinfo=UTC))

    with pytest.raises(ValidationError, match="déjà commencé"):
        services.occurrence_cancel(actor=people["consultant"], occurrence=occurrences(series)[0])


# --- someone from another organisation ---------------------------------------------------


def test_someone_from_another_organisation_can_do_nothing(series, people, outsider):
    occurrence = occurrences(series)[1]
    item = services.agenda_item_add(
        actor=people["beneficiary"], occurrence=occurrence, kind=AgendaItem.Kind.QUESTION, text="?"
    )
    refusals = [
        lambda: services.series_end(actor=outsider, series=series),
        lambda: services.occurrence_move(
            actor=outsider, occurrence=occurrence, start=paris(2026, 3, 18, 10)
        ),
        lambda: services.occurrence_cancel(actor=outsider, occurrence=occurrence),
        lambda: services.agenda_item_add(
            actor=outsider, occurrence=occurrence, kind=AgendaItem.Kind.TOPIC, text="Intrus"
        ),
        lambda: services.agenda_item_move(actor=outsider, item=item, direction="up"),
        lambda: services.agenda_item_delete(actor=outsider, item=item),
        lambda: services.occurrence_notes_save(
            actor=outsider, occurrence=occurrence, notes="x", decisions="", expected_version=1
        ),
        lambda: services.action_create(
            actor=outsider, occurrence=occurrence, owner=people["beneficiary"], text="x"
        ),
        lambda: services.attendance_confirm(actor=outsider, occurrence=occurrence),
        lambda: services.attendance_record(
            actor=outsider, occurrence=occurrence, user=people["beneficiary"], status="present"
        ),
    ]
    for refusal in refusals:
        with pytest.raises(PermissionDenied):
            refusal()
    assert not services.is_participant(outsider, series)


# --- agenda ------------------------------------------------------------------------------


def agenda_texts(occurrence) -> list[str]:
    return list(occurrence.agenda.order_by("position", "id").values_list("text", flat=True))


def test_agenda_items_are_added_at_the_end(series, people):
    occurrence = occurrences(series)[0]

    for who, kind, text in [
        ("beneficiary", AgendaItem.Kind.BLOCKER, "Je n'ose pas appeler"),
        ("consultant", AgendaItem.Kind.QUESTION, "Quelles enquêtes ?"),
        ("beneficiary", AgendaItem.Kind.SUCCESS, "Premier entretien fait"),
    ]:
        services.agenda_item_add(actor=people[who], occurrence=occurrence, kind=kind, text=text)

    assert agenda_texts(occurrence) == [
        "Je n'ose pas appeler",
        "Quelles enquêtes ?",
        "Premier entretien fait",
    ]
    assert list(occurrence.agenda.values_list("position", flat=True)) == [1, 2, 3]


def test_agenda_item_add_is_for_participants(series, people):
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(
            actor=people["mentor"],
            occurrence=occurrences(series)[0],
            kind=AgendaItem.Kind.TOPIC,
            text="Bonjour",
        )


def test_agenda_item_add_refuses_a_cancelled_occurrence(series, people):
    occurrence = occurrences(series)[1]
    services.occurrence_cancel(actor=people["consultant"], occurrence=occurrence)

    with pytest.raises(ValidationError, match="annulée"):
        services.agenda_item_add(
            actor=people["beneficiary"],
            occurrence=occurrence,
            kind=AgendaItem.Kind.TOPIC,
            text="Sujet",
        )


def test_agenda_item_add_refuses_an_empty_text(series, people):
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            actor=people["beneficiary"],
            occurrence=occurrences(series)[0],
            kind=AgendaItem.Kind.TOPIC,
            text="   ",
        )


@pytest.mark.parametrize(
    ("moved", "direction", "expected"),
    [
        ("B", "up", ["B", "A", "C"]),
        ("B", "down", ["A", "C", "B"]),
        ("A", "up", ["A", "B", "C"]),  # already first
        ("C", "down", ["A", "B", "C"]),  # already last
        ("C", "up", ["A", "C", "B"]),
    ],
)
def test_agenda_item_move(series, people, moved, direction, expected):
    occurrence = occurrences(series)[0]
    items = {
        text: services.agenda_item_add(
            actor=people["beneficiary"],
            occurrence=occurrence,
            kind=AgendaItem.Kind.TOPIC,
            text=text,
        )
        for text in "ABC"
    }

    services.agenda_item_move(actor=people["consultant"], item=items[moved], direction=direction)

    assert agenda_texts(occurrence) == expected


def test_agenda_item_move_repairs_equal_positions(series, people):
    occurrence = occurrences(series)[0]
    first, second = (
        services.agenda_item_add(
            actor=people["beneficiary"], occurrence=occurrence, kind=AgendaItem.Kind.TOPIC, text=t
        )
        for t in "AB"
    )
    AgendaItem.objects.filter(pk=second.pk).update(position=first.position)

    services.agenda_item_move(actor=people["beneficiary"], item=second, direction="up")

    assert agenda_texts(occurrence) == ["B", "A"]
    assert list(occurrence.agenda.values_list("position", flat=True)) == [1, 2]


def test_agenda_item_delete_by_its_author_or_the_organiser(series, people, second_beneficiary):
    occurrence = occurrences(series)[0]
    mine, theirs = (
        services.agenda_item_add(
            actor=author, occurrence=occurrence, kind=AgendaItem.Kind.QUESTION, text=text
        )
        for author, text in [(people["beneficiary"], "Mine"), (second_beneficiary, "Theirs")]
    )

    # another participant may not remove it
    with pytest.raises(PermissionDenied):
        services.agenda_item_delete(actor=people["beneficiary"], item=theirs)

    services.agenda_item_delete(actor=people["beneficiary"], item=mine)
    services.agenda_item_delete(actor=people["consultant"], item=theirs)
    assert not occurrence.agenda.exists()


# --- notes -------------------------------------------------------------------------------


def test_occurrence_notes_save(clock, series, people):
    occurrence = occurrences(series)[0]
    clock.move_to(datetime(2026, 3, 10, 18, 5, tzinfo=UTC))

    saved = services.occurrence_notes_save(
        actor=people["beneficiary"],
        occurrence=occurrence,
        notes="On a parlé des enquêtes-métiers.",
        decisions="Trois enquêtes d'ici avril.",
        expected_version=1,
    )

    assert saved.version == 2
    assert saved.notes == "On a parlé des enquêtes-métiers."
    assert saved.decisions == "Trois enquêtes d'ici avril."
    completed = saved.notes_completed_at
    assert completed == datetime(2026, 3, 10, 18, 5, tzinfo=UTC)

    # a later edit keeps the date the write-up was first completed
    clock.tick(timedelta(hours=1))
    saved = services.occurrence_notes_save(
        actor=people["consultant"],
        occurrence=occurrence,
        notes="",
        decisions="",
        expected_version=2,
    )
    assert saved.version == 3
    assert saved.notes_completed_at == completed


def test_empty_notes_do_not_complete_the_write_up(series, people):
    occurrence = occurrences(series)[0]

    saved = services.occurrence_notes_save(
        actor=people["consultant"],
        occurrence=occurrence,
        notes="  ",
        decisions="Rien",
        expected_version=1,
    )

    assert saved.notes_completed_at is None


def test_concurrent_notes_edit_raises_and_does_not_overwrite(series, people, second_beneficiary):
    # given two participants who opened the notes at version 1
    occurrence = occurrences(series)[0]
    services.occurrence_notes_save(
        actor=people["beneficiary"],
        occurrence=occurrence,
        notes="Version de Camille",
        decisions="Décision A",
        expected_version=1,
    )

    # when the second one saves from version 1
    with pytest.raises(StaleVersion) as conflict:
        services.occurrence_notes_save(
            actor=second_beneficiary,
            occurrence=occurrence,
            notes="Version de Sami",
            decisions="Décision B",
            expected_version=1,
        )

    # then they learn what is saved, and nothing was overwritten
    assert conflict.value.current.notes == "Version de Camille"
    assert conflict.value.current.decisions == "Décision A"
    assert conflict.value.version == 2
    assert "compte rendu" in conflict.value.message
    occurrence.refresh_from_db()
    assert (occurrence.notes, occurrence.version) == ("Version de Camille", 2)


def test_notes_are_for_participants(series, people):
    with pytest.raises(PermissionDenied):
        services.occurrence_notes_save(
            actor=people["coordinator"],
            occurrence=occurrences(series)[0],
            notes="Je lis par-dessus l'épaule",
            decisions="",
            expected_version=1,
        )


# --- actions -----------------------------------------------------------------------------


def test_actions_roll_over_until_done(clock, series, people):
    # given an action decided at the first meeting
    first, second, third, fourth = occurrences(series)
    beneficiary = people["beneficiary"]
    action = services.action_create(
        actor=people["consultant"],
        occurrence=first,
        owner=beneficiary,
        text="Contacter deux anciens collègues",
        due_on=date(2026, 3, 16),
    )
    later = services.action_create(
        actor=beneficiary, occurrence=second, owner=beneficiary, text="Lire la fiche métier"
    )

    # then it is on the agenda of the following meetings, not on its own
    assert list(services.occurrence_open_actions(first)) == []
    assert list(services.occurrence_open_actions(second)) == [action]
    assert list(services.occurrence_open_actions(third)) == [action, later]

    # when it is done, it leaves them
    services.action_complete(actor=beneficiary, action=action)
    assert action.done_at is not None
    assert list(services.occurrence_open_actions(fourth)) == [later]

    # reopened, it comes back
    services.action_reopen(actor=people["consultant"], action=action)
    assert action.done_at is None
    assert list(services.occurrence_open_actions(fourth)) == [action, later]


def test_rollover_follows_the_actual_order_of_meetings(series, people):
    # given the second meeting moved after the third
    _, second, third, _ = occurrences(series)
    services.occurrence_move(
        actor=people["consultant"], occurrence=second, start=paris(2026, 3, 26, 18)
    )
    action = services.action_create(
        actor=people["consultant"], occurrence=third, owner=people["beneficiary"], text="Appeler"
    )

    assert list(services.occurrence_open_actions(second)) == [action]


def test_action_owner_must_take_part(series, people):
    with pytest.raises(ValidationError, match="participer"):
        services.action_create(
            actor=people["consultant"],
            occurrence=occurrences(series)[0],
            owner=people["mentor"],
            text="Parrainer",
        )


def test_action_create_refuses_a_cancelled_occurrence(series, people):
    occurrence = occurrences(series)[1]
    services.occurrence_cancel(actor=people["consultant"], occurrence=occurrence)

    with pytest.raises(ValidationError, match="annulée"):
        services.action_create(
            actor=people["consultant"],
            occurrence=occurrence,
            owner=people["beneficiary"],
            text="x",
        )


def test_action_complete_is_for_its_owner_or_the_organiser(series, people, second_beneficiary):
    action = services.action_create(
        actor=people["beneficiary"],
        occurrence=occurrences(series)[0],
        owner=people["beneficiary"],
        text="Mettre à jour mon CV",
    )

    with pytest.raises(PermissionDenied):
        services.action_complete(actor=second_beneficiary, action=action)
    with pytest.raises(PermissionDenied):
        services.action_reopen(actor=second_beneficiary, action=action)

    services.action_complete(actor=people["consultant"], action=action)
    services.action_complete(actor=people["beneficiary"], action=action)  # already done: no-op
    assert ActionItem.objects.get(pk=action.pk).done_at is not None
    assert AuditEvent.objects.filter(action="action_item.complete").count() == 1


# --- attendance --------------------------------------------------------------------------


def test_attendance_record_once_started(clock, series, people):
    occurrence = occurrences(series)[0]
    consultant, beneficiary = people["consultant"], people["beneficiary"]

    with pytest.raises(ValidationError, match="une fois la rencontre commencée"):
        services.attendance_record(
            actor=consultant, occurrence=occurrence, user=beneficiary, status="present"
        )

    clock.move_to(occurrence.start)
    attendance = services.attendance_record(
        actor=consultant,
        occurrence=occurrence,
        user=beneficiary,
        status=Attendance.Status.EXCUSED,
    )
    assert (attendance.status, attendance.recorded_by) == (Attendance.Status.EXCUSED, consultant)
    assert attendance.confirmed_by_participant_at is None


def test_attendance_record_is_for_the_organiser_and_about_participants(clock, series, people):
    occurrence = occurrences(series)[0]
    clock.move_to(occurrence.end)

    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=people["beneficiary"],
            occurrence=occurrence,
            user=people["beneficiary"],
            status="present",
        )
    with pytest.raises(ValidationError, match="ne participe pas"):
        services.attendance_record(
            actor=people["consultant"],
            occurrence=occurrence,
            user=people["mentor"],
            status="present",
        )


def test_the_organiser_cannot_undo_an_emargement(clock, series, people):
    occurrence = occurrences(series)[0]
    clock.move_to(occurrence.start + timedelta(minutes=5))
    services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)

    with pytest.raises(ValidationError, match="a confirmé sa présence"):
        services.attendance_record(
            actor=people["consultant"],
            occurrence=occurrence,
            user=people["beneficiary"],
            status=Attendance.Status.ABSENT,
        )
    # recording what the participant signed changes nothing
    services.attendance_record(
        actor=people["consultant"],
        occurrence=occurrence,
        user=people["beneficiary"],
        status=Attendance.Status.PRESENT,
    )
    attendance = Attendance.objects.get(occurrence=occurrence, user=people["beneficiary"])
    assert attendance.recorded_by == people["beneficiary"]


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (lambda o: o.start - timedelta(minutes=1), False),
        (lambda o: o.start, True),
        (lambda o: o.end + timedelta(days=6, hours=23), True),
        (lambda o: o.end + timedelta(days=7, minutes=1), False),
    ],
)
def test_attendance_confirm_window(clock, series, people, moment, allowed):
    occurrence = occurrences(series)[0]
    clock.move_to(moment(occurrence))

    if not allowed:
        with pytest.raises(ValidationError):
            services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)
        assert not Attendance.objects.exists()
        return
    attendance = services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.confirmed_by_participant_at == moment(occurrence)


def test_attendance_confirm_keeps_the_first_signature(clock, series, people):
    occurrence = occurrences(series)[0]
    clock.move_to(occurrence.start)
    first = services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)

    clock.tick(timedelta(hours=2))
    again = services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)

    assert again.confirmed_by_participant_at == first.confirmed_by_participant_at


def test_attendance_confirm_overrides_an_absence_noted_by_the_organiser(clock, series, people):
    occurrence = occurrences(series)[0]
    clock.move_to(occurrence.start + timedelta(minutes=10))
    services.attendance_record(
        actor=people["consultant"],
        occurrence=occurrence,
        user=people["beneficiary"],
        status=Attendance.Status.ABSENT,
    )

    attendance = services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)

    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.confirmed_by_participant_at is not None


def test_no_attendance_on_a_cancelled_occurrence(clock, series, people):
    occurrence = occurrences(series)[1]
    services.occurrence_cancel(actor=people["consultant"], occurrence=occurrence)
    clock.move_to(occurrence.start + timedelta(minutes=10))

    with pytest.raises(ValidationError, match="annulée"):
        services.attendance_confirm(actor=people["beneficiary"], occurrence=occurrence)
    with pytest.raises(ValidationError, match="annulée"):
        services.attendance_record(
            actor=people["consultant"],
            occurrence=occurrence,
            user=people["beneficiary"],
            status="absent",
        )


def test_attendance_confirm_is_for_participants(clock, series, people):
    occurrence = occurrences(series)[0]
    clock.move_to(occurrence.start)

    with pytest.raises(PermissionDenied):
        services.attendance_confirm(actor=people["mentor"], occurrence=occurrence)


# --- participants after creation ---------------------------------------------------------


def test_the_organiser_adds_and_removes_a_participant(clock, people, organisation):
    series = create_series(people, organisation)
    newcomer = member(Role.BENEFICIARY, organisation)

    assert services.series_participant_add(
        organiser=people["consultant"], series=series, user=newcomer
    )
    assert not services.series_participant_add(
        organiser=people["consultant"], series=series, user=newcomer
    )
    assert services.is_participant(newcomer, series)
    assert services.series_participant_remove(
        organiser=people["consultant"], series=series, user=newcomer
    )
    assert not services.is_participant(newcomer, series)
    # the organiser never leaves this way
    assert not services.series_participant_remove(
        organiser=people["consultant"], series=series, user=people["consultant"]
    )


def test_only_the_organiser_changes_participants_and_only_within_the_organisation(
    clock, people, organisation
):
    series = create_series(people, organisation)

    with pytest.raises(PermissionDenied):
        services.series_participant_add(
            organiser=people["beneficiary"], series=series, user=people["mentor"]
        )
    with pytest.raises(ValidationError):
        services.series_participant_add(
            organiser=people["consultant"], series=series, user=member(Role.BENEFICIARY)
        )
