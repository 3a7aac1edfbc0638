"""The task worker that never stops silently (ADR 0010; what the coordinator's home says about
it, and the pruning of finished task rows, are in `tisser.core.taskqueue`).

Why not `manage.py db_worker` as is (django_tasks_db 0.12, read in `db_worker.py`): its loop
only tolerates "database is locked" on the `SELECT`; on SQLite the lock is met earlier, on the
`BEGIN EXCLUSIVE` that opens the claim, and the `OperationalError` leaves `Worker.run`. Without
autoreload the process exits; with it (`make run`: DEBUG) the loop ran in a thread that dies
while the reloader keeps the process alive, doing nothing. `ResilientWorker` keeps the
library's claim and `run_task`, but its loop logs any error, backs off and goes on, and records
a heartbeat (`WorkerHeartbeat`)."""

import logging
import os
import random
import socket
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from tisser.core.models import WorkerHeartbeat

logger = logging.getLogger("tisser.worker")

# The longest pause between two attempts after errors in a row (doubling from the interval).
BACKOFF_MAX_SECONDS = 30.0
RESULT_FIELDS = ["status", "return_value", "finished_at", "exception_class_path", "traceback"]


def heartbeat_every() -> float:
    return float(getattr(settings, "TISSER_WORKER_HEARTBEAT_SECONDS", 30))


class ResilientWorker(Worker):
    """django_tasks_db's worker, whose loop survives database errors (see the module)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.errors_in_a_row = 0
        self.started_at = timezone.now()
        self._beaten_at: float | None = None
        # Tasks that ran but whose result could not be written: written again at the next turn.
        self._unrecorded: list[DBTaskResult] = []

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, self.queue_names)
        if self.startup_delay and self.interval:
            # A random pause spreads workers started together.
            time.sleep(random.random())
        while self.running:
            try:
                ran = self.turn()
            except Exception:
                # Anything, not only DatabaseError: a loop that stops is the failure to avoid.
                self.errors_in_a_row += 1
                pause = self.backoff()
                logger.exception(
                    "Worker %s: error %d in a row, next attempt in %.1f s",
                    self.worker_id,
                    self.errors_in_a_row,
                    pause,
                )
                self.connection_reset()
                time.sleep(pause)
                continue
            if self.errors_in_a_row:
                logger.warning("Worker %s: working again", self.worker_id)
                self.errors_in_a_row = 0
            if self.batch and not ran:
                logger.info("No more tasks to run for worker_id=%s, exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran %d tasks on worker %s, exiting.", self._run_tasks, self.worker_id)
                return
            close_old_connections()
            if self.running and not ran:
                time.sleep(self.interval)

    def backoff(self) -> float:
        base = max(self.interval, 0.1)
        return min(BACKOFF_MAX_SECONDS, base * 2 ** min(self.errors_in_a_row - 1, 10))

    def connection_reset(self) -> None:
        """Drop the connection after an error: the next turn starts on a fresh one (a broken
        one, or one left inside a transaction, would fail again)."""
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:
                logger.warning("Worker %s: closing a connection failed", self.worker_id)

    def turn(self) -> bool:
        """One pass: beat, write what is pending, claim and run one task. Whether one ran."""
        self.beat()
        self.record_unrecorded()
        task_result = self.claim()
        if task_result is None:
            return False
        self.beat(task_started=True)
        self.run_task(task_result)
        self.beat(force=True)
        return True

    def claim(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        # As in the library: every READY row is locked meanwhile, so this stays short.
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except Exception:
            # The task ran; only writing its outcome failed (the library retried three times).
            # The outcome is on the object: written again at the next turns.
            self._unrecorded.append(db_task_result)
            raise

    def record_unrecorded(self) -> None:
        while self._unrecorded:
            self._unrecorded[0].save(update_fields=RESULT_FIELDS)
            self._unrecorded.pop(0)

    def beat(self, *, task_started: bool = False, force: bool = False) -> None:
        now_monotonic = time.monotonic()
        due = self._beaten_at is None or now_monotonic - self._beaten_at >= heartbeat_every()
        if not (due or task_started or force):
            return
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
                "task_started_at": now if task_started else None,
                "tasks_run": self._run_tasks,
                "errors_in_a_row": self.errors_in_a_row,
            },
        )
        self._beaten_at = now_monotonic
