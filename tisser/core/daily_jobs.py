"""The registry of daily jobs: the tasks `manage.py notifications_run` queues once a day.

`core` is the lowest layer and knows no other app: each app registers its jobs from its own
`daily_jobs` module, imported in its `AppConfig.ready()`, and the scheduler only iterates this
registry. A job is a `django_tasks` task without arguments, safe to run twice (the scheduler
does not queue it again while a previous one still waits for a worker), with the line the
scheduler prints when it queues it."""

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
    """Queue `task` once a day. Jobs are queued in the order of registration, that is of
    INSTALLED_APPS; registering the same task again replaces nothing and adds nothing."""
    job = DailyJob(task=task, queued=queued)
    _jobs.setdefault(job.path, job)
    return task


def daily_jobs() -> tuple[DailyJob, ...]:
    return tuple(_jobs.values())
