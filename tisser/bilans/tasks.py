"""Background work on bilans. Tasks take ids (or nothing), are safe to run twice and only call
services."""

from django_tasks import task

from tisser.bilans.services.retention import bilan_working_documents_purge, bilans_due_for_purge


@task()
def bilans_retention_apply() -> int:
    """Purge every bilan whose retention period is over; returns how many were purged."""
    due = bilans_due_for_purge()
    for bilan in due:
        bilan_working_documents_purge(bilan=bilan)
    return len(due)
