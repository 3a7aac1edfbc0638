from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import member
from tests.mentoring.space_rows import agreement_data, signed, start
from tisser.core.enums import Role
from tisser.meetings.models import MeetingKind, Occurrence, SeriesParticipant
from tisser.mentoring import services
from tisser.mentoring.models import Feedback, Goal, Mentorship, ProgressUpdate
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications.models import Notification

# -- the agreement ------------------------------------------------------------------------------


def test_the_agreement_sets_the_planned_end_from_its_duration(organisation):
    mentorship = start(organisation)

    agreement, cleared = services.agreement_save(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        data=agreement_data(duration_months=4),
        expected_version=None,
    )

    mentorship.refresh_from_db()
    assert agreement.version == 1 and not cleared
    assert mentorship.planned_end == timezone.localdate(mentorship.started_at) + relativedelta(
        months=4
    )


def test_an_agreement_saved_meanwhile_is_not_overwritten(organisation):
    mentorship = start(organisation)
    services.agreement_save(
        actor=mentorship.mentee,
        mentorship=mentorship,
        data=agreement_data(),
        expected_version=None,
    )
    services.agreement_save(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        data=agreement_data(mentor_commitment="Relire votre CV."),
        expected_version=1,
    )

    with pytest.raises(services.StaleVersion) as raised:
        services.agreement_save(
            actor=mentorship.mentee,
            mentorship=mentorship,
            data=agreement_data(mentor_commitment="Autre chose"),
            expected_version=1,
        )

    assert raised.value.current.mentor_commitment == "Relire votre CV."
    mentorship.agreement.refresh_from_db()
    assert mentorship.agreement.mentor_commitment == "Relire votre CV."


def test_changing_a_signed_agreement_clears_both_signatures(organisation):
    mentorship = start(organisation)
    agreement, _ = services.agreement_save(
        actor=mentorship.mentee, mentorship=mentorship, data=agreement_data(), expected_version=None
    )
    services.agreement_sign(actor=mentorship.mentee, mentorship=mentorship, expected_version=1)

    agreement, cleared = services.agreement_save(
        actor=mentorship.mentor.user,
        mentorship=mentorship,
        data=agreement_data(meeting_minutes=45),
        expected_version=1,
    )

    assert cleared
    assert agreement.mentee_signed_at is None and agreement.mentor_signed_at is None


def test_only_the_two_members_write_the_agreement(organisation, people):
    mentorship = start(organisation)

    with pytest.raises(PermissionDenied):
        services.agreement_save(
            actor=people["coordinator"],
            mentorship=mentorship,
            data=agreement_data(),
            expected_version=None,
        )


def test_when_both_sign_the_monthly_meetings_are_planned_with_the_mentor_as_organiser(
    organisation,
):
    mentorship = signed(organisation, duration_months=6)

    series = mentorship.series
    assert series.kind == MeetingKind.MENTORING
    assert series.rrule.startswith("FREQ=MONTHLY;BYDAY=")
    roles = dict(series.participants.values_list("user_id", "role"))
    assert roles == {
        mentorship.mentor.user_id: SeriesParticipant.ParticipantRole.ORGANISER,
        mentorship.mentee_id: SeriesParticipant.ParticipantRole.PARTICIPANT,
    }
    starts = list(series.occurrences.values_list("start", flat=True))
    assert starts[0] == mentorship.agreement.first_meeting_at
    assert 6 <= len(starts) <= 7  # one a month until the planned end
    assert timezone.localdate(starts[-1]) <= mentorship.planned_end


def test_one_signature_plans_nothing_and_a_stale_signature_is_refused(organisation):
    mentorship = start(organisation)
    services.agreement_save(
        actor=mentorship.mentee, mentorship=mentorship, data=agreement_data(), expected_version=None
    )

    services.agreement_sign(actor=mentorship.mentee, mentorship=mentorship, expected_version=1)
    with pytest.raises(services.StaleVersion):
        services.agreement_sign(
            actor=mentorship.mentor.user, mentorship=mentorship, expected_version=0
        )

    mentorship.refresh_from_db()
    assert mentorship.series is None


def test_signing_after_the_first_meeting_date_asks_for_a_new_date(organisation):
    mentorship = start(organisation)
    services.agreement_save(
        actor=mentorship.mentee, mentorship=mentorship, data=agreement_data(), expected_version=None
    )
    services.agreement_sign(actor=mentorship.mentee, mentorship=mentorship, expected_version=1)

    with (
        freeze_time(timezone.now() + timedelta(days=10)),
        pytest.raises(ValidationError, match="première rencontre est passée"),
    ):
        services.agreement_sign(
            actor=mentorship.mentor.user, mentorship=mentorship, expected_version=1
        )


# -- goals, news and thanks ---------------------------------------------------------------------


def test_a_goal_edited_meanwhile_is_not_overwritten(organisation):
    mentorship = start(organisation)
    goal = services.goal_add(
        actor=mentorship.mentee,
        mentorship=mentorship,
        title="Rencontrer deux soigneurs",
        success_criteria="Deux enquêtes faites",
    )
    services.goal_update(
        actor=mentorship.mentor.user,
        goal=goal,
        title=goal.title,
        success_criteria=goal.success_criteria,
        status=Goal.Status.IN_PROGRESS,
        expected_version=1,
    )

    with pytest.raises(services.StaleVersion):
        services.goal_update(
            actor=mentorship.mentee,
            goal=goal,
            title="Autre",
            success_criteria="",
            status=Goal.Status.DROPPED,
            expected_version=1,
        )

    goal.refresh_from_db()
    assert (goal.title, goal.status, goal.version) == (
        "Rencontrer deux soigneurs",
        Goal.Status.IN_PROGRESS,
        2,
    )


def test_news_from_the_mentee_reach_the_mentor_and_move_the_last_activity(organisation):
    mentorship = start(organisation)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        last_activity_at=timezone.now() - timedelta(days=20)
    )
    goal = services.goal_add(
        actor=mentorship.mentee, mentorship=mentorship, title="Un stage", success_criteria=""
    )

    update = services.progress_update_post(
        actor=mentorship.mentee,
        mentorship=mentorship,
        kind=ProgressUpdate.Kind.UPDATE,
        text="J'ai décroché un stage d'observation.",
        goal=goal,
    )

    mentorship.refresh_from_db()
    assert mentorship.last_activity_at == update.created_at
    sent = Notification.objects.filter(kind=MentoringNotice.MENTORING_UPDATE)
    assert {n.recipient_id for n in sent} == {mentorship.mentor.user_id}
    assert "stage d'observation" in sent.first().body


@pytest.mark.parametrize(
    ("kind", "subject", "intro"),
    [
        ("encouragement", "vous encourage", "vous adresse un encouragement"),
        ("question", "vous pose une question", "vous pose une question"),
        ("thanks", "vous remercie", "vous remercie"),
        ("update", "vous donne des nouvelles", "vous donne des nouvelles :"),
    ],
)
def test_a_typed_message_is_sent_under_its_own_subject_both_ways(
    organisation, kind, subject, intro
):
    mentorship = start(organisation)
    mentor, mentee = mentorship.mentor.user, mentorship.mentee

    services.progress_update_post(actor=mentor, mentorship=mentorship, kind=kind, text="Un mot")
    services.progress_update_post(actor=mentee, mentorship=mentorship, kind=kind, text="Réponse")

    to_mentee = Notification.objects.get(
        kind=MentoringNotice.MENTORING_UPDATE, recipient=mentee, channel="email"
    )
    to_mentor = Notification.objects.get(
        kind=MentoringNotice.MENTORING_UPDATE, recipient=mentor, channel="email"
    )
    assert subject in to_mentee.subject and mentor.get_full_name() in to_mentee.subject
    assert intro in to_mentee.body and "Un mot" in to_mentee.body
    assert subject in to_mentor.subject and mentee.get_full_name() in to_mentor.subject
    if kind != "thanks":
        assert "remercie" not in to_mentee.subject + to_mentee.body


def test_a_message_of_an_unknown_type_is_refused(organisation):
    mentorship = start(organisation)

    with pytest.raises(ValidationError):
        services.progress_update_post(
            actor=mentorship.mentor.user, mentorship=mentorship, kind="spam", text="Hop"
        )
    assert not ProgressUpdate.objects.exists()


# -- feedback -----------------------------------------------------------------------------------


def test_the_30_day_feedback_opens_after_30_days_and_is_given_once(organisation):
    mentorship = start(organisation)

    with pytest.raises(ValidationError, match="pas encore ouvert"):
        services.feedback_give(
            actor=mentorship.mentee,
            mentorship=mentorship,
            stage=Feedback.Stage.DAY_30,
            rating=4,
            going_well="",
            to_improve="",
        )
    with freeze_time(timezone.now() + timedelta(days=31)):
        services.feedback_give(
            actor=mentorship.mentee,
            mentorship=mentorship,
            stage=Feedback.Stage.DAY_30,
            rating=4,
            going_well="L'écoute",
            to_improve="",
        )
        with pytest.raises(ValidationError, match="déjà donné"):
            services.feedback_give(
                actor=mentorship.mentee,
                mentorship=mentorship,
                stage=Feedback.Stage.DAY_30,
                rating=2,
                going_well="",
                to_improve="",
            )

    assert Feedback.objects.get().rating == 4


# -- close and extend ---------------------------------------------------------------------------


def test_closing_ends_the_series_frees_the_place_and_invites_both_to_the_end_feedback(
    organisation,
):
    mentorship = signed(organisation)
    mentor = mentorship.mentor
    room = services.mentor_room(mentor)

    services.mentorship_close(
        actor=mentorship.mentee,
        mentorship=mentorship,
        summary="Projet validé, je me lance.",
        expected_version=mentorship.version,
    )

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert mentorship.series.ended_at is not None
    assert not mentorship.series.occurrences.filter(
        start__gt=timezone.now(), status=Occurrence.Status.SCHEDULED
    ).exists()
    assert services.mentor_room(mentor) == room + 1
    invited = Notification.objects.filter(kind=MentoringNotice.MENTORING_FEEDBACK_DUE)
    assert {n.recipient_id for n in invited} == {mentorship.mentee_id, mentor.user_id}
    assert services.feedback_is_open(mentorship, Feedback.Stage.END)


def test_closing_with_a_stale_version_changes_nothing(organisation):
    mentorship = start(organisation)
    services.mentorship_extend(
        actor=mentorship.mentor.user, mentorship=mentorship, months=2, expected_version=1
    )

    with pytest.raises(services.StaleVersion):
        services.mentorship_close(
            actor=mentorship.mentee, mentorship=mentorship, summary="Fin", expected_version=1
        )

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE


def test_extending_moves_the_planned_end_and_plans_the_extra_meetings(organisation):
    mentorship = signed(organisation, duration_months=3)
    before = mentorship.series.occurrences.count()
    planned_end = mentorship.planned_end

    services.mentorship_extend(
        actor=mentorship.mentee,
        mentorship=mentorship,
        months=3,
        expected_version=mentorship.version,
    )

    mentorship.refresh_from_db()
    mentorship.agreement.refresh_from_db()
    assert mentorship.planned_end == planned_end + relativedelta(months=3)
    assert mentorship.extended_times == 1
    assert mentorship.agreement.duration_months == 6
    assert mentorship.agreement.is_signed
    assert f"UNTIL={mentorship.planned_end:%Y%m%d}" in mentorship.series.rrule
    assert mentorship.series.occurrences.count() == before + 3


@pytest.mark.parametrize("months", [0, 7])
def test_an_extension_goes_from_one_to_six_months(organisation, months):
    mentorship = start(organisation)

    with pytest.raises(ValidationError):
        services.mentorship_extend(
            actor=mentorship.mentee, mentorship=mentorship, months=months, expected_version=1
        )


def test_an_ended_mentorship_takes_no_more_news(organisation):
    mentorship = start(organisation)
    services.mentorship_close(
        actor=mentorship.mentor.user, mentorship=mentorship, summary="Fin", expected_version=1
    )

    with pytest.raises(ValidationError, match="terminé"):
        services.goal_add(
            actor=mentorship.mentee, mentorship=mentorship, title="Encore", success_criteria=""
        )


def test_a_stranger_cannot_close_a_mentorship(organisation):
    mentorship = start(organisation)

    with pytest.raises(PermissionDenied):
        services.mentorship_close(
            actor=member(Role.MENTOR, organisation),
            mentorship=mentorship,
            summary="Fin",
            expected_version=1,
        )
