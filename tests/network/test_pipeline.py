from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from tests.network.helpers import a_contact, contact_data
from tisser.core.models import AuditEvent
from tisser.network import services
from tisser.network.models import Contact, InformationalInterview, Stage
from tisser.network.services.pipeline import Overdue

Outcome = InformationalInterview.Outcome


def moment(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, hour))


@pytest.fixture
def interview(people):
    owner = people["beneficiary"]
    with freeze_time(moment(2)):
        return services.interview_start(owner=owner, contact=a_contact(owner))


def advance(interview, stage, day, **kwargs):
    with freeze_time(moment(day, 18)):
        return services.interview_advance(
            actor=interview.owner, interview=interview, to_stage=stage, **kwargs
        )


def test_an_enquete_starts_to_contact_with_a_dated_step(interview):
    assert interview.stage == Stage.TO_CONTACT
    assert list(interview.events.values_list("stage", flat=True)) == [Stage.TO_CONTACT]
    assert AuditEvent.objects.filter(action="interview.start").count() == 1


def test_only_the_owner_starts_an_enquete_with_their_own_contact(people):
    contact = a_contact(people["beneficiary"])
    with pytest.raises(PermissionDenied):
        services.interview_start(owner=people["consultant"], contact=contact)


def test_steps_go_forward_dated_and_one_may_skip_the_follow_up(interview):
    advance(interview, Stage.MESSAGE_SENT, 3)
    advance(interview, Stage.MEETING_SET, 4, meeting_at=moment(10))

    assert interview.stage == Stage.MEETING_SET
    assert interview.meeting_at == moment(10)
    assert [(event.stage, event.at.day) for event in interview.events.all()] == [
        (Stage.TO_CONTACT, 2),
        (Stage.MESSAGE_SENT, 3),
        (Stage.MEETING_SET, 4),
    ]


@pytest.mark.parametrize("back_to", [Stage.TO_CONTACT, Stage.MESSAGE_SENT])
def test_a_step_never_goes_backward(interview, back_to):
    advance(interview, Stage.MESSAGE_SENT, 3)
    with pytest.raises(ValidationError) as error:
        advance(interview, back_to, 4)
    assert "to_stage" in error.value.message_dict
    interview.refresh_from_db()
    assert interview.stage == Stage.MESSAGE_SENT


def test_a_meeting_needs_its_date(interview):
    with pytest.raises(ValidationError) as error:
        advance(interview, Stage.MEETING_SET, 3)
    assert "meeting_at" in error.value.message_dict


def test_a_step_is_not_dated_before_the_previous_one_nor_in_the_future(interview):
    with pytest.raises(ValidationError) as error:
        advance(interview, Stage.MESSAGE_SENT, 3, at=moment(1))
    assert "at" in error.value.message_dict
    with pytest.raises(ValidationError):
        advance(interview, Stage.MESSAGE_SENT, 3, at=moment(20))


def test_someone_else_cannot_move_the_enquete(interview, people):
    with pytest.raises(PermissionDenied):
        services.interview_advance(
            actor=people["consultant"], interview=interview, to_stage=Stage.MESSAGE_SENT
        )


def test_undo_removes_the_last_step_only(interview):
    advance(interview, Stage.MESSAGE_SENT, 3)
    advance(interview, Stage.MEETING_SET, 4, meeting_at=moment(10))

    removed = services.interview_stage_undo(actor=interview.owner, interview=interview)

    assert removed == Stage.MEETING_SET
    assert interview.stage == Stage.MESSAGE_SENT
    assert interview.stage_changed_at == moment(3, 18)
    assert interview.meeting_at is None
    services.interview_stage_undo(actor=interview.owner, interview=interview)
    with pytest.raises(ValidationError):
        services.interview_stage_undo(actor=interview.owner, interview=interview)
    assert interview.events.count() == 1


@pytest.mark.parametrize(
    ("stage", "days_later", "expected"),
    [
        (Stage.TO_CONTACT, 30, None),
        (Stage.MESSAGE_SENT, 6, None),
        (Stage.MESSAGE_SENT, 7, Overdue.FOLLOW_UP),
        (Stage.FOLLOWED_UP, 7, Overdue.FOLLOW_UP),
        (Stage.INTERVIEW_DONE, 2, None),
        (Stage.INTERVIEW_DONE, 3, Overdue.THANK),
        (Stage.THANKED, 30, None),
    ],
)
def test_the_overdue_rule(interview, stage, days_later, expected):
    if stage != Stage.TO_CONTACT:
        meeting = {"meeting_at": moment(4)} if stage == Stage.INTERVIEW_DONE else {}
        advance(interview, stage, 4, **meeting)
    today = date(2026, 3, 4) + timedelta(days=days_later)
    with freeze_time(today):
        assert services.interview_overdue(interview, today) == expected


def test_a_meeting_passed_without_its_interview_is_overdue(interview):
    advance(interview, Stage.MEETING_SET, 3, meeting_at=moment(10, 14))
    assert services.interview_overdue(interview, date(2026, 3, 10)) is None
    assert services.interview_overdue(interview, date(2026, 3, 11)) == Overdue.WRITE_UP
    action = services.interview_next_action(interview, date(2026, 3, 11))
    assert (action.label, action.overdue) == ("Noter l'entretien", Overdue.WRITE_UP)


def test_a_closed_enquete_is_never_overdue(interview):
    advance(interview, Stage.MESSAGE_SENT, 3)
    services.interview_outcome_set(
        actor=interview.owner, interview=interview, outcome=Outcome.DROPPED
    )
    assert services.interview_overdue(interview, date(2026, 5, 1)) is None


def test_a_referral_creates_the_contact_introduced_by_this_one(interview):
    advance(interview, Stage.MEETING_SET, 3, meeting_at=moment(5))
    advance(interview, Stage.INTERVIEW_DONE, 5)

    referred = services.interview_outcome_set(
        actor=interview.owner,
        interview=interview,
        outcome=Outcome.REFERRAL,
        referred=contact_data(last_name="Dupont", how_known="other"),
    )

    assert referred.introduced_by == interview.contact
    assert referred.how_known == "introduced"
    assert interview.outcome == Outcome.REFERRAL
    # The thanks are not skipped: the enquête waits for them, and says so.
    assert interview.stage == Stage.INTERVIEW_DONE
    assert services.interview_next_stages(interview) == (Stage.THANKED,)
    today = timezone.localdate(interview.stage_changed_at)
    assert services.interview_next_action(interview, today).label == "Remercier la personne"
    assert services.interview_overdue(interview, today + timedelta(days=3)) == "thank"

    advance(interview, Stage.THANKED, 6)
    assert interview.stage == Stage.NEXT_STEP
    assert list(interview.events.values_list("stage", flat=True)) == [
        Stage.TO_CONTACT,
        Stage.MEETING_SET,
        Stage.INTERVIEW_DONE,
        Stage.THANKED,
        Stage.NEXT_STEP,
    ]
    assert services.interview_next_action(interview, today).label == "Enquête terminée"
    services.interview_stage_undo(actor=interview.owner, interview=interview)
    assert (interview.stage, interview.outcome) == (Stage.THANKED, Outcome.OPEN)


def test_a_referral_after_the_thanks_gives_the_suite_at_once(interview):
    advance(interview, Stage.MEETING_SET, 3, meeting_at=moment(5))
    advance(interview, Stage.INTERVIEW_DONE, 5)
    advance(interview, Stage.THANKED, 6)

    services.interview_outcome_set(
        actor=interview.owner, interview=interview, outcome=Outcome.IMMERSION
    )

    assert (interview.stage, interview.outcome) == (Stage.NEXT_STEP, Outcome.IMMERSION)
    assert services.interview_next_stages(interview) == ()


def test_a_referral_waits_for_the_interview(interview):
    with pytest.raises(ValidationError) as error:
        services.interview_outcome_set(
            actor=interview.owner,
            interview=interview,
            outcome=Outcome.REFERRAL,
            referred=contact_data(last_name="Dupont"),
        )
    assert "outcome" in error.value.message_dict
    assert Contact.objects.count() == 1


def test_a_bad_referred_contact_writes_nothing(interview):
    advance(interview, Stage.MEETING_SET, 3, meeting_at=moment(5))
    advance(interview, Stage.INTERVIEW_DONE, 5)
    with pytest.raises(ValidationError) as error:
        services.interview_outcome_set(
            actor=interview.owner,
            interview=interview,
            outcome=Outcome.REFERRAL,
            referred=contact_data(last_name="", email="pas-un-mail"),
        )
    assert set(error.value.message_dict) == {"last_name", "email"}
    interview.refresh_from_db()
    assert interview.outcome == Outcome.OPEN
    assert interview.stage == Stage.INTERVIEW_DONE


@pytest.mark.parametrize("stage", [Stage.INTERVIEW_DONE, Stage.THANKED])
def test_an_interview_is_not_done_before_its_meeting(interview, stage):
    # given a meeting set for 10 March at 14:00
    advance(interview, Stage.MEETING_SET, 3, meeting_at=moment(10, 14))

    # when the person marks it done (or thanked) on 5 March
    with pytest.raises(ValidationError) as error:
        advance(interview, stage, 5)

    # then it is refused, the meeting's date named, and nothing moves
    message = error.value.message_dict["to_stage"][0]
    assert "mardi 10 mars 2026 à 14:00" in message
    interview.refresh_from_db()
    assert interview.stage == Stage.MEETING_SET
    # on the day, after the meeting, it goes through
    advance(interview, stage, 10)
    assert interview.stage == stage


def test_an_interview_done_dated_before_its_meeting_is_refused_on_the_date(interview):
    advance(interview, Stage.MEETING_SET, 3, meeting_at=moment(10, 14))

    with pytest.raises(ValidationError) as error:
        advance(interview, Stage.INTERVIEW_DONE, 12, at=moment(9))

    assert list(error.value.message_dict) == ["at"]
