from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import member
from tests.notifications.conftest import NOW
from tisser.core.enums import Role
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.notifications.delivery import (
    backoff,
    message_id_for,
    notification_deliver_one,
    notifications_deliver_due,
)
from tisser.notifications.models import Channel, Notification
from tisser.notifications.services import notification_create

FLAKY = "tests.notifications.recording_backend.FlakyEmailBackend"
Status = Notification.Status


def notice(recipient, channel=Channel.EMAIL, *, key="notice-1", **fields):
    return notification_create(
        recipient=recipient,
        channel=channel,
        kind=MeetingNotice.MEETING_CHANGED,
        idempotency_key=key,
        subject="Rencontre déplacée : Groupe de pairs, désormais jeudi 5 mars à 18:00",
        body="La rencontre a été déplacée.\n",
        url="/rencontres/1/",
        **fields,
    )


def test_creating_twice_returns_the_first_row(people, clock):
    first = notice(people["beneficiary"])

    second = notification_create(
        recipient=people["mentor"],
        channel=Channel.IN_APP,
        kind=MeetingNotice.MEETING_CANCELLED,
        idempotency_key="notice-1",
        subject="autre",
        body="autre",
    )

    assert second.pk == first.pk
    assert second.recipient == people["beneficiary"]
    assert Notification.objects.count() == 1


def test_a_due_email_is_sent_once_and_a_second_run_sends_nothing(people, clock):
    notification = notice(people["beneficiary"])

    first = notifications_deliver_due()
    second = notifications_deliver_due()

    assert (first.sent, second.handled) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people["beneficiary"].email]
    assert message.subject == notification.subject
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.sent_at == NOW


def test_delivering_one_twice_sends_once(people, clock):
    notification = notice(people["beneficiary"])

    outcomes = [notification_deliver_one(notification_id=notification.pk) for _ in range(2)]

    assert outcomes == ["sent", "skipped"]
    assert len(mail.outbox) == 1


def test_the_message_id_is_derived_from_the_idempotency_key(people, clock):
    notice(people["beneficiary"])

    notifications_deliver_due()

    message_id = mail.outbox[0].message()["Message-ID"]
    assert message_id == message_id_for("notice-1")
    assert message_id == message_id_for("notice-1")  # stable
    assert message_id != message_id_for("notice-2")
    assert message_id.startswith("<notification.") and message_id.endswith("@127.0.0.1>")


def test_an_in_app_notification_is_marked_sent_without_email(people, clock):
    notification = notice(people["beneficiary"], Channel.IN_APP)

    report = notifications_deliver_due()

    assert report.sent == 1
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert list(Notification.objects.unread_in_app()) == [notification]


def test_nothing_is_sent_before_its_time(people, clock):
    notice(people["beneficiary"], scheduled_for=NOW + timedelta(minutes=1))

    assert notifications_deliver_due().handled == 0
    clock.move_to(NOW + timedelta(minutes=1))
    assert notifications_deliver_due().sent == 1


def test_the_oldest_go_first_within_the_limit(people, clock):
    for minutes in (3, 1, 2):
        notice(
            people["beneficiary"],
            key=f"notice-{minutes}",
            scheduled_for=NOW - timedelta(minutes=minutes),
        )

    report = notifications_deliver_due(limit=2)

    assert report.sent == 2
    assert Notification.objects.get(status=Status.PENDING).idempotency_key == "notice-1"


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=4)),
        (3, timedelta(minutes=16)),
        (10, timedelta(hours=6)),
    ],
)
def test_backoff_grows_fourfold_and_is_capped(attempts, wait):
    assert backoff(attempts) == wait


def test_a_failing_send_is_retried_with_backoff_then_failed_and_shown_to_coordinators(
    people, organisation, settings, clock
):
    # given a person whose mailbox cannot be reached, and 3 attempts allowed
    settings.EMAIL_BACKEND = FLAKY
    settings.TISSER_NOTIFICATION_MAX_ATTEMPTS = 3
    unreachable = member(Role.BENEFICIARY, organisation, user__email="broken@example.org")
    notification = notice(unreachable)
    notice(people["beneficiary"], key="notice-ok")

    # when the first attempt fails, the other message still leaves
    report = notifications_deliver_due()
    assert (report.sent, report.retry) == (1, 1)
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == NOW + timedelta(minutes=1)
    assert notification.last_error == "ConnectionRefusedError: the SMTP server is unreachable"

    # then it is not tried again before its backoff
    clock.move_to(NOW + timedelta(seconds=59))
    assert notifications_deliver_due().handled == 0
    clock.move_to(NOW + timedelta(minutes=1))
    assert notifications_deliver_due().retry == 1
    notification.refresh_from_db()
    assert notification.next_attempt_at == NOW + timedelta(minutes=1 + 4)

    # and after the third failure it is given up and shown to the coordinator
    clock.move_to(NOW + timedelta(minutes=5))
    assert notifications_deliver_due().failed == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 3)
    assert list(Notification.objects.failed_for_coordinator(people["coordinator"])) == [
        notification
    ]
    clock.move_to(NOW + timedelta(days=1))
    assert notifications_deliver_due().handled == 0
    assert len(mail.outbox) == 1


def test_a_retry_that_succeeds_is_sent(people, organisation, settings, clock):
    settings.EMAIL_BACKEND = FLAKY
    person = member(Role.BENEFICIARY, organisation, user__email="broken@example.org")
    notification = notice(person)
    notifications_deliver_due()

    person.email = "retrouvee@example.org"
    person.save()
    clock.move_to(NOW + timedelta(minutes=1))
    notifications_deliver_due()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 1)
    assert [m.to for m in mail.outbox] == [["retrouvee@example.org"]]


def test_nothing_goes_to_a_deactivated_person_or_by_email_once_turned_off(people, clock):
    from tests.notifications.helpers import preference_set

    people["mentor"].is_active = False
    people["mentor"].save()
    preference_set(people["beneficiary"], email_reminders=False)
    notice(people["mentor"], key="to-mentor")
    notice(people["beneficiary"], key="to-beneficiary")
    in_app = notice(people["beneficiary"], Channel.IN_APP, key="to-beneficiary-in-app")

    report = notifications_deliver_due()

    assert (report.cancelled, report.sent) == (2, 1)
    assert mail.outbox == []
    in_app.refresh_from_db()
    assert in_app.status == Status.SENT


def test_a_digest_with_nothing_left_is_cancelled(people, clock):
    from tisser.notifications.digest import digest_include

    digest_include(user=people["beneficiary"], scheduled_for=NOW)

    report = notifications_deliver_due()

    assert report.cancelled == 1
    assert mail.outbox == []
