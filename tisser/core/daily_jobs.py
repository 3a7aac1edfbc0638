"""The registry of daily jobs: the tasks `manage.py notifications_run` queues once a day.

`core` is the lowest layer and knows no other app: each app registers its jobs from its own
`daily_jobs` module, imported in its `AppConfig.ready()`, and the scheduler only iterates this
registry, with the line the scheduler prints when it queues a job.

The contract of a daily job (issue #16, "jobs split by organisation"):

* its task accepts one optional keyword argument, `organisation_id: int | None = None`:
  `None` does every organisation, one after the other; an id does that one only. A job whose
  rows grow with the organisation also takes `after: int | None = None`, the cursor of its
  batch: each task does one batch and queues the next (`tisser.accounts.job_scope.batches_run`,
  ADR 0030). Nothing else. The scheduler queues one task per organisation and per job
  (`task.enqueue(organisation_id=pk)`), so that several workers share a platform's load and a
  slow organisation delays no other;
* it is safe to run twice, and concurrently (keys, unique constraints, `ignore_conflicts`): the
  scheduler does not queue a (job, organisation) again while a previous one still waits for a
  worker, but one may still be running;
* it works in bounded batched queries: the number of queries one task makes does not grow
  with the number of people, series or rows of the organisation (batches, `bulk_create`,
  `bulk_update`, `select_related`/`prefetch_related`), and it computes outside its (short)
  write transactions. Most jobs do one batch per task (`after`, above). Work that must end in
  the run that starts it (the destruction R6313-7 dates, the dispatch) reads its rows batch
  after batch inside the task and calls `batch_begin()` at each one: its cost is then a fixed
  part plus a fixed cost per batch, whatever the batch's size, and what the benches and tests
  compare is the cost per batch (`batches_counted`, ADR 0030);
* its arguments are ids, never secrets (ADR 0010)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django_tasks.base import Task


@dataclass(frozen=True)
class DailyJob:
    task: Task
    # Said by `notifications_run` when it queues the task ("… mis en file.").
    queued: str

    @property
    def path(self) -> str:
        return self.task.module_path


_jobs: dict[str, DailyJob] = {}


def register(task: Task, *, queued: str) -> Task:
    """Queue `task` once a day for each organisation (`task.enqueue(organisation_id=pk)`, see
    the module docstring). Jobs are queued in the order of registration, that is of
    INSTALLED_APPS; registering the same task again replaces nothing and adds nothing."""
    job = DailyJob(task=task, queued=queued)
    _jobs.setdefault(job.path, job)
    return task


def daily_jobs() -> tuple[DailyJob, ...]:
    return tuple(_jobs.values())


# --- Batches ------------------------------------------------------------------------------------

_batches: ContextVar[list[int] | None] = ContextVar("daily_job_batches", default=None)


def batch_begin() -> None:
    """Say that a job (or the dispatch) starts one more batch; counted only inside
    `batches_counted`."""
    counter = _batches.get()
    if counter is not None:
        counter[0] += 1


@contextmanager
def batches_counted() -> Iterator[Callable[[], int]]:
    """How many batches the code run inside began (`batch_begin`): the benches and the tests
    divide a job's queries by it (ADR 0030)."""
    counter = [0]
    token = _batches.set(counter)
    try:
        yield lambda: counter[0]
    finally:
        _batches.reset(token)
