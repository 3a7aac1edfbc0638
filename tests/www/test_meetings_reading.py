"""What Rencontres says to each person (a walk through the pages): a beneficiary does not
read her own name as a meeting's title, cancelled meetings of an ended series are not « À
venir », and times are written one way (`|date_fr`, « à 18:00 », ADR 0027)."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import entretiens, open_bilan
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode

PARIS = ZoneInfo("Europe/Paris")


def text(client, url) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", client.get(url).content.decode()).split())


def test_the_beneficiary_reads_entretien_de_bilan_and_the_consultant_her_name(client, people):
    beneficiary, consultant = people["beneficiary"], people["consultant"]
    bilan = open_bilan(consultant, beneficiary)
    occurrence = entretiens(bilan)[0]
    name = beneficiary.get_full_name()
    urls = [
        reverse("meetings:list"),
        reverse("meetings:series", args=[occurrence.series_id]),
        reverse("meetings:occurrence", args=[occurrence.pk]),
    ]

    client.force_login(beneficiary)
    for url in urls:
        page = text(client, url)
        assert f"Entretien de bilan — {name}" not in page, url
        assert "Entretien de bilan" in page, url
    client.force_login(consultant)
    for url in urls:
        assert f"Entretien de bilan — {name}" in text(client, url), url


def test_the_cancelled_meetings_of_an_ended_series_are_not_to_come(client, people):
    consultant = people["consultant"]
    bilan = open_bilan(consultant, people["beneficiary"])
    ended = entretiens(bilan, count=2)[0].series
    meetings.series_end(actor=consultant, series=ended)
    live = meetings.series_create(
        organiser=consultant,
        organisation=bilan.organisation,
        kind=MeetingKind.OTHER,
        title="Atelier CV",
        participants=[people["beneficiary"]],
        first_start=timezone.now() + timedelta(days=20),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=2",
        mode=MeetingMode.PHONE,
        location="01 23 45 67 89",
    )
    meetings.occurrence_cancel(actor=consultant, occurrence=live.occurrences.first())
    client.force_login(consultant)

    page = client.get(reverse("meetings:list")).content.decode()
    upcoming = page[page.index('id="upcoming-title"') : page.index('id="series-title"')]

    assert "Entretien de bilan" not in upcoming
    # a meeting cancelled alone in a series that goes on is still said cancelled
    assert upcoming.count("Atelier CV") == 2 and "Annulée" in upcoming


def test_times_are_written_the_projects_way(client, people, organisation):
    day = timezone.localdate() + timedelta(days=10)
    series = meetings.series_create(
        organiser=people["consultant"],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Point mensuel",
        participants=[people["beneficiary"]],
        first_start=datetime.combine(day, time(18, 0), tzinfo=PARIS),
        duration_minutes=90,
        rrule="",
        mode=MeetingMode.PHONE,
        location="01 23 45 67 89",
    )
    occurrence = series.occurrences.get()
    client.force_login(people["beneficiary"])

    listed = text(client, reverse("meetings:list"))
    shown = text(client, reverse("meetings:occurrence", args=[occurrence.pk]))

    assert re.search(r"\d{4} à 18:00 — Point mensuel", listed)
    assert re.search(r"\d{4}, de 18:00 à 19:30", shown)


def test_the_beneficiary_tells_her_entretien_series_apart(client, people):
    # given two series of entretiens of her bilan, one weekly and one single
    beneficiary, consultant = people["beneficiary"], people["consultant"]
    bilan = open_bilan(consultant, beneficiary)
    weekly = entretiens(bilan, count=3)[0].series
    single = entretiens(bilan, days=30)[0].series

    # when she opens Rencontres
    client.force_login(beneficiary)
    page = text(client, reverse("meetings:list"))

    # then each series says its rhythm and first date instead of repeating its kind
    assert "Entretien de bilan — Entretien de bilan" not in page
    for series, rhythm in (
        (weekly, "Chaque semaine, à partir du"),
        (single, "Rencontre unique, le"),
    ):
        first = timezone.localtime(series.first_start, PARIS)
        assert f"{rhythm} {first.day}" in page
    # and her consultant still reads the kind
    client.force_login(consultant)
    assert f"Entretien de bilan — {beneficiary.get_full_name()} — Entretien de bilan" in text(
        client, reverse("meetings:list")
    )
