"""The daily task of the network view, queued by `manage.py notifications_run` and run by
`manage.py tisser_worker` (immediately in unit tests). Safe to run twice."""

from django_tasks import task

from tisser.accounts.job_scope import organisation_ids
from tisser.network.services.snapshots import network_snapshots_refresh


@task()
def network_snapshots_take(organisation_id: int | None = None) -> int:
    """Refresh this week's snapshot of the networks of the organisation's beneficiaries (of
    every organisation's, one after the other, without `organisation_id`), and fix last
    week's; returns how many snapshots were written."""
    return sum(
        network_snapshots_refresh(organisation_id=pk) for pk in organisation_ids(organisation_id)
    )
