"""The quality app's daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.core.daily_jobs import register
from tisser.quality.tasks import audit_exports_prune_task

register(
    audit_exports_prune_task, queued="Suppression des exports pour l'audit expirés mise en file."
)
