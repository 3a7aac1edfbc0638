"""The meetings' daily jobs (see `tisser.core.daily_jobs`)."""

from tisser.core.daily_jobs import register
from tisser.meetings.tasks import meetings_inactivity_detect, meetings_plan_ahead

register(meetings_inactivity_detect, queued="Détection d'inactivité mise en file.")
register(meetings_plan_ahead, queued="Planification des prochaines rencontres mise en file.")
