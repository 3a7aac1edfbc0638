"""Background tasks of Rencontres, run by `manage.py tisser_worker`.

The daily jobs follow the contract of `tisser.core.daily_jobs`: an optional `organisation_id`
(None: every organisation, one after the other), bounded batched queries, safe to run twice."""

from django_tasks import task

from tisser.accounts.models import Organisation
from tisser.meetings.inactivity import inactivity_detect
from tisser.meetings.services import series_plan_ahead


def organisation_ids(organisation_id: int | None) -> list[int]:
    """The organisations a daily job works on: the one given, or all of them."""
    if organisation_id is not None:
        return [organisation_id]
    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


@task()
def meetings_plan_ahead(organisation_id: int | None = None) -> int:
    """Keep open-ended series planned up to the horizon (a daily job, see `daily_jobs`).
    Safe to run twice: a slot that exists is never created again."""
    return sum(series_plan_ahead(organisation_id=pk) for pk in organisation_ids(organisation_id))


@task()
def meetings_inactivity_detect(organisation_id: int | None = None) -> dict[str, int]:
    """Look for quiet mentorships and peer groups, and repeated absences (see `inactivity`)."""
    totals: dict[str, int] = {}
    for pk in organisation_ids(organisation_id):
        for name, count in inactivity_detect(organisation_id=pk).as_dict().items():
            totals[name] = totals.get(name, 0) + count
    return totals
