"""The questionnaires' daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.assessments.safety_jobs import safety_concerns_expire_task
from tisser.core.daily_jobs import register

register(
    safety_concerns_expire_task,
    queued="Suppression des demandes d'échange arrivées à échéance mise en file.",
)
