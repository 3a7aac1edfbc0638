"""Background tasks of the quality app, run by `manage.py tisser_worker` (immediately in unit
tests): they take ids and are safe to run twice."""

from django_tasks import task

from tisser.quality.services.exports import audit_export_build, audit_exports_prune


@task()
def audit_export_build_task(*, export_id: int) -> bool:
    """Build the auditor's export `export_id` (nothing when another run already took it)."""
    export = audit_export_build(export_id=export_id)
    return export is not None and export.status == export.Status.READY


@task()
def audit_exports_prune_task(organisation_id: int | None = None) -> int:
    """Daily: remove the archives past their expiry and close the builds a dead worker left,
    of the organisation (of every organisation without `organisation_id`)."""
    return audit_exports_prune(organisation_id=organisation_id)
