"""The mentoring notices name their subject, and those asking for an action are done once it
is done, by anyone (ADR 0024): a profile validated by one coordinator, a request answered,
withdrawn or expired, a feedback given."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tests.mentoring.space_rows import start
from tests.mentoring.test_profiles_services import mentor_data
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.followup import followups_plan
from tisser.mentoring.models import Feedback, MentorProfile
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications.delivery import notifications_deliver_due
from tisser.notifications.inbox import unread_count
from tisser.notifications.models import Notification

Kind = MentoringNotice


def notices(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def test_a_profile_validated_by_one_coordinator_is_done_for_every_coordinator(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    mentor.first_name, mentor.last_name = "Inès", "Martin"
    mentor.save(update_fields=["first_name", "last_name"])
    first, second = (member(Role.COORDINATOR, organisation) for _ in range(2))
    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data()
    )
    services.mentor_profile_submit(user=mentor, profile=profile)
    notifications_deliver_due()
    to_validate = notices(Kind.MENTOR_PROFILE_SUBMITTED, channel="in_app")
    assert {n.subject for n in to_validate} == {"Profil de mentor à valider : Inès Martin"}
    assert unread_count(user=second) == 1

    services.mentor_profile_review(coordinator=first, profile=profile, approve=True)

    assert all(n.done_at is not None for n in notices(Kind.MENTOR_PROFILE_SUBMITTED))
    assert unread_count(user=second) == 0
    reviewed = notices(Kind.MENTOR_PROFILE_REVIEWED, recipient=mentor, channel="in_app").get()
    assert first.get_full_name() in reviewed.body
    assert reviewed.done_at is None  # information, not an action


def test_a_profile_submitted_again_asks_again(rome, organisation):
    mentor = member(Role.MENTOR, organisation)
    coordinator = member(Role.COORDINATOR, organisation)
    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data()
    )
    services.mentor_profile_submit(user=mentor, profile=profile)
    services.mentor_profile_review(
        coordinator=coordinator, profile=profile, approve=False, note="Vos horaires ?"
    )

    services.mentor_profile_submit(user=mentor, profile=profile)

    waiting = notices(Kind.MENTOR_PROFILE_SUBMITTED, recipient=coordinator, done_at__isnull=True)
    assert waiting.count() == 2  # in the app and by e-mail, for the new version


@pytest.fixture
def pair(rome, organisation):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=2)
    needs = mentee_profile(organisation, targets=["A1901"])
    return needs, mentor


def send(needs, mentor):
    return services.mentorship_request_create(
        mentee=needs.user, mentor=mentor, message="Bonjour, je vous écris pour mon projet."
    )


@pytest.mark.parametrize("answer", ["accept", "decline", "withdraw"])
def test_a_request_answered_or_withdrawn_no_longer_waits_for_the_mentor(pair, answer):
    needs, mentor = pair
    sent = send(needs, mentor)
    notifications_deliver_due()

    if answer == "accept":
        services.mentorship_request_accept(mentorship_request=sent, by=mentor.user)
    elif answer == "decline":
        services.mentorship_request_decline(mentorship_request=sent, by=mentor.user)
    else:
        services.mentorship_request_withdraw(mentorship_request=sent, by=needs.user)

    received = notices(Kind.MENTORING_REQUEST, recipient=mentor.user)
    assert received.count() == 2
    assert all(n.done_at is not None for n in received)
    assert unread_count(user=mentor.user) == 0


def test_an_expired_request_closes_its_reminder_too(pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    services.mentorship_requests_follow_up(now=sent.respond_by - timedelta(days=1))
    assert notices(Kind.MENTORING_REQUEST_REMINDER).exists()

    services.mentorship_requests_follow_up(now=sent.respond_by + timedelta(minutes=1))

    for kind in (Kind.MENTORING_REQUEST, Kind.MENTORING_REQUEST_REMINDER):
        assert not notices(kind, done_at__isnull=True).exists()


def test_the_reminder_elides_before_a_vowel(pair, organisation):
    needs, mentor = pair
    needs.user.first_name = "Amandine"
    needs.user.save(update_fields=["first_name"])
    sent = send(needs, mentor)

    services.mentorship_requests_follow_up(now=sent.respond_by - timedelta(days=1))

    reminder = notices(Kind.MENTORING_REQUEST_REMINDER, channel="in_app").get()
    assert reminder.subject.startswith("Demande de mentorat d'Amandine : ")


def test_a_feedback_given_is_done_for_its_author_only(organisation):
    mentorship = start(organisation)
    with freeze_time(timezone.now() + timedelta(days=31)):
        followups_plan()
        invited = notices(Kind.MENTORING_FEEDBACK_DUE)
        assert {n.recipient_id for n in invited} == {
            mentorship.mentee_id,
            mentorship.mentor.user_id,
        }
        mentor_name = mentorship.mentor.user.get_full_name()
        mentee_notice = invited.filter(recipient=mentorship.mentee, channel="in_app").get()
        assert mentor_name in mentee_notice.subject

        services.feedback_give(
            actor=mentorship.mentee,
            mentorship=mentorship,
            stage=Feedback.Stage.DAY_30,
            rating=4,
            going_well="L'écoute",
            to_improve="",
        )

    assert all(n.done_at for n in invited.filter(recipient=mentorship.mentee))
    assert not any(n.done_at for n in invited.filter(recipient=mentorship.mentor.user))


def test_the_migration_marks_the_stale_profile_notices_done(rome, organisation):
    """Notices written before ADR 0024 carry no subject: the data migration finds it in their
    key and marks done those whose profile was reviewed since."""
    from importlib import import_module

    migration = import_module("tisser.mentoring.migrations.0003_notices_about_their_subject")
    mentor = member(Role.MENTOR, organisation)
    coordinator = member(Role.COORDINATOR, organisation)
    profile = services.mentor_profile_save(
        user=mentor, organisation=organisation, data=mentor_data()
    )
    services.mentor_profile_submit(user=mentor, profile=profile)
    MentorProfile.objects.filter(pk=profile.pk).update(status=MentorProfile.Status.VALIDATED)
    old = notices(Kind.MENTOR_PROFILE_SUBMITTED, recipient=coordinator)
    old.update(about_type=None, about_id=None)

    migration.forwards(apps, None)

    assert old.count() == 2
    assert all(n.about == profile and n.done_at is not None for n in old)
