"""Demo data for meetings (`seed_demo`, registered in `tisser.core.demo`): a series so that
"Rencontres" is not empty — fortnightly bilan sessions between the first consultant and the
first beneficiary. No peer-group series here: only the peers app plans one, for a group it
publishes (organised by a member who joined, never by the coordination; ADR 0013)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import ngettext

from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.meetings.models import MeetingKind, MeetingMode, MeetingSeries
from tisser.meetings.services import series_create


@register("meeting_series", order=20, after=("people",))
def meetings_demo(demo: Demo) -> None:
    organisation, people = demo.organisation, demo.people
    paris = ZoneInfo("Europe/Paris")
    soon = timezone.localdate() + timedelta(days=2)
    consultant = people[Role.CONSULTANT][0]
    plans = [
        (
            consultant,
            MeetingKind.BILAN_SESSION,
            f"Entretiens de bilan — {people[Role.BENEFICIARY][0].first_name}",
            people[Role.BENEFICIARY][:1],
            datetime.combine(soon, time(10, 0), tzinfo=paris),
            90,
            "FREQ=WEEKLY;INTERVAL=2;COUNT=6",
            MeetingMode.ON_SITE,
            "12 rue des Tisserands, 31000 Toulouse",
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
        )
        created += 1
    demo.summary.append(
        ngettext(
            "%(count)d série de rencontres créée", "%(count)d séries de rencontres créées", created
        )
        % {"count": created}
    )
