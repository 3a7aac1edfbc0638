"""Background tasks of the network, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (every message they queue has an idempotency key)."""

from django_tasks import task

from tisser.network.reminders import reminders_plan


@task()
def network_reminders_plan() -> int:
    """Queue the enquêtes' reminders now due (follow up, thank, ask for another contact)."""
    return reminders_plan()
