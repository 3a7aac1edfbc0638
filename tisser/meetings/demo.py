"""Demo data for meetings (`seed_demo`, registered in `tisser.core.demo`): a series so that
"Rencontres" is not empty — the coordination's team meeting with the consultants, every
four weeks at lunchtime, on working days. No bilan entretien here: a bilan's entretiens are
planned from the bilan (the bilans demo does, ADR 0022). No peer-group series either: only
the peers app plans one, for a group it publishes (organised by a member who joined, never
by the coordination; ADR 0013)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import ngettext

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.core.workdays import weekly_working_start
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries
from tisser.meetings.services import series_create

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
            f"FREQ=WEEKLY;INTERVAL={EVERY_WEEKS};COUNT={TEAM_MEETINGS}",
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
