"""Mentoring's daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.core.daily_jobs import register
from tisser.mentoring.tasks import (
    mentoring_followups_plan,
    mentoring_requests_remind,
    mentoring_retention_apply_task,
)

register(
    mentoring_followups_plan,
    queued="Suivi des mentorats (avis à 30 jours, inactivité) mis en file.",
)
register(
    mentoring_requests_remind,
    queued="Relances et expirations des demandes de mentorat mises en file.",
)
register(
    mentoring_retention_apply_task,
    queued="Suppression des mentorats terminés arrivés à échéance mise en file.",
)
