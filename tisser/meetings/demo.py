"""Demo data for meetings (`seed_demo`, registered in `tisser.core.demo`): a series so that
"Rencontres" is not empty — the coordination's team meeting with the consultants, every
four weeks at lunchtime, with no end date (its first TEAM_MEETINGS fall on working days).
No bilan entretien here: a bilan's entretiens are planned from the bilan (the bilans demo
does, ADR 0022). No peer-group series either: only the peers app plans one, for a group it
publishes (organised by a member who joined, never by the coordination; ADR 0013)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import ngettext

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.core.workdays import weekly_working_start
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries, Occurrence
from tisser.meetings.services import series_create
from tisser.meetings.services.series import horizon_days

TEAM_MEETINGS = 6
EVERY_WEEKS = 4


@register("meeting_series", order=20, after=("people",))
def meetings_demo(demo: Demo) -> None:
    organisation, people = demo.organisation, demo.people
    paris = ZoneInfo("Europe/Paris")
    today = timezone.localdate()
    day = weekly_working_start(
        today + timedelta(days=8),
        TEAM_MEETINGS,
        earliest=today + timedelta(days=2),
        interval_weeks=EVERY_WEEKS,
    )
    # 12:30: clear of the demo's entretiens, mornings and afternoons.
    plans = [
        (
            people[Role.COORDINATOR][0],
            MeetingKind.OTHER,
            "Réunion d'équipe",
            people[Role.CONSULTANT],
            datetime.combine(day, time(12, 30), tzinfo=paris),
            60,
            # Open-ended, as a team meeting is: the daily job keeps it planned ahead.
            f"FREQ=WEEKLY;INTERVAL={EVERY_WEEKS}",
            MeetingMode.ON_SITE,
            "12 rue des Tisserands, 31000 Toulouse — salle de réunion",
        ),
    ]
    created = 0
    for organiser, kind, title, participants, start, minutes, rule, mode, location in plans:
        if MeetingSeries.objects.filter(organisation=organisation, title=title).exists():
            continue
        series_create(
            organiser=organiser,
            organisation=organisation,
            kind=kind,
            title=title,
            participants=participants,
            first_start=start,
            duration_minutes=minutes,
            rrule=rule,
            mode=mode,
            location=location,
            description="Point sur les bilans en cours, les plannings et les enquêtes-métiers.",
        )
        created += 1
    demo.summary.append(
        ngettext(
            "%(count)d série de rencontres créée", "%(count)d séries de rencontres créées", created
        )
        % {"count": created}
    )


@register("meetings_plan_ahead_due", order=995, after=("meeting_series", "mentoring", "peers"))
def meetings_plan_ahead_due(demo: Demo) -> None:
    """Leave the last month of the horizon of the open-ended series to the daily job, as in
    an organisme where the horizon moves a day at a time and `meetings_plan_ahead` plans the
    slots that came within it: a year ahead, nobody sees them, and the job has its work to do
    on its first run (issue #16: the page bench compares its cost with the demo's). Running
    it again removes nothing more."""
    far = timezone.now() + timedelta(days=horizon_days() - 31)
    Occurrence.objects.filter(
        series__organisation=demo.organisation,
        series__ended_at__isnull=True,
        start__gte=far,
    ).exclude(series__rrule="").delete()
