"""No private text copied where others read it (issue 13): the mentorship's goals and a
follow-up's message stay out of the meeting series, which the coordination reads and whose
.ics files go to third-party calendars."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.bilans.helpers import closed_bilan
from tests.mentoring.space_rows import signed
from tisser.bilans import services as bilans
from tisser.meetings import ical
from tisser.meetings.models import MeetingMode


def descriptions(series) -> str:
    """Every event description of the series' .ics file, unfolded."""
    calendar = Calendar.from_ical(ical.series_ics(series))
    return "\n".join(str(event.get("description", "")) for event in calendar.walk("VEVENT"))


GOALS = "Vérifier que le métier de soigneur me convient, malgré mon dos fragile."
MESSAGE = "Nous reparlerons de votre arrêt maladie."


def test_the_mentorship_goals_stay_out_of_its_series_and_calendar_files(
    client, organisation, people
):
    mentorship = signed(organisation, goals_summary=GOALS)
    series = mentorship.series

    assert GOALS not in series.description
    assert descriptions(series) and GOALS not in descriptions(series)
    client.force_login(people["coordinator"])
    page = client.get(reverse("meetings:series", args=[series.pk]))
    assert page.status_code == 200 and GOALS not in page.content.decode()


def test_a_follow_up_message_stays_out_of_its_series_and_calendar_files(people):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    followup = bilans.followup_propose(
        consultant=bilan.consultant,
        bilan=bilan,
        start=timezone.now() + timedelta(days=180),
        duration_minutes=60,
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/suivi",
        message=MESSAGE,
        expected_version=0,
    )
    followup = bilans.followup_answer(
        beneficiary=bilan.beneficiary,
        followup=followup,
        accept=True,
        expected_version=followup.version,
        reason="",
    )

    assert followup.series is not None
    assert MESSAGE not in followup.series.description
    assert descriptions(followup.series)
    assert MESSAGE not in descriptions(followup.series)
