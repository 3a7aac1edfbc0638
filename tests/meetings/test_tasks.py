from datetime import timedelta

from django.utils import timezone
from freezegun import freeze_time

from tisser.meetings import services
from tisser.meetings.models import MeetingKind, MeetingMode
from tisser.meetings.tasks import meetings_plan_ahead


def test_plan_ahead_extends_open_ended_series_and_leaves_ended_ones(people, organisation, settings):
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30
    arguments = {
        "organiser": people["consultant"],
        "organisation": organisation,
        "kind": MeetingKind.OTHER,
        "title": "Point",
        "participants": [people["beneficiary"]],
        "first_start": timezone.now() + timedelta(days=1),
        "duration_minutes": 60,
        "rrule": "FREQ=WEEKLY",
        "mode": MeetingMode.PHONE,
        "location": "01 23 45 67 89",
    }
    open_ended = services.series_create(**arguments)
    # An hour later: the consultant is not in two meetings at once (ADR 0022).
    ended = services.series_create(
        **arguments | {"first_start": arguments["first_start"] + timedelta(hours=1)}
    )
    services.series_end(actor=people["consultant"], series=ended)
    before = open_ended.occurrences.count(), ended.occurrences.count()

    with freeze_time(timezone.now() + timedelta(days=21)):
        meetings_plan_ahead.call()

    assert open_ended.occurrences.count() == before[0] + 3
    assert ended.occurrences.count() == before[1]
