from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tests.notifications.conftest import NOW
from tests.notifications.helpers import occurrence_create
from tisser.accounts.models import Organisation
from tisser.core import daily_jobs
from tisser.notifications.models import Notification

DISPATCH = "tisser.notifications.tasks.notifications_dispatch"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run(*args) -> str:
    out = StringIO()
    call_command("notifications_run", "--once", *args, stdout=out)
    return out.getvalue()


def task_row(path, status, started_minutes_ago=None):
    started = NOW - timedelta(minutes=started_minutes_ago) if started_minutes_ago else None
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=timezone.now(),
        status=status,
        started_at=started,
    )


def test_one_pass_plans_the_reminders_and_delivers_them(group):
    occurrence_create(group, NOW + timedelta(hours=23))

    output = run()

    assert "Envoi des notifications mis en file." in output
    assert "Détection d'inactivité mise en file." in output
    assert len(mail.outbox) == 3  # the meeting reminder, by e-mail, to each participant
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 6


def test_tasks_abandoned_by_a_killed_worker_are_marked_failed(db, clock):
    abandoned = task_row(DISPATCH, TaskResultStatus.RUNNING, started_minutes_ago=31)
    running = task_row(DISPATCH, TaskResultStatus.RUNNING, started_minutes_ago=5)
    other_app = task_row(
        "tisser.accounts.tasks.invitation_email_send",
        TaskResultStatus.RUNNING,
        started_minutes_ago=120,
    )

    output = run()

    assert "1 tâche de notification abandonnée par un worker arrêté" in output
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[abandoned.pk] == TaskResultStatus.FAILED
    assert statuses[running.pk] == TaskResultStatus.RUNNING
    assert statuses[other_app.pk] == TaskResultStatus.RUNNING
    abandoned.refresh_from_db()
    assert abandoned.exception_class_path.endswith("WorkerLostError")
    assert "next notifications_dispatch" in abandoned.traceback


def test_a_dispatch_waiting_for_the_worker_is_not_queued_twice(db, settings):
    settings.TASKS = DATABASE_TASKS

    first = run()
    second = run()

    assert "Envoi des notifications mis en file." in first
    assert "Un envoi des notifications attend déjà le worker." in second
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert list(ready.values_list("task_path", flat=True)) == [DISPATCH]


def queued_jobs() -> list[tuple[str, int]]:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(task_path=DISPATCH)
    return sorted((row.task_path, row.args_kwargs["kwargs"]["organisation_id"]) for row in ready)


def test_each_daily_job_is_queued_once_per_organisation_and_not_twice_while_it_waits(db, settings):
    settings.TASKS = DATABASE_TASKS
    first_org = Organisation.objects.create(name="Un", slug="un")
    second_org = Organisation.objects.create(name="Deux", slug="deux")
    every_job = [job.path for job in daily_jobs.daily_jobs()]

    run()
    # A day later, the second organisation's meetings job has been done, the others still wait.
    DBTaskResult.objects.filter(
        task_path="tisser.meetings.tasks.meetings_plan_ahead",
        args_kwargs__kwargs__organisation_id=second_org.pk,
    ).update(status=TaskResultStatus.SUCCESSFUL)
    with freeze_time(timezone.now() + timedelta(days=1)):
        call_command("notifications_run", "--once", stdout=StringIO())

    # Each job once per organisation (tests/core/test_daily_jobs.py lists them), with the
    # organisation's id as its only argument, and queued again only where none waited.
    assert queued_jobs() == sorted(
        [(path, first_org.pk) for path in every_job] + [(path, second_org.pk) for path in every_job]
    )
    assert (
        DBTaskResult.objects.filter(
            task_path="tisser.meetings.tasks.meetings_plan_ahead",
            args_kwargs__kwargs__organisation_id=second_org.pk,
        ).count()
        == 2
    )
