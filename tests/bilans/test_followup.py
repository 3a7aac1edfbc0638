from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.bilans.helpers import advance_to, closed_bilan, entretiens, held, open_bilan
from tisser.bilans import services as bilans
from tisser.bilans.models import FollowUp, Phase
from tisser.bilans.notice_kinds import BilanNotice
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.meetings.models import MeetingKind, MeetingMode, Occurrence
from tisser.notifications.models import Notification


@pytest.fixture
def bilan(people):
    return closed_bilan(people["consultant"], people["beneficiary"])


def propose(bilan, *, days=180, version=0, actor=None, **overrides):
    return bilans.followup_propose(
        consultant=actor or bilan.consultant,
        bilan=bilan,
        start=overrides.pop("start", timezone.now() + timedelta(days=days)),
        duration_minutes=overrides.pop("duration_minutes", 60),
        mode=overrides.pop("mode", MeetingMode.VIDEO),
        location=overrides.pop("location", "https://visio.example.org/suivi"),
        message=overrides.pop("message", "Faisons le point sur votre projet."),
        expected_version=version,
    )


def answer(followup, accept=True, version=None, actor=None, reason=""):
    return bilans.followup_answer(
        beneficiary=actor or followup.bilan.beneficiary,
        followup=followup,
        accept=accept,
        expected_version=followup.version if version is None else version,
        reason=reason,
    )


def test_proposing_records_tells_the_beneficiary_and_audits(bilan):
    followup = propose(bilan)

    assert followup.status == FollowUp.Status.PROPOSED
    assert followup.version == 1
    assert AuditEvent.objects.filter(action="followup.propose").exists()
    notices = Notification.objects.filter(
        recipient=bilan.beneficiary, kind=BilanNotice.FOLLOWUP_PROPOSED
    )
    assert {notice.channel for notice in notices} == {"in_app", "email"}
    assert notices.first().url == reverse("bilans:followup", args=[bilan.pk])


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [(Phase.INVESTIGATION, False), (Phase.CONCLUSION, True), (Phase.CLOSED, True)],
)
def test_a_followup_is_proposed_from_the_conclusion_phase(people, phase, allowed):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), phase)

    if allowed:
        assert propose(bilan).status == FollowUp.Status.PROPOSED
    else:
        with pytest.raises(ValidationError):
            propose(bilan)


def test_a_preliminary_bilan_takes_no_followup(people):
    with pytest.raises(ValidationError):
        propose(open_bilan(people["consultant"], people["beneficiary"]))


@pytest.mark.parametrize("role", ["beneficiary", "coordinator", "mentor"])
def test_only_the_consultant_proposes(bilan, people, role):
    with pytest.raises(PermissionDenied):
        propose(bilan, actor=people[role])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"days": -1}, "start"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"mode": "pigeon"}, "mode"),
    ],
)
def test_bad_proposals_say_which_field(bilan, overrides, field):
    with pytest.raises(ValidationError) as error:
        propose(bilan, **overrides)

    assert field in error.value.message_dict


def test_accepting_creates_a_meeting_that_does_not_count_in_the_24_hours(bilan):
    followup = answer(propose(bilan))

    assert followup.status == FollowUp.Status.ACCEPTED
    series = followup.series
    assert series.kind == MeetingKind.OTHER
    assert not hasattr(series, "bilan_session") or series.bilan_session is None
    assert set(series.participants.values_list("user_id", flat=True)) == {
        bilan.consultant_id,
        bilan.beneficiary_id,
    }
    hours = bilans.bilan_hours(bilan)
    assert hours.planned == Decimal("0") and hours.effective == Decimal("0")


def test_an_attended_followup_still_uses_none_of_the_24_hours(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    (occurrence,) = entretiens(bilan, minutes=90)
    held(occurrence)
    bilan = advance_to(bilan, Phase.CLOSED)
    followup = answer(propose(bilan, days=2))
    follow_occurrence = Occurrence.objects.get(series=followup.series)

    with freeze_time(follow_occurrence.end + timedelta(minutes=5)):
        from tisser.meetings import services as meetings

        meetings.attendance_confirm(actor=bilan.beneficiary, occurrence=follow_occurrence)
        hours = bilans.bilan_hours(bilan)

    assert hours.effective == Decimal("1.50")
    assert hours.planned == Decimal("0")


def test_declining_keeps_the_reason_and_lets_the_consultant_propose_again(bilan):
    followup = answer(propose(bilan), accept=False, reason="Je suis en formation à ce moment.")

    assert followup.status == FollowUp.Status.DECLINED
    assert followup.series is None
    again = propose(bilan, days=200, version=followup.version)
    assert again.status == FollowUp.Status.PROPOSED
    assert again.decline_reason == ""


def test_a_proposal_changed_since_it_was_read_cannot_be_accepted(bilan):
    followup = propose(bilan)
    seen = followup.version
    propose(bilan, days=190, version=seen)

    with pytest.raises(ValidationError) as error:
        answer(followup, version=seen)

    assert error.value.code == "stale"


def test_a_proposal_cannot_be_overwritten_from_a_stale_page(bilan):
    propose(bilan)

    with pytest.raises(ValidationError):
        propose(bilan, days=190, version=0)


def test_an_accepted_followup_is_not_proposed_again(bilan):
    followup = answer(propose(bilan))

    with pytest.raises(ValidationError):
        propose(bilan, version=followup.version)


def test_only_the_beneficiary_answers(bilan, people):
    followup = propose(bilan)

    with pytest.raises(PermissionDenied):
        answer(followup, actor=people["consultant"])


def test_a_passed_date_cannot_be_accepted(bilan):
    followup = propose(bilan, days=1)

    with freeze_time(timezone.now() + timedelta(days=2)), pytest.raises(ValidationError):
        answer(followup)


def test_notes_mark_the_followup_done_once_held(bilan):
    followup = answer(propose(bilan, days=1))

    with pytest.raises(ValidationError):
        bilans.followup_notes_save(
            consultant=bilan.consultant, followup=followup, notes="?", expected_version=2
        )
    with freeze_time(timezone.now() + timedelta(days=2)):
        done = bilans.followup_notes_save(
            consultant=bilan.consultant,
            followup=followup,
            notes="Projet en bonne voie.",
            expected_version=followup.version,
        )

    assert done.status == FollowUp.Status.DONE
    assert done.done_at is not None
    with pytest.raises(StaleVersion) as conflict:
        bilans.followup_notes_save(
            consultant=bilan.consultant, followup=done, notes="Autre", expected_version=2
        )
    assert conflict.value.current.notes == "Projet en bonne voie."


def test_the_consultant_proposes_from_the_page(client, bilan):
    client.force_login(bilan.consultant)
    day = timezone.localdate() + timedelta(days=180)

    response = client.post(
        reverse("bilans:followup", args=[bilan.pk]),
        {
            "followup-date": day.isoformat(),
            "followup-start_time": "10:00",
            "followup-duration_minutes": 60,
            "followup-mode": MeetingMode.PHONE,
            "followup-location": "06 00 00 00 00",
            "followup-message": "À bientôt",
            "followup-version": 0,
        },
    )

    assert response.status_code == 302
    assert FollowUp.objects.get().start.date() == day


def test_a_past_date_on_the_page_is_shown_next_to_the_field_and_the_input_kept(client, bilan):
    client.force_login(bilan.consultant)

    response = client.post(
        reverse("bilans:followup", args=[bilan.pk]),
        {
            "followup-date": "2001-01-01",
            "followup-start_time": "10:00",
            "followup-duration_minutes": 60,
            "followup-mode": MeetingMode.PHONE,
            "followup-message": "Mon message gardé",
            "followup-version": 0,
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_followup-date_error"' in html
    assert "Mon message gardé" in html
    assert not FollowUp.objects.exists()


def test_the_beneficiary_accepts_from_the_page_and_never_sees_the_notes(client, bilan):
    followup = propose(bilan, days=1)
    client.force_login(bilan.beneficiary)
    url = reverse("bilans:followup", args=[bilan.pk])

    assert "accepte cet entretien de suivi" in client.get(url).content.decode()
    response = client.post(
        reverse("bilans:followup_answer", args=[bilan.pk]),
        {"answer": "accept", "version": followup.version},
    )
    assert response.status_code == 302
    with freeze_time(timezone.now() + timedelta(days=2)):
        bilans.followup_notes_save(
            consultant=bilan.consultant,
            followup=FollowUp.objects.get(),
            notes="Note confidentielle du suivi",
            expected_version=2,
        )

    html = client.get(url).content.decode()
    assert "Note confidentielle du suivi" not in html
    assert "Réalisé" in html


def test_a_coordinator_gets_a_404_on_the_followup(client, bilan, people):
    propose(bilan)
    client.force_login(people["coordinator"])

    assert client.get(reverse("bilans:followup", args=[bilan.pk])).status_code == 404


def test_answering_a_proposal_changed_meanwhile_shows_the_new_one(client, bilan):
    followup = propose(bilan)
    propose(bilan, days=190, version=followup.version)
    client.force_login(bilan.beneficiary)

    response = client.post(
        reverse("bilans:followup_answer", args=[bilan.pk]),
        {"answer": "accept", "version": followup.version},
        follow=True,
    )

    assert "vient d&#x27;être modifiée" in response.content.decode() or (
        "vient d'être modifiée" in response.content.decode()
    )
    assert FollowUp.objects.get().status == FollowUp.Status.PROPOSED
