from datetime import timedelta

from django.utils import timezone

from tests.factories import member
from tests.mentoring.space_rows import signed, start
from tisser.core.enums import Role
from tisser.meetings.models import Attendance, Occurrence
from tisser.mentoring.followup import followups_plan
from tisser.mentoring.health import health_figures, health_rows, ratings
from tisser.mentoring.models import Feedback, Mentorship
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.tasks import mentoring_followups_plan
from tisser.notifications.models import Notification


def age(mentorship, days: int) -> None:
    """Pretend the mentorship started `days` ago and nothing happened since."""
    moment = timezone.now() - timedelta(days=days)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=moment, last_activity_at=moment)
    mentorship.refresh_from_db()


# -- health -------------------------------------------------------------------------------------


def test_health_counts_meetings_held_and_planned_and_averages_ratings_only(organisation):
    mentorship = signed(organisation)
    first, second, *later = list(mentorship.series.occurrences.order_by("start"))
    past = timezone.now() - timedelta(days=3)
    Occurrence.objects.filter(pk=first.pk).update(start=past - timedelta(days=30), end=past)
    Occurrence.objects.filter(pk=second.pk).update(start=past, end=past + timedelta(hours=1))
    Attendance.objects.create(
        occurrence=first,
        user=mentorship.mentee,
        status=Attendance.Status.PRESENT,
        recorded_by=mentorship.mentor.user,
    )
    for author, rating in ((mentorship.mentee, 5), (mentorship.mentor.user, 4)):
        Feedback.objects.create(
            mentorship=mentorship,
            author=author,
            stage=Feedback.Stage.DAY_30,
            rating=rating,
            going_well="secret",
        )

    (row,) = health_rows(organisation)

    assert (row.held, row.held_with_presence, row.planned) == (2, 1, len(later))
    # Two people's ratings: never a mentorship's own average, nor the organisation's.
    assert not hasattr(row, "rating_day_30")
    assert all(not figure.shown for figure in ratings(organisation).values())
    assert row.agreement_signed
    assert row.last_activity >= past
    assert not hasattr(row, "going_well")


def test_health_flags_a_mentorship_quiet_for_45_days(organisation):
    quiet, lively = start(organisation), start(organisation)
    age(quiet, 46)
    age(lively, 46)
    Mentorship.objects.filter(pk=lively.pk).update(
        last_activity_at=timezone.now() - timedelta(days=2)
    )

    flags = {row.mentorship.pk: row.inactive for row in health_rows(organisation)}

    assert flags == {quiet.pk: True, lively.pk: False}
    # The database counts what the rows flag (the health page's and the hub's figure).
    assert health_figures(organisation, now=timezone.now()) == {"active": 2, "inactive": 1}


def test_health_takes_a_bounded_number_of_queries(organisation, django_assert_max_num_queries):
    for _ in range(6):
        signed(organisation)

    with django_assert_max_num_queries(2):
        rows = health_rows(organisation)

    assert len(rows) == 6


# -- the daily follow-ups -----------------------------------------------------------------------


def test_the_30_day_feedback_invitation_goes_once_to_whoever_has_not_answered(organisation):
    mentorship = start(organisation)
    age(mentorship, 31)
    Feedback.objects.create(
        mentorship=mentorship, author=mentorship.mentor.user, stage=Feedback.Stage.DAY_30, rating=3
    )

    first = followups_plan()
    second = followups_plan()

    invited = Notification.objects.filter(kind=MentoringNotice.MENTORING_FEEDBACK_DUE)
    assert first["feedback_due"] == invited.count() > 0
    assert second["feedback_due"] == 0
    assert {n.recipient_id for n in invited} == {mentorship.mentee_id}
    assert invited.first().url.endswith("/avis/day_30/")


def test_no_30_day_invitation_before_30_days_nor_long_after(organisation):
    young, old = start(organisation), start(organisation)
    age(young, 20)
    age(old, 90)
    Mentorship.objects.filter(pk=old.pk).update(last_activity_at=timezone.now())

    assert followups_plan()["feedback_due"] == 0


def test_a_quiet_mentorship_alerts_the_coordinators_once_per_silence(organisation, people):
    mentorship = start(organisation)
    other_coordinator = member(Role.COORDINATOR)  # another organisation
    age(mentorship, 50)

    mentoring_followups_plan.enqueue()
    followups_plan()

    alerts = Notification.objects.filter(kind=MentoringNotice.MENTORING_INACTIVE)
    assert [n.recipient for n in alerts] == [people["coordinator"]]
    assert other_coordinator.pk not in {n.recipient_id for n in alerts}

    # news, then a new silence: a new alert
    Mentorship.objects.filter(pk=mentorship.pk).update(
        last_activity_at=timezone.now() - timedelta(days=46)
    )
    assert followups_plan()["inactive"] == 1
    assert Notification.objects.filter(kind=MentoringNotice.MENTORING_INACTIVE).count() == 2


def test_a_recent_meeting_counts_as_activity(organisation, people):
    mentorship = signed(organisation)
    age(mentorship, 60)
    meeting = mentorship.series.occurrences.order_by("start").first()
    held = timezone.now() - timedelta(days=10)
    Occurrence.objects.filter(pk=meeting.pk).update(start=held, end=held + timedelta(hours=1))

    assert followups_plan()["inactive"] == 0
