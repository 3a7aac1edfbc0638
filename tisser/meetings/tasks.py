"""Background tasks of Rencontres, run by `manage.py db_worker`."""

from django_tasks import task

from tisser.meetings.inactivity import inactivity_detect
from tisser.meetings.models import MeetingSeries
from tisser.meetings.services import series_occurrences_extend


@task()
def meetings_plan_ahead() -> int:
    """Keep open-ended series planned up to the horizon (a daily job, see `daily_jobs`).
    Safe to run twice: a slot that exists is never created again."""
    created = 0
    for series in MeetingSeries.objects.filter(ended_at__isnull=True).exclude(rrule="").iterator():
        created += series_occurrences_extend(series=series)
    return created


@task()
def meetings_inactivity_detect() -> dict[str, int]:
    """Look for quiet mentorships and peer groups, and repeated absences (see `inactivity`)."""
    return inactivity_detect().as_dict()
