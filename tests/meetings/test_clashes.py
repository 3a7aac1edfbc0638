"""Rencontres: a consultant organises a meeting only at a time they are free (ADR 0022);
a coordinator's or a mentor's meetings are not checked."""

from datetime import UTC, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from freezegun import freeze_time

from tests.bilans.helpers import open_bilan
from tisser.bilans import services as bilans
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries
from tisser.meetings.services import series as series_module

PARIS = ZoneInfo("Europe/Paris")
# Monday 2 March 2026, 10:00 in Paris.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def bilan(people):
    return open_bilan(people["consultant"], people["beneficiary"])


@pytest.fixture
def entretien(people, bilan):
    """The consultant's bilan entretien on Tuesday 3 March, 14:00 to 15:30."""
    return bilans.bilan_session_plan(
        consultant=people["consultant"],
        bilan=bilan,
        first_start=paris(2026, 3, 3, 14),
        duration_minutes=90,
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="Toulouse",
    ).occurrences.get()


def other_meeting(people, organisation, start, *, organiser="consultant", rrule="", kind=None):
    others = {
        "consultant": [people["beneficiary"]],
        "coordinator": [people["consultant"]],
        "mentor": [people["beneficiary"]],
    }[organiser]
    return meetings.series_create(
        organiser=people[organiser],
        organisation=organisation,
        kind=kind or MeetingKind.OTHER,
        title="Atelier CV",
        participants=others,
        first_start=start,
        duration_minutes=60,
        rrule=rrule,
        mode=MeetingMode.ON_SITE,
        location="Salle 2",
    )


def test_a_consultants_meeting_on_top_of_their_entretien_is_refused_with_the_clash_named(
    entretien, people, organisation
):
    beneficiary = people["beneficiary"].get_full_name()

    with pytest.raises(ValidationError) as error:
        other_meeting(people, organisation, paris(2026, 3, 3, 15))

    assert error.value.message_dict["first_start"] == [
        f"Vous avez déjà « {entretien.series.title} » avec {beneficiary} "
        "le mardi 3 mars de 14:00 à 15:30."
    ]
    assert not MeetingSeries.objects.filter(title="Atelier CV").exists()


def test_every_meeting_of_a_series_is_checked_and_touching_is_no_clash(
    entretien, bilan, people, organisation
):
    # weekly from 3 March at 15:30, when the entretien ends
    series = other_meeting(
        people, organisation, paris(2026, 3, 3, 15, 30), rrule="FREQ=WEEKLY;COUNT=3"
    )
    assert series.occurrences.count() == 3

    # a weekly series whose third meeting falls on a later entretien is refused whole
    bilans.bilan_session_plan(
        consultant=people["consultant"],
        bilan=bilan,
        first_start=paris(2026, 3, 19, 9),
        duration_minutes=60,
        rrule="",
        mode=MeetingMode.PHONE,
    )
    with pytest.raises(ValidationError) as error:
        other_meeting(people, organisation, paris(2026, 3, 5, 9, 30), rrule="FREQ=WEEKLY;COUNT=3")
    assert "le jeudi 19 mars de 09:00 à 10:00" in error.value.message_dict["first_start"][0]
    assert MeetingSeries.objects.filter(title="Atelier CV").count() == 1


def test_a_coordinators_and_a_mentors_meetings_are_not_checked(entretien, people, organisation):
    # the coordination invites the consultant at the same time: not the consultant's plan
    assert other_meeting(
        people, organisation, paris(2026, 3, 3, 14), organiser="coordinator"
    ).occurrences.exists()
    # a mentor (never a consultant of the organisme: one role per organisation), twice
    for _ in range(2):
        assert other_meeting(
            people,
            organisation,
            paris(2026, 3, 4, 10),
            organiser="mentor",
            kind=MeetingKind.MENTORING,
        ).occurrences.exists()


def test_moving_a_consultants_meeting_onto_their_entretien_is_refused(
    entretien, people, organisation
):
    occurrence = other_meeting(people, organisation, paris(2026, 3, 4, 9)).occurrences.get()

    with pytest.raises(ValidationError) as error:
        meetings.occurrence_move(
            actor=people["consultant"], occurrence=occurrence, start=paris(2026, 3, 3, 15)
        )

    assert "le mardi 3 mars de 14:00 à 15:30" in error.value.message_dict["start"][0]
    occurrence.refresh_from_db()
    assert occurrence.start == paris(2026, 3, 4, 9)
    # a longer meeting in its own slot is no clash with itself
    meetings.occurrence_move(
        actor=people["consultant"],
        occurrence=occurrence,
        start=paris(2026, 3, 4, 9),
        duration_minutes=120,
    )


def test_moving_a_coordinators_meeting_is_not_checked(entretien, people, organisation):
    occurrence = other_meeting(
        people, organisation, paris(2026, 3, 4, 9), organiser="coordinator"
    ).occurrences.get()

    moved = meetings.occurrence_move(
        actor=people["coordinator"], occurrence=occurrence, start=paris(2026, 3, 3, 14)
    )

    assert moved.start == paris(2026, 3, 3, 14)


def test_the_check_runs_in_the_write_transaction_after_locking_the_organiser(people, organisation):
    calls = []
    base = len(connection.atomic_blocks)
    original = series_module.require_free

    def lock(user):
        calls.append(("lock", user.pk, len(connection.atomic_blocks) - base))

    def check(**kwargs):
        calls.append(("check", kwargs["user"].pk, len(connection.atomic_blocks) - base))
        return original(**kwargs)

    with (
        mock.patch.object(series_module, "schedule_lock", lock),
        mock.patch.object(series_module, "require_free", check),
    ):
        other_meeting(people, organisation, paris(2026, 3, 3, 10))

    consultant = people["consultant"].pk
    assert [call[:2] for call in calls] == [("lock", consultant), ("check", consultant)]
    assert all(depth >= 1 for *_, depth in calls)
