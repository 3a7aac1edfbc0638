"""Requests: who may write to whom, the mentor's answer, the reminder and the expiry."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.mentoring import services
from tisser.mentoring.models import DeclaredConflict, Mentorship, MentorshipRequest
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.mentoring.tasks import mentoring_requests_remind
from tisser.notifications.models import Notification

Status = MentorshipRequest.Status


@pytest.fixture
def pair(rome, organisation):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=2)
    needs = mentee_profile(organisation, targets=["A1901"])
    return needs, mentor


def send(needs, mentor, message="Bonjour, je vous écris pour mon projet."):
    return services.mentorship_request_create(mentee=needs.user, mentor=mentor, message=message)


def test_a_request_keeps_its_score_and_explanation_and_tells_the_mentor(pair):
    needs, mentor = pair

    sent = send(needs, mentor)

    assert sent.status == Status.PENDING
    assert sent.respond_by - sent.sent_at == timedelta(days=7)
    assert 0 < sent.score <= 1
    assert sent.explanation[0]["factor"] == "fiche"
    notices = Notification.objects.filter(recipient=mentor.user)
    assert {n.kind for n in notices} == {MentoringNotice.MENTORING_REQUEST}
    assert {n.channel for n in notices} == {"in_app", "email"}
    assert all(n.url == f"/mentorat/demandes/{sent.pk}/" for n in notices)
    assert AuditEvent.objects.filter(action="mentorship_request_create").count() == 1


def test_the_draft_says_why_this_mentor_from_the_top_factors(pair):
    needs, mentor = pair
    explained = services.mentorship_request_explain(mentee_profile=needs, mentor=mentor)

    draft = services.mentorship_request_draft(
        mentee_profile=needs, mentor=mentor, explanation=explained.rows
    )

    assert draft.startswith(f"Bonjour {mentor.user.first_name},")
    assert "je vous contacte parce que vous exercez le métier que je vise" in draft
    assert "créneaux en commun (mardi soir)" in draft
    assert draft.rstrip().endswith(needs.user.first_name)


def _pending_elsewhere(needs, organisation, count):
    for _ in range(count):
        send(needs, mentor_profile(organisation, fiches=["A1901"]))


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        ("pending", "déjà une demande en attente"),
        ("active", "déjà votre mentor"),
        ("conflict", "incompatibilité est déclarée"),
        ("three_pending", "3 demandes en attente"),
        ("full", "n'a plus de place"),
        ("paused", "en pause"),
    ],
)
def test_a_request_is_refused_with_the_reason(pair, organisation, situation, expected):
    needs, mentor = pair
    if situation == "pending":
        send(needs, mentor)
    elif situation == "active":
        services.mentorship_start(
            mentee=needs.user,
            mentor=mentor,
            origin=Mentorship.Origin.ROUND,
            by=member(Role.COORDINATOR, organisation),
        )
    elif situation == "conflict":
        DeclaredConflict.objects.create(
            organisation=organisation,
            mentee=needs.user,
            mentor=mentor,
            reason=DeclaredConflict.Reason.REPORTING_LINE,
        )
    elif situation == "three_pending":
        _pending_elsewhere(needs, organisation, 3)
    elif situation == "full":
        for _ in range(2):
            services.mentorship_start(
                mentee=member(Role.BENEFICIARY, organisation),
                mentor=mentor,
                origin=Mentorship.Origin.ROUND,
                by=member(Role.COORDINATOR, organisation),
            )
    elif situation == "paused":
        mentor.paused_at = timezone.now()
        mentor.save()
    before = MentorshipRequest.objects.count()

    with pytest.raises(ValidationError) as refused:
        send(needs, mentor)

    assert expected in refused.value.messages[0]
    assert MentorshipRequest.objects.count() == before


def test_someone_who_is_not_a_beneficiary_of_the_organisation_cannot_write(pair):
    _needs, mentor = pair
    stranger = member(Role.BENEFICIARY)

    with pytest.raises(PermissionDenied):
        services.mentorship_request_create(mentee=stranger, mentor=mentor, message="Bonjour")


def test_accepting_starts_the_mentorship_and_tells_the_mentee(pair):
    needs, mentor = pair
    sent = send(needs, mentor)

    mentorship = services.mentorship_request_accept(
        mentorship_request=sent, by=mentor.user, answer="Avec plaisir !"
    )

    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED and sent.answer == "Avec plaisir !"
    assert mentorship.request == sent and mentorship.origin == Mentorship.Origin.REQUEST
    told = Notification.objects.get(recipient=needs.user, channel="in_app")
    assert told.kind == MentoringNotice.MENTORING_REQUEST_ANSWERED
    assert "a accepté" in told.subject and "Avec plaisir !" in told.body


def test_only_the_mentor_answers_and_only_a_pending_request_in_time(pair):
    needs, mentor = pair
    sent = send(needs, mentor)

    with pytest.raises(PermissionDenied):
        services.mentorship_request_accept(mentorship_request=sent, by=needs.user)
    MentorshipRequest.objects.filter(pk=sent.pk).update(
        respond_by=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expirée"):
        services.mentorship_request_accept(mentorship_request=sent, by=mentor.user)
    assert not Mentorship.objects.exists()


def test_an_answered_request_cannot_be_accepted_or_withdrawn(pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    services.mentorship_request_decline(mentorship_request=sent, by=mentor.user, answer="Désolé")

    with pytest.raises(ValidationError, match="déclinée"):
        services.mentorship_request_accept(mentorship_request=sent, by=mentor.user)
    with pytest.raises(ValidationError):
        services.mentorship_request_withdraw(mentorship_request=sent, by=needs.user)
    assert not Mentorship.objects.exists()


def test_a_full_mentor_accepting_gets_capacity_reached_and_the_request_stays_pending(
    pair, organisation
):
    needs, mentor = pair
    sent = send(needs, mentor)
    for _ in range(2):
        services.mentorship_start(
            mentee=member(Role.BENEFICIARY, organisation),
            mentor=mentor,
            origin=Mentorship.Origin.ROUND,
            by=member(Role.COORDINATOR, organisation),
        )

    with pytest.raises(services.CapacityReached):
        services.mentorship_request_accept(mentorship_request=sent, by=mentor.user)

    sent.refresh_from_db()
    assert sent.status == Status.PENDING and sent.answered_at is None
    assert not Notification.objects.filter(recipient=needs.user).exists()


def test_the_mentee_withdraws_and_may_write_again(pair):
    needs, mentor = pair
    sent = send(needs, mentor)

    with pytest.raises(PermissionDenied):
        services.mentorship_request_withdraw(mentorship_request=sent, by=mentor.user)
    services.mentorship_request_withdraw(mentorship_request=sent, by=needs.user)

    sent.refresh_from_db()
    assert sent.status == Status.WITHDRAWN
    assert send(needs, mentor).status == Status.PENDING


def test_the_daily_task_reminds_once_two_days_before_then_expires_and_is_safe_twice(pair):
    needs, mentor = pair
    sent = send(needs, mentor)
    reminders = Notification.objects.filter(kind=MentoringNotice.MENTORING_REQUEST_REMINDER)

    early = services.mentorship_requests_follow_up(now=sent.sent_at + timedelta(days=4))
    due = sent.respond_by - timedelta(days=1)
    first = services.mentorship_requests_follow_up(now=due)
    again = services.mentorship_requests_follow_up(now=due + timedelta(hours=2))

    assert (early.reminded, first.reminded, again.reminded) == (0, 1, 0)
    assert reminders.filter(recipient=mentor.user).count() == 2  # in the app and by e-mail
    sent.refresh_from_db()
    assert sent.status == Status.PENDING and sent.reminded_at == due

    after = sent.respond_by + timedelta(minutes=1)
    expired = services.mentorship_requests_follow_up(now=after)
    twice = services.mentorship_requests_follow_up(now=after + timedelta(days=1))

    assert (expired.expired, twice.expired) == (1, 0)
    sent.refresh_from_db()
    assert sent.status == Status.EXPIRED
    told = Notification.objects.filter(
        recipient=needs.user, kind=MentoringNotice.MENTORING_REQUEST_ANSWERED
    )
    assert told.count() == 2
    assert all(n.url == "/mentorat/suggestions/" for n in told)
    assert "sans réponse" in told.first().subject


def test_the_task_expires_what_is_overdue(pair):
    needs, mentor = pair
    overdue = send(needs, mentor)
    MentorshipRequest.objects.filter(pk=overdue.pk).update(
        respond_by=timezone.now() - timedelta(hours=1)
    )

    result = mentoring_requests_remind.enqueue()

    assert result.return_value == {"reminded": 0, "expired": 1}
    overdue.refresh_from_db()
    assert overdue.status == Status.EXPIRED
