"""Background tasks of the bilans, run by `manage.py db_worker` (immediately in unit tests).
Safe to run twice: every message they queue has an idempotency key."""

from django_tasks import task

from tisser.bilans.followup import followup_reminders_plan


@task()
def bilans_followup_remind() -> int:
    """Queue the reminders after the bilan (satisfaction, isolation check) now due."""
    return followup_reminders_plan()
