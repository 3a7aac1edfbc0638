"""What `manage.py notifications_run` does at each tick: queue the outbox tasks, and tidy up
after workers that were killed.

How django_tasks_db 0.12 behaves (read in its source, `db_worker.py` and `models.py`):
`db_worker` claims a task in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED` on the
READY rows, then READY → RUNNING with its worker id), commits, runs the task outside any
transaction and finally records SUCCESSFUL or FAILED. `tisser_worker` keeps that claim (its loop
only survives database errors and records a heartbeat, ADR 0010). There is no lease or retry: a
worker killed while running a task leaves its row RUNNING forever, and no worker picks it up
again (the daily pruning, `task_results_prune`, only removes finished rows).

The outbox does not depend on that row. A task is only a prompt to look at the outbox; the state
lives in the `Notification` rows, and the scheduler enqueues a fresh `notifications_dispatch`
every interval, so whatever a killed task left PENDING goes out with the next one. Recovering the
abandoned task rows is bookkeeping: a notification task RUNNING for longer than
`TISSER_TASK_STALE_MINUTES` (30 by default; a dispatch takes seconds) is marked FAILED with an
explanation, so that it neither looks busy forever nor escapes pruning. It is not re-enqueued:
the next tick does that job. So that a stopped worker does not leave a pile of identical tasks
behind, a task is not enqueued again while a previous one still waits (READY) to be picked up.

The daily jobs (`tisser.core.daily_jobs`) are queued once per organisation
(`task.enqueue(organisation_id=pk)`), so that several workers share a platform's load. The
"not while one still waits" rule then holds per (task, organisation): django_tasks_db stores a
task's arguments in `DBTaskResult.args_kwargs` (`{"args": [], "kwargs": {"organisation_id": 3}}`),
read back in one query for all the jobs (`daily_jobs_enqueue`)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tisser.accounts.models import Organisation
from tisser.core.daily_jobs import DailyJob
from tisser.notifications.tasks import notifications_dispatch

TASK_MODULE = "tisser.notifications.tasks."


class WorkerLostError(Exception):
    """Recorded on a task row whose worker disappeared while running it."""


def stale_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "TISSER_TASK_STALE_MINUTES", 30))


def _goes_through_database(task: Task) -> bool:
    return isinstance(task.get_backend(), DatabaseBackend)


def _waiting(task: Task) -> bool:
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task.module_path, backend_name=task.backend
    ).exists()


def task_enqueue_unless_waiting(task: Task) -> bool:
    """Enqueue `task` (no arguments) unless the same task already waits in the database queue.
    Returns whether it was enqueued. With a backend that runs tasks at once, always runs it."""
    if _goes_through_database(task) and _waiting(task):
        return False
    task.enqueue()
    return True


def _waiting_per_organisation(jobs: list[DailyJob]) -> set[tuple[str, int | None]]:
    """The (task path, organisation id) of the daily jobs that wait (READY) in the database
    queue: one query, whatever the number of jobs and organisations."""
    queued = [job.task for job in jobs if _goes_through_database(job.task)]
    if not queued:
        return set()
    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path__in={task.module_path for task in queued},
        backend_name__in={task.backend for task in queued},
    ).values_list("task_path", "args_kwargs")
    return {
        (path, (args_kwargs or {}).get("kwargs", {}).get("organisation_id"))
        for path, args_kwargs in rows
    }


def daily_jobs_enqueue(jobs: tuple[DailyJob, ...] | list[DailyJob]) -> list[DailyJob]:
    """Queue every job once per organisation (`task.enqueue(organisation_id=pk)`), except where
    the same (job, organisation) still waits for a worker. Returns the jobs of which at least
    one task was queued. With a backend that runs tasks at once, runs them all."""
    jobs = list(jobs)
    organisation_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    waiting = _waiting_per_organisation(jobs)
    queued = []
    for job in jobs:
        enqueued = False
        for organisation_id in organisation_ids:
            if (job.path, organisation_id) in waiting:
                continue
            job.task.enqueue(organisation_id=organisation_id)
            enqueued = True
        if enqueued:
            queued.append(job)
    return queued


def dispatch_enqueue() -> bool:
    return task_enqueue_unless_waiting(notifications_dispatch)


def abandoned_tasks_recover(
    *, now: datetime | None = None, older_than: timedelta | None = None
) -> int:
    """Mark FAILED the notification tasks left RUNNING by a worker that died (RUNNING for more
    than `older_than`). Returns how many. Their work is redone by the next dispatch."""
    now = now or timezone.now()
    older_than = stale_after() if older_than is None else older_than
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        task_path__startswith=TASK_MODULE,
        started_at__lte=now - older_than,
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{__name__}.{WorkerLostError.__name__}",
        traceback=(
            f"The worker running this task stopped answering: still RUNNING after {older_than}. "
            "Nothing to redo by hand: the notifications it had not committed are still pending "
            "and are delivered by the next notifications_dispatch."
        ),
    )
