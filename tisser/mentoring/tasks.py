"""Background tasks of mentoring, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (each request is reminded once and expires once; every message they queue
has an idempotency key)."""

from django_tasks import task

from tisser.mentoring.followup import followups_plan
from tisser.mentoring.retention import mentoring_retention_apply
from tisser.mentoring.services import mentorship_requests_follow_up


@task()
def mentoring_requests_remind() -> dict:
    """Remind the mentors of the requests whose deadline is near, expire the requests left
    unanswered past it (the mentee is told and invited to write to another mentor)."""
    report = mentorship_requests_follow_up()
    return {"reminded": report.reminded, "expired": report.expired}


@task()
def mentoring_followups_plan() -> dict[str, int]:
    """Daily: the 30-day feedback invitations and the inactivity alerts (see
    `tisser.mentoring.followup`)."""
    return followups_plan()


@task()
def mentoring_retention_apply_task() -> dict:
    """Daily: delete the mentorships ended longer ago than their retention period (see
    `tisser.mentoring.retention`)."""
    report = mentoring_retention_apply()
    return {"mentorships": report.mentorships, "deleted": report.deleted}
