"""Mentoring's daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.core.daily_jobs import register
from tisser.mentoring.tasks import mentoring_followups_plan, mentoring_requests_remind

register(
    mentoring_followups_plan,
    queued="Suivi des mentorats (avis à 30 jours, inactivité) mis en file.",
)
register(
    mentoring_requests_remind,
    queued="Relances et expirations des demandes de mentorat mises en file.",
)
