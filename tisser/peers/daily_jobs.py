"""The peer groups' daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.core.daily_jobs import register
from tisser.peers.tasks import (
    peers_meetings_prepare_remind,
    peers_nudges_plan,
    peers_retention_apply_task,
)

register(
    peers_meetings_prepare_remind,
    queued="Rappels de préparation des rencontres des groupes de pairs mis en file.",
)
register(peers_nudges_plan, queued="Relances des groupes de pairs mises en file.")
register(
    peers_retention_apply_task,
    queued="Suppression des groupes de pairs terminés arrivés à échéance mise en file.",
)
