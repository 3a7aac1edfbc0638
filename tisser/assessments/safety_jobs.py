"""The safety net's daily job (registered in `tisser.core.daily_jobs` from `daily_jobs`):
requests to talk to one's consultant are deleted after `TISSER_SAFETY_CONCERN_DAYS` days
(docs/adr/0020-safety-net.md)."""

from django_tasks import task

from tisser.assessments.services.safety import safety_concerns_expire


@task()
def safety_concerns_expire_task() -> int:
    """Delete the requests past their retention; returns how many went. Safe to run twice."""
    return safety_concerns_expire()
