"""The data side of the real-worker test, run in a process of its own with
`DJANGO_SETTINGS_MODULE=tests.notifications.worker_settings` (the test process may not reach the
database the workers use: on SQLite its own is in memory).

    python -m tests.notifications.worker_scenario seed COUNT DISPATCHES
    python -m tests.notifications.worker_scenario report

`seed` creates the delivery table, COUNT due e-mail notifications and DISPATCHES queued
`notifications_dispatch` tasks; `report` prints, as JSON, what the database says happened."""

import json
import sys
from datetime import timedelta

import django


def seed(count: int, dispatches: int) -> None:
    from django.utils import timezone

    from tests.notifications.recording_backend import sent_table_create
    from tisser.accounts.models import Organisation, User
    from tisser.meetings.notice_kinds import MeetingNotice
    from tisser.notifications.models import Channel
    from tisser.notifications.services import notification_create
    from tisser.notifications.tasks import notifications_dispatch

    sent_table_create()
    # The daily jobs are queued once per organisation (tisser.core.daily_jobs).
    Organisation.objects.create(name="Organisme", slug="organisme")
    people = [User.objects.create_user(f"personne{i}@example.org") for i in range(20)]
    due = timezone.now() - timedelta(minutes=1)
    for i in range(count):
        notification_create(
            recipient=people[i % len(people)],
            channel=Channel.EMAIL,
            kind=MeetingNotice.MEETING_CHANGED,
            idempotency_key=f"worker-test:{i}",
            subject=f"Rencontre déplacée n° {i}",
            body="La rencontre a été déplacée.\n",
            scheduled_for=due,
        )
    for _ in range(dispatches):
        notifications_dispatch.enqueue()


def report() -> dict:
    from django.db import connection
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from tests.notifications.recording_backend import TABLE
    from tisser.notifications.delivery import message_id_for
    from tisser.notifications.models import Notification

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT message_id, COUNT(*) FROM {TABLE} GROUP BY message_id")
        recorded = dict(cursor.fetchall())
    keys = Notification.objects.values_list("idempotency_key", flat=True)
    tasks = DBTaskResult.objects.values("task_path", "status", "exception_class_path")
    return {
        "statuses": dict(
            Notification.objects.values_list("status").annotate(n=Count("id")).order_by()
        ),
        "recorded_total": sum(recorded.values()),
        "recorded_twice": sorted(mid for mid, n in recorded.items() if n > 1),
        "never_recorded": sorted(key for key in keys if message_id_for(key) not in recorded),
        "tasks": [
            {**task, "exception_class_path": task["exception_class_path"].rsplit(".", 1)[-1]}
            for task in tasks.order_by("enqueued_at")
        ],
    }


if __name__ == "__main__":
    django.setup()
    command = sys.argv[1]
    if command == "seed":
        seed(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "report":
        print(json.dumps(report()))
    else:
        raise SystemExit(f"unknown command {command!r}")
