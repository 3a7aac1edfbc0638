"""The follow-up interview is proposed, and accepted, only at a time its consultant is free
(ADR 0022, the same check as a bilan's entretiens)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from tests.bilans.helpers import closed_bilan
from tisser.bilans import services as bilans
from tisser.bilans.models import FollowUp
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries

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
    return closed_bilan(people["consultant"], people["beneficiary"])


def team_meeting(people, organisation, start):
    """The coordination's « Réunion d'équipe », the consultant invited."""
    return meetings.series_create(
        organiser=people["coordinator"],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Réunion d'équipe",
        participants=[people["consultant"]],
        first_start=start,
        duration_minutes=60,
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="Salle 2",
    )


def propose(bilan, start, *, version=0):
    return bilans.followup_propose(
        consultant=bilan.consultant,
        bilan=bilan,
        start=start,
        duration_minutes=60,
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/suivi",
        message="Faisons le point.",
        expected_version=version,
    )


def test_a_followup_on_top_of_a_team_meeting_is_refused_with_the_clash_named(
    bilan, people, organisation
):
    coordinator = people["coordinator"]
    team_meeting(people, organisation, paris(2026, 9, 8, 14))

    with pytest.raises(ValidationError) as error:
        propose(bilan, paris(2026, 9, 8, 14, 30))

    assert error.value.message_dict["start"] == [
        f"Vous avez déjà « Réunion d'équipe » avec {coordinator.get_full_name()} "
        "le mardi 8 septembre de 14:00 à 15:00."
    ]
    assert not FollowUp.objects.exists()


def test_proposing_again_on_top_of_a_meeting_keeps_the_proposal_as_it_was(
    bilan, people, organisation
):
    followup = propose(bilan, paris(2026, 9, 8, 10))
    team_meeting(people, organisation, paris(2026, 9, 8, 14))

    with pytest.raises(ValidationError):
        propose(bilan, paris(2026, 9, 8, 13, 30), version=followup.version)

    followup.refresh_from_db()
    assert (followup.start, followup.version) == (paris(2026, 9, 8, 10), 1)
    # right after the meeting is free
    assert propose(bilan, paris(2026, 9, 8, 15), version=1).start == paris(2026, 9, 8, 15)


def test_accepting_when_the_consultant_is_no_longer_free_is_refused_without_their_agenda(
    bilan, people, organisation
):
    followup = propose(bilan, paris(2026, 9, 8, 14))
    # the consultant was invited to a meeting at that time meanwhile
    team_meeting(people, organisation, paris(2026, 9, 8, 14, 30))

    with pytest.raises(ValidationError) as error:
        bilans.followup_answer(
            beneficiary=bilan.beneficiary,
            followup=followup,
            accept=True,
            expected_version=followup.version,
        )

    (message,) = error.value.messages
    assert message.startswith("Votre conseiller·ère n'est plus disponible à cette date")
    assert "Réunion d'équipe" not in message
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.PROPOSED and followup.series is None
    assert MeetingSeries.objects.filter(title__startswith="Entretien de suivi").count() == 0


def test_an_accepted_followup_moves_only_to_a_time_the_consultant_is_free(
    bilan, people, organisation
):
    followup = propose(bilan, paris(2026, 9, 8, 10))
    followup = bilans.followup_answer(
        beneficiary=bilan.beneficiary,
        followup=followup,
        accept=True,
        expected_version=followup.version,
    )
    team_meeting(people, organisation, paris(2026, 9, 8, 14))

    with pytest.raises(ValidationError) as error:
        meetings.occurrence_move(
            actor=bilan.consultant,
            occurrence=followup.series.occurrences.get(),
            start=paris(2026, 9, 8, 14, 30),
        )

    assert "« Réunion d'équipe »" in error.value.message_dict["start"][0]
