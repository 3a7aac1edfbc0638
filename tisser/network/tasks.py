"""Background tasks of the network, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (every message they queue has an idempotency key)."""

from django_tasks import task

from tisser.accounts.job_scope import organisation_ids
from tisser.network.exchange.background import contact_import_run, contact_imports_prune
from tisser.network.reminders import reminders_plan


@task()
def network_reminders_plan(organisation_id: int | None = None) -> int:
    """Queue the enquêtes' reminders now due (follow up, thank, ask for another contact), of
    the organisation's enquêtes (every organisation's, one after the other, without
    `organisation_id`)."""
    return sum(reminders_plan(organisation_id=pk) for pk in organisation_ids(organisation_id))


@task()
def contacts_import_task(import_id: int) -> None:
    """Read a large contacts file kept by `contact_import_start` (an id, never the bytes)."""
    contact_import_run(import_id=import_id)


@task()
def contact_imports_prune_task(organisation_id: int | None = None) -> int:
    """Daily: erase what contact imports left behind (the bytes of one a dead worker never
    finished, reports past their time), those of the organisation's members (of everyone,
    without `organisation_id`). Two statements, whatever the number of imports."""
    return contact_imports_prune(organisation_id=organisation_id)
