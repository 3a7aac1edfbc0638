"""The network's daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.core.daily_jobs import register
from tisser.network.snapshot_tasks import network_snapshots_take
from tisser.network.tasks import contact_imports_prune_task, network_reminders_plan

register(network_reminders_plan, queued="Rappels des enquêtes-métiers mis en file.")
register(network_snapshots_take, queued="Relevé hebdomadaire des réseaux mis en file.")
register(contact_imports_prune_task, queued="Nettoyage des imports de contacts mis en file.")
