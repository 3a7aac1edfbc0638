"""Background tasks of the core, run by `manage.py tisser_worker`."""

from django_tasks import task


@task()
def worker_probe(number: int = 0) -> int:
    """Does nothing but answer: enqueued to check that the worker takes tasks
    (`bench/worker_lock.py`, tests/core/test_worker_lock.py)."""
    return number
