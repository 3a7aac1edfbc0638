"""The state of the task queue, for people and for housekeeping (ADR 0010): how long the oldest
task has waited and when a worker was last seen (`queue_health`, said in words on the
coordinator's home), and the pruning of finished task rows (`task_results_prune`, a daily job).
Reads and deletes only: the worker itself is `tisser.core.worker`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import ngettext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tisser.core.models import WorkerHeartbeat


def late_after() -> timedelta:
    """A task waiting longer than this, or a worker silent for longer, is worth saying."""
    return timedelta(minutes=getattr(settings, "TISSER_TASKS_LATE_MINUTES", 5))


def keep_finished_for() -> timedelta:
    return timedelta(days=getattr(settings, "TISSER_TASK_RESULTS_KEEP_DAYS", 7))


@dataclass(frozen=True)
class QueueHealth:
    oldest_wait: timedelta | None  # how long the oldest task ready to run has waited
    last_seen: datetime | None  # the last beat of any worker
    busy: bool  # a worker said it started a task and has not finished it

    def alert(self) -> str:
        """What the coordinator's home says, in plain words; empty when all is well."""
        late = late_after()
        worker_silent = not self.busy and (
            self.last_seen is None or timezone.now() - self.last_seen > late
        )
        if self.oldest_wait is not None and self.oldest_wait > late:
            minutes = minutes_in(self.oldest_wait)
            if worker_silent:
                return ngettext(
                    "Des envois attendent depuis %(minutes)d minute : le service des tâches ne "
                    "répond plus. Prévenez l'administrateur.",
                    "Des envois attendent depuis %(minutes)d minutes : le service des tâches ne "
                    "répond plus. Prévenez l'administrateur.",
                    minutes,
                ) % {"minutes": minutes}
            return ngettext(
                "Des envois attendent depuis %(minutes)d minute : le service des tâches a du "
                "retard. Si cela dure, prévenez l'administrateur.",
                "Des envois attendent depuis %(minutes)d minutes : le service des tâches a du "
                "retard. Si cela dure, prévenez l'administrateur.",
                minutes,
            ) % {"minutes": minutes}
        if worker_silent and self.last_seen is not None:
            minutes = minutes_in(timezone.now() - self.last_seen)
            return ngettext(
                "Le service des tâches ne donne plus signe de vie depuis %(minutes)d minute : "
                "les prochains envois risquent d'attendre. Prévenez l'administrateur.",
                "Le service des tâches ne donne plus signe de vie depuis %(minutes)d minutes : "
                "les prochains envois risquent d'attendre. Prévenez l'administrateur.",
                minutes,
            ) % {"minutes": minutes}
        return ""


def minutes_in(duration: timedelta) -> int:
    return max(1, int(duration.total_seconds() // 60))


def queue_health(*, now: datetime | None = None) -> QueueHealth:
    """The age of the oldest task ready to run, and the last sign of life of the workers.
    A worker counts as busy only for a task started less than a day ago."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    never = get_date_max()
    since = [
        ready.filter(run_after=never).aggregate(at=Min("enqueued_at"))["at"],
        ready.exclude(run_after=never).aggregate(at=Min("run_after"))["at"],
    ]
    waiting_since = min((at for at in since if at is not None), default=None)
    beats = WorkerHeartbeat.objects.all()
    last_seen = beats.order_by("-seen_at").values_list("seen_at", flat=True).first()
    busy = beats.filter(
        task_started_at__isnull=False, task_started_at__gte=now - timedelta(days=1)
    ).exists()
    return QueueHealth(
        oldest_wait=None if waiting_since is None else now - waiting_since,
        last_seen=last_seen,
        busy=busy,
    )


def queue_alert() -> str:
    """The sentence for the coordinator's home, or "" (see `QueueHealth.alert`)."""
    return queue_health().alert()


def task_results_prune(*, now: datetime | None = None, older_than: timedelta | None = None) -> int:
    """Delete the task rows finished (successful or failed) longer than `older_than` ago
    (TISSER_TASK_RESULTS_KEEP_DAYS, 7 by default), and the heartbeats of workers silent as
    long. Returns how many task rows. Their arguments are ids, their results counts: nothing
    there is needed once the work is done, and the table would otherwise grow forever."""
    now = now or timezone.now()
    older_than = keep_finished_for() if older_than is None else older_than
    deleted, _by_model = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - older_than,
    ).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=now - older_than).delete()
    return deleted
