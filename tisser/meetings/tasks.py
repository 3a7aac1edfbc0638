"""Background tasks of Rencontres, run by `manage.py tisser_worker`.

The daily jobs follow the contract of `tisser.core.daily_jobs`: an optional `organisation_id`
(None: every organisation, one after the other), bounded batched queries, safe to run twice."""

from django_tasks import task

from tisser.accounts.job_scope import batches_run, organisation_ids
from tisser.meetings.inactivity import inactivity_detect
from tisser.meetings.services.series import series_plan_ahead_batch


@task()
def meetings_plan_ahead(organisation_id: int | None = None, after: int | None = None) -> int:
    """Keep open-ended series planned up to the horizon (a daily job, see `daily_jobs`), one
    batch of series per task from the series `after` (`job_scope.batches_run`). Safe to run
    twice: a slot that exists is never created again."""
    return batches_run(
        series_plan_ahead_batch,
        organisation_id=organisation_id,
        after=after,
        then=meetings_plan_ahead.enqueue,
    )


@task()
def meetings_inactivity_detect(organisation_id: int | None = None) -> dict[str, int]:
    """Look for quiet mentorships and peer groups, and repeated absences (see `inactivity`)."""
    totals: dict[str, int] = {}
    for pk in organisation_ids(organisation_id):
        for name, count in inactivity_detect(organisation_id=pk).as_dict().items():
            totals[name] = totals.get(name, 0) + count
    return totals
