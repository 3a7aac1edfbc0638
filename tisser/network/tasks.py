"""Background tasks of the network, run by `manage.py tisser_worker` (immediately in unit tests):
safe to run twice (every message they queue has an idempotency key)."""

from django_tasks import task

from tisser.accounts.job_scope import batches_run
from tisser.network.exchange.background import contact_import_run, contact_imports_prune
from tisser.network.reminders import reminders_batch


@task()
def network_reminders_plan(organisation_id: int | None = None, after: int | None = None) -> int:
    """Queue the enquêtes' reminders now due (follow up, thank, ask for another contact), of
    the organisation's enquêtes, one batch per task from the enquête `after` (every
    organisation's, every batch, without `organisation_id`): see
    `tisser.accounts.job_scope.batches_run`."""
    return batches_run(
        reminders_batch,
        organisation_id=organisation_id,
        after=after,
        then=network_reminders_plan.enqueue,
    )


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
