"""One delivery over real SMTP, to a server started by the test (aiosmtpd on 127.0.0.1).
Real time on purpose: the SMTP server runs an asyncio loop that a frozen clock would upset."""

import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from tests.notifications.helpers import occurrence_create, series_create
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.meetings.reminders import reminders_plan
from tisser.notifications.delivery import message_id_for, notifications_deliver_due
from tisser.notifications.models import Channel, Notification


class Mailbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield mailbox
    finally:
        controller.stop()


def test_a_reminder_is_delivered_over_smtp(smtp_server, people):
    # given a meeting tomorrow, whose organiser is reminded now
    mentor = people["mentor"]
    series = series_create(organiser=mentor, first_start=timezone.now())
    occurrence_create(series, timezone.now() + timedelta(hours=23))
    reminders_plan()
    reminder = Notification.objects.get(kind=MeetingNotice.MEETING_REMINDER, channel=Channel.EMAIL)

    # when due notifications are delivered
    report = notifications_deliver_due()

    # then the SMTP server received exactly that message
    assert report.sent == 2  # the e-mail and its in-app twin
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [mentor.email]
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    reminder.refresh_from_db()
    # Django folds the encoded subject onto a continuation line; the parser keeps its space.
    assert message["Subject"].strip() == reminder.subject
    assert reminder.subject.startswith("Rappel : Groupe de pairs du mardi, ")
    assert message["To"] == mentor.email
    assert message["Message-ID"] == message_id_for(reminder.idempotency_key)
    reminded = "Petit rappel : votre rencontre «\u00a0Groupe de pairs du mardi\u00a0»"
    assert reminded in message.get_content()
    assert reminder.status == Notification.Status.SENT
