"""Background tasks of the outbox, run by `manage.py tisser_worker` (immediately in unit tests).

All are safe to run twice, and concurrently: the state lives in the `Notification` rows, whose
delivery is guarded by row locks (see `delivery`). A task killed half-way needs no repair:
whatever it did not commit is still PENDING and the next `notifications_dispatch` sends it."""

from django_tasks import task

from tisser.notifications.delivery import (
    DeliveryReport,
    notification_deliver_one,
    notifications_deliver_due,
)
from tisser.notifications.planners import planners_run

BATCH_SIZE = 100
# One dispatch delivers at most this many batches; the next one takes over the rest.
MAX_BATCHES = 50


@task()
def notifications_dispatch() -> dict[str, int]:
    """Run the apps' planners (the meetings' reminders now due, see `planners`), then deliver
    every due notification, batch after batch."""
    planned = planners_run()
    report = DeliveryReport()
    for _batch in range(MAX_BATCHES):
        batch = notifications_deliver_due(limit=BATCH_SIZE)
        report.merge(batch)
        # Fewer rows than asked: none left. All skipped: other workers hold them.
        if batch.handled < BATCH_SIZE or batch.skipped == batch.handled:
            break
    return {"planned": planned, **report.as_dict()}


@task()
def notification_deliver(notification_id: int) -> str:
    """Deliver one notification now (a meeting moved or cancelled) if it is still pending."""
    return notification_deliver_one(notification_id=notification_id).value
