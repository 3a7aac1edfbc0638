"""One way to plan an entretien (ADR 0022): from the bilan only, and never on top of another
meeting of the consultant's."""

from datetime import UTC, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from freezegun import freeze_time

from tests.bilans.helpers import open_bilan
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.core.enums import Role
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries, Occurrence
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
def other_bilan(people, organisation):
    amandine = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=people["consultant"],
        user__first_name="Amandine",
        user__last_name="Colin",
    )
    return open_bilan(people["consultant"], amandine)


def plan(bilan, start, *, minutes=60, count=1):
    return bilans.bilan_session_plan(
        consultant=bilan.consultant,
        bilan=bilan,
        first_start=start,
        duration_minutes=minutes,
        rrule=f"FREQ=WEEKLY;COUNT={count}" if count > 1 else "",
        mode=MeetingMode.ON_SITE,
        location="Toulouse",
    )


def team_meeting(people, organisation, start, *, organiser="consultant"):
    others = [people["coordinator"]] if organiser == "consultant" else [people["consultant"]]
    return meetings.series_create(
        organiser=people[organiser],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Réunion d'équipe",
        participants=others,
        first_start=start,
        duration_minutes=60,
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="Salle 2",
    )


def test_an_entretien_on_top_of_another_is_refused_with_the_clash_named(bilan, other_bilan):
    # given an entretien with Amandine on Tuesday 3 March from 14:00 to 15:30
    plan(other_bilan, paris(2026, 3, 3, 14), minutes=90)

    # when the consultant plans another bilan's entretien at 15:00 that day
    with pytest.raises(ValidationError) as error:
        plan(bilan, paris(2026, 3, 3, 15))

    # then it is refused next to the date, naming what, with whom and when
    assert error.value.message_dict["first_start"] == [
        "Vous avez déjà « Entretien de bilan — Amandine Colin » avec Amandine Colin "
        "le mardi 3 mars de 14:00 à 15:30."
    ]
    assert not bilan.sessions.exists()
    assert MeetingSeries.objects.count() == 1


def test_meetings_that_only_touch_do_not_clash(bilan, other_bilan):
    plan(other_bilan, paris(2026, 3, 3, 14), minutes=90)

    series = plan(bilan, paris(2026, 3, 3, 15, 30))

    assert series.occurrences.count() == 1


def test_every_entretien_of_a_series_is_checked_against_the_meetings_the_consultant_organises(
    bilan, people, organisation
):
    # a team meeting the consultant organises on the third Tuesday
    team_meeting(people, organisation, paris(2026, 3, 17, 10, 30))

    with pytest.raises(ValidationError) as error:
        plan(bilan, paris(2026, 3, 3, 10), count=4)

    (message,) = error.value.message_dict["first_start"]
    assert "« Réunion d'équipe »" in message
    assert "le mardi 17 mars de 10:30 à 11:30" in message
    assert not bilan.sessions.exists()


def test_a_meeting_the_consultant_is_invited_to_counts_and_a_cancelled_one_does_not(
    bilan, people, organisation
):
    series = team_meeting(people, organisation, paris(2026, 3, 3, 10), organiser="coordinator")
    with pytest.raises(ValidationError):
        plan(bilan, paris(2026, 3, 3, 10, 30))

    meetings.occurrence_cancel(actor=people["coordinator"], occurrence=series.occurrences.get())

    assert plan(bilan, paris(2026, 3, 3, 10, 30)).occurrences.count() == 1


def test_another_consultants_meetings_do_not_count(bilan, organisation):
    colleague = member(Role.CONSULTANT, organisation)
    theirs = member(Role.BENEFICIARY, organisation, invited_by=colleague)
    plan(open_bilan(colleague, theirs), paris(2026, 3, 3, 10))

    assert plan(bilan, paris(2026, 3, 3, 10)).occurrences.count() == 1


def test_moving_an_entretien_onto_another_is_refused(bilan, other_bilan):
    plan(other_bilan, paris(2026, 3, 3, 14), minutes=90)
    occurrence = plan(bilan, paris(2026, 3, 4, 9)).occurrences.get()

    with pytest.raises(ValidationError) as error:
        meetings.occurrence_move(
            actor=bilan.consultant, occurrence=occurrence, start=paris(2026, 3, 3, 15)
        )

    assert "le mardi 3 mars de 14:00 à 15:30" in error.value.message_dict["start"][0]
    occurrence.refresh_from_db()
    assert occurrence.start == paris(2026, 3, 4, 9)
    # moving it within its own slot (a longer entretien) is no clash with itself
    meetings.occurrence_move(
        actor=bilan.consultant,
        occurrence=occurrence,
        start=paris(2026, 3, 4, 9),
        duration_minutes=120,
    )


def test_the_check_runs_in_the_write_transaction_after_locking_the_consultant(bilan):
    calls = []
    base = len(connection.atomic_blocks)

    def lock(user):
        calls.append(("lock", user.pk, len(connection.atomic_blocks) - base))

    original = series_module.require_free

    def check(**kwargs):
        calls.append(("check", kwargs["user"].pk, len(connection.atomic_blocks) - base))
        return original(**kwargs)

    with (
        mock.patch.object(series_module, "schedule_lock", lock),
        mock.patch.object(series_module, "require_free", check),
    ):
        plan(bilan, paris(2026, 3, 3, 10))

    (locked, checked) = calls
    assert locked[:2] == ("lock", bilan.consultant_id)
    assert checked[:2] == ("check", bilan.consultant_id)
    # both inside the plan's transaction (the bilan's, which also checks its hours)
    assert locked[2] >= 1 and checked[2] >= 1


def test_rencontres_refuses_a_bilan_entretien(people, organisation):
    with pytest.raises(ValidationError) as error:
        meetings.series_create(
            organiser=people["consultant"],
            organisation=organisation,
            kind=MeetingKind.BILAN_SESSION,
            title="Entretien",
            participants=[people["beneficiary"]],
            first_start=paris(2026, 3, 3, 10),
            duration_minutes=60,
            rrule="",
            mode=MeetingMode.PHONE,
        )

    assert error.value.message_dict["kind"][0].startswith(
        "Un entretien de bilan se planifie depuis la page du bilan"
    )
    assert not Occurrence.objects.exists()
