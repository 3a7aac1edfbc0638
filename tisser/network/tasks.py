"""Background tasks of the network, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (every message they queue has an idempotency key)."""

from django_tasks import task

from tisser.network.exchange.background import contact_import_run, contact_imports_prune
from tisser.network.reminders import reminders_plan


@task()
def network_reminders_plan() -> int:
    """Queue the enquêtes' reminders now due (follow up, thank, ask for another contact)."""
    return reminders_plan()


@task()
def contacts_import_task(import_id: int) -> None:
    """Read a large contacts file kept by `contact_import_start` (an id, never the bytes)."""
    contact_import_run(import_id=import_id)


@task()
def contact_imports_prune_task() -> int:
    """Daily: erase what contact imports left behind (the bytes of one a dead worker never
    finished, reports past their time)."""
    return contact_imports_prune()
