"""The safety net's daily job (registered in `tisser.core.daily_jobs` from `daily_jobs`):
requests to talk to one's consultant are deleted after `TISSER_SAFETY_CONCERN_DAYS` days
(docs/adr/0020-safety-net.md)."""

from django_tasks import task

from tisser.assessments.services.safety import safety_concerns_expire


@task()
def safety_concerns_expire_task(organisation_id: int | None = None) -> int:
    """Delete the requests past their retention, of the organisation (of every organisation
    without `organisation_id`); returns how many went. Safe to run twice."""
    return safety_concerns_expire(organisation_id=organisation_id)
