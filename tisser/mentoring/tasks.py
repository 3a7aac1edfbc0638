"""Background tasks of mentoring, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (each request is reminded once and expires once; every message they queue
has an idempotency key)."""

from django_tasks import task

from tisser.accounts.job_scope import batches_run, counts_sum, organisation_ids
from tisser.mentoring.followup import followups_batch
from tisser.mentoring.retention import mentoring_retention_apply
from tisser.mentoring.services import mentorship_requests_follow_up


@task()
def mentoring_requests_remind(organisation_id: int | None = None) -> dict:
    """Remind the mentors of the requests whose deadline is near, expire the requests left
    unanswered past it (the mentee is told and invited to write to another mentor), in the
    organisation (in every organisation, one after the other, without `organisation_id`)."""
    reports = [
        mentorship_requests_follow_up(organisation_id=pk)
        for pk in organisation_ids(organisation_id)
    ]
    return counts_sum({"reminded": r.reminded, "expired": r.expired} for r in reports) or {
        "reminded": 0,
        "expired": 0,
    }


@task()
def mentoring_followups_plan(
    organisation_id: int | None = None, after: int | None = None
) -> dict[str, int]:
    """Daily: the 30-day feedback invitations and the inactivity alerts (see
    `tisser.mentoring.followup`), of the organisation, one batch of mentorships per task from
    the mentorship `after` (of every organisation, every batch, without `organisation_id`):
    see `tisser.accounts.job_scope.batches_run`."""
    return batches_run(
        followups_batch,
        organisation_id=organisation_id,
        after=after,
        then=mentoring_followups_plan.enqueue,
    ) or {"feedback_due": 0, "inactive": 0}


@task()
def mentoring_retention_apply_task(organisation_id: int | None = None) -> dict:
    """Daily: delete the mentorships ended longer ago than their retention period (see
    `tisser.mentoring.retention`), of the organisation (of every organisation, one after the
    other, without `organisation_id`)."""
    reports = [
        mentoring_retention_apply(organisation_id=pk) for pk in organisation_ids(organisation_id)
    ]
    return {
        "mentorships": sum(report.mentorships for report in reports),
        "deleted": counts_sum(report.deleted for report in reports),
    }
