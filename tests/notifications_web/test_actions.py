"""Action notices expire with their action (ADR 0024): one `resolve(about, kind)` marks every
recipient's notice about that object done, cancels the ones not delivered yet, and the
notification centre reads "Fait" instead of "Non lue"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.notifications_web.factories import NotificationFactory
from tisser.accounts.models import Organisation
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications import kinds
from tisser.notifications.actions import resolve
from tisser.notifications.delivery import Outcome, notification_deliver_one
from tisser.notifications.inbox import notifications_mark_all_read, unread_count
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import notification_create

pytestmark = pytest.mark.django_db

ACTION = MentoringNotice.MENTOR_PROFILE_SUBMITTED


def action_notice(about, **fields) -> Notification:
    notification = NotificationFactory(kind=ACTION, **fields)
    notification.about = about
    notification.save()
    return notification


def test_the_kinds_that_ask_for_an_action_are_declared_so():
    assert set(kinds.action_kinds()) == {
        "convention_deadline",
        "cpf_deadline",
        "followup_proposed",
        "mentor_profile_submitted",
        "mentoring_feedback_due",
        "mentoring_request",
        "mentoring_request_reminder",
        "network_ask_referral",
        "network_follow_up",
        "network_thank",
        "notes_reminder",
        "peer_repair_proposed",
        "synthesis_returned",
        "synthesis_submitted",
    }


def test_an_action_notice_must_say_what_it_is_about():
    with pytest.raises(ValueError, match="about"):
        notification_create(
            recipient=UserFactory(),
            channel=Channel.IN_APP,
            kind=ACTION,
            idempotency_key="action:nothing",
            subject="Profil à valider",
            body="",
        )


def test_resolving_marks_every_recipients_notice_done_and_leaves_the_unread_count():
    subject = Organisation.objects.create(name="A", slug="a")
    other_subject = Organisation.objects.create(name="B", slug="b")
    first, second = action_notice(subject), action_notice(subject)
    read = action_notice(subject, read_at=timezone.now())
    untouched = action_notice(other_subject)
    information = NotificationFactory(recipient=first.recipient)
    assert unread_count(user=first.recipient) == 2

    changed = resolve(subject, ACTION)

    assert changed == 3
    for notification in (first, second, read):
        notification.refresh_from_db()
        assert notification.done_at is not None
        assert notification.status == Notification.Status.SENT
    untouched.refresh_from_db()
    assert untouched.done_at is None
    assert unread_count(user=first.recipient) == 1  # the information notice only
    assert unread_count(user=second.recipient) == 0
    assert notifications_mark_all_read(user=first.recipient) == 1
    information.refresh_from_db()
    assert information.read_at is not None


def test_resolving_again_keeps_the_first_time_and_changes_nothing():
    subject = Organisation.objects.create(name="A", slug="a")
    notification = action_notice(subject)
    resolve(subject, ACTION)
    notification.refresh_from_db()
    done_at = notification.done_at

    assert resolve(subject, ACTION) == 0
    notification.refresh_from_db()
    assert notification.done_at == done_at


def test_a_notice_not_delivered_yet_is_cancelled_and_never_leaves():
    subject = Organisation.objects.create(name="A", slug="a")
    pending = action_notice(
        subject, status=Notification.Status.PENDING, sent_at=None, channel=Channel.EMAIL
    )

    resolve(subject, ACTION)

    pending.refresh_from_db()
    assert pending.status == Notification.Status.CANCELLED
    assert pending.done_at is not None
    assert notification_deliver_one(notification_id=pending.pk) == Outcome.SKIPPED


def test_a_done_notice_found_due_is_cancelled_at_delivery():
    subject = Organisation.objects.create(name="A", slug="a")
    pending = action_notice(
        subject, status=Notification.Status.PENDING, sent_at=None, done_at=timezone.now()
    )

    assert notification_deliver_one(notification_id=pending.pk) == Outcome.CANCELLED
    pending.refresh_from_db()
    assert pending.last_error == "done"


def test_resolving_for_one_recipient_leaves_the_others():
    subject = Organisation.objects.create(name="A", slug="a")
    mine, theirs = action_notice(subject), action_notice(subject)

    resolve(subject, ACTION, recipient=mine.recipient)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.done_at is not None
    assert theirs.done_at is None


def test_resolving_an_information_notice_is_a_programming_error():
    subject = Organisation.objects.create(name="A", slug="a")
    with pytest.raises(ValueError, match="not an action"):
        resolve(subject, MentoringNotice.MENTORING_STARTED)
    with pytest.raises(ValueError):
        resolve(subject)


def test_the_centre_reads_fait_and_counts_it_read(client):
    subject = Organisation.objects.create(name="A", slug="a")
    subject_text = "Profil de mentor à valider : Inès Martin"
    done = action_notice(subject, subject=subject_text)
    resolve(subject, ACTION)
    client.force_login(done.recipient)

    page = client.get(reverse("notifications:list"))

    html = page.content.decode()
    assert subject_text in html
    assert "Fait le" in html
    assert "Non lue" not in html
    assert "Marquer comme lue" not in html
