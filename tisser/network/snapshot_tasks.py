"""The daily task of the network view, queued by `manage.py notifications_run` and run by
`manage.py tisser_worker` (immediately in unit tests). Safe to run twice."""

from django_tasks import task

from tisser.network.services.snapshots import network_snapshots_refresh


@task()
def network_snapshots_take() -> int:
    """Refresh this week's snapshot of every network (and fix last week's); returns how many
    snapshots were written."""
    return network_snapshots_refresh()
