"""Background tasks of peer groups, run by `manage.py db_worker` (immediately in unit tests):
safe to run twice (every message they queue has an idempotency key)."""

from django_tasks import task

from tisser.peers.nudges import nudges_plan


@task()
def peers_nudges_plan() -> dict[str, int]:
    """Daily: the check-in nudges before a period ends, the reciprocity nudges and the alerts
    about fading groups (see `tisser.peers.nudges`)."""
    return nudges_plan()
