"""E-mail backends for the delivery tests.

`RecordingEmailBackend` is the one the real-worker test uses. For every message it:

1. appends a line "<pid> <Message-ID>" to the file `TISSER_TEST_EMAIL_LOG` — an attempt log,
   outside any transaction, like an SMTP server that has accepted the message;
2. waits `TISSER_TEST_EMAIL_DELAY` seconds, so that a worker can be killed mid-send;
3. inserts a row into the table `notif_test_sent_email` on the default database connection, i.e.
   inside the transaction in which the outbox marks the notification SENT.

The table is the delivery record of a *transactional* channel: a row exists if and only if the
outbox committed the send, so "one row per message" proves the outbox's exactly-once claim
(a file written with O_EXCL would not: it is outside the transaction and would only show that a
re-send happened, not prevent it). The attempt log shows the other half of the truth, the SMTP
case: a message whose worker died after the send but before the commit is attempted again."""

import os
import time
from email.utils import make_msgid

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

TABLE = "notif_test_sent_email"


def sent_table_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            "message_id VARCHAR(200) NOT NULL, recipient VARCHAR(254) NOT NULL, pid INTEGER)"
        )


def sent_table_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class RecordingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = getattr(settings, "TISSER_TEST_EMAIL_DELAY", 0)
        log = getattr(settings, "TISSER_TEST_EMAIL_LOG", "")
        for message in email_messages:
            message_id = message.extra_headers.get("Message-ID") or make_msgid()
            if log:
                with open(log, "a", encoding="utf-8") as attempts:
                    attempts.write(f"{os.getpid()} {message_id}\n")
            if delay:
                time.sleep(delay)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} (message_id, recipient, pid) VALUES (%s, %s, %s)",
                    [message_id, message.to[0], os.getpid()],
                )
        return len(email_messages)


class FlakyEmailBackend(BaseEmailBackend):
    """Refuses every message to an address starting with "broken"; keeps the others in
    `django.core.mail.outbox` like the locmem backend."""

    def send_messages(self, email_messages):
        from django.core import mail

        for message in email_messages:
            if message.to[0].startswith("broken"):
                raise ConnectionRefusedError("the SMTP server is unreachable")
            mail.outbox.append(message)
        return len(email_messages)
