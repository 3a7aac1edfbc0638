"""What `manage.py notifications_run` does at each tick: queue the outbox tasks, and tidy up
after workers that were killed.

How django_tasks_db 0.12 behaves (read in its source, `db_worker.py` and `models.py`):
`db_worker` claims a task in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED` on the
READY rows, then READY → RUNNING with its worker id), commits, runs the task outside any
transaction and finally records SUCCESSFUL or FAILED. There is no heartbeat, lease or retry: a
worker killed while running a task leaves its row RUNNING forever, and no worker picks it up
again (`prune_db_task_results` only removes finished rows).

The outbox does not depend on that row. A task is only a prompt to look at the outbox; the state
lives in the `Notification` rows, and the scheduler enqueues a fresh `notifications_dispatch`
every interval, so whatever a killed task left PENDING goes out with the next one. Recovering the
abandoned task rows is bookkeeping: a notification task RUNNING for longer than
`TISSER_TASK_STALE_MINUTES` (30 by default; a dispatch takes seconds) is marked FAILED with an
explanation, so that it neither looks busy forever nor escapes pruning. It is not re-enqueued:
the next tick does that job. So that a stopped worker does not leave a pile of identical tasks
behind, a task is not enqueued again while a previous one still waits (READY) to be picked up."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

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
