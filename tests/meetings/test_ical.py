import io
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from dateutil.tz import tzical
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tisser.core.enums import Role
from tisser.meetings import ical, services
from tisser.meetings.models import CalendarFeed, MeetingKind, MeetingMode, MeetingSeries

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UID = re.compile(r"^[0-9a-f-]{36}-\d{8}T\d{6}Z@tisser$")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


def create_series(people, organisation, **overrides) -> MeetingSeries:
    arguments = {
        "organiser": people["consultant"],
        "organisation": organisation,
        "kind": MeetingKind.MENTORING,
        "title": "Point mensuel",
        "participants": [people["beneficiary"]],
        "first_start": paris(2026, 3, 17, 18),
        "duration_minutes": 60,
        "rrule": "FREQ=WEEKLY;COUNT=4",
        "mode": MeetingMode.VIDEO,
        "location": "https://visio.example.org/salle-12",
        "description": "Faire le point sur les enquêtes-métiers.",
    } | overrides
    return services.series_create(**arguments)


@pytest.fixture
def series(clock, people, organisation):
    return create_series(people, organisation)


def first_occurrence(series):
    return series.occurrences.order_by("start").first()


# Two independent readers: icalendar (which reads TZID through zoneinfo) and vobject (which
# builds the zone from our VTIMEZONE through dateutil).


def read_icalendar(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["PRODID"]) == "-//Tisser//Rencontres//FR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    return list(calendar.walk("VEVENT"))


def read_vobject(data: bytes):
    # vobject keeps, for the whole process, the first VTIMEZONE it met for a TZID: forget it,
    # so that each file is read with its own definition.
    vobject.icalendar.__dict__["__tzidMap"].pop("Europe/Paris", None)
    calendar = vobject.readOne(data.decode())
    assert calendar.prodid.value == "-//Tisser//Rencontres//FR"
    assert calendar.method.value == "PUBLISH"
    return list(calendar.vevent_list)


# --- one occurrence ----------------------------------------------------------------------


def test_occurrence_ics_round_trip(series, people, settings):
    settings.SITE_URL = "https://tisser.example.org/"
    occurrence = first_occurrence(series)

    data = ical.occurrence_ics(occurrence)

    (event,) = read_icalendar(data)
    assert UID.match(str(event["UID"]))
    assert str(event["UID"]) == f"{series.uid}-20260317T170000Z@tisser"
    assert event["DTSTART"].dt == paris(2026, 3, 17, 18)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].dt == paris(2026, 3, 17, 19)
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Point mensuel"
    assert str(event["URL"]) == "https://visio.example.org/salle-12"
    assert "LOCATION" not in event
    description = str(event["DESCRIPTION"])
    assert f"https://tisser.example.org/rencontres/{occurrence.pk}/" in description
    assert "Faire le point sur les enquêtes-métiers." in description
    assert people["beneficiary"].get_full_name() in description
    assert str(event["ORGANIZER"]) == f"mailto:{people['consultant'].email}"
    assert event["ORGANIZER"].params["CN"] == people["consultant"].get_full_name()
    # no participant's address leaves the platform (and RFC 5546 has no ATTENDEE in PUBLISH)
    assert "ATTENDEE" not in event
    assert "DTSTAMP" in event

    (event,) = read_vobject(data)
    assert event.uid.value == f"{series.uid}-20260317T170000Z@tisser"
    assert event.dtstart.value.astimezone(UTC) == datetime(2026, 3, 17, 17, tzinfo=UTC)
    assert event.dtend.value.astimezone(UTC) == datetime(2026, 3, 17, 18, tzinfo=UTC)
    assert event.status.value == "CONFIRMED"
    assert event.organizer.params["CN"] == [people["consultant"].get_full_name()]


def test_vtimezone_is_included(series):
    data = ical.occurrence_ics(first_occurrence(series))

    calendar = icalendar.Calendar.from_ical(data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert calendar.get_missing_tzids() == set()
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    assert vobject.readOne(data.decode()).vtimezone.tzid.value == "Europe/Paris"


def test_uid_is_stable_after_a_move_and_sequence_grows(series, people):
    occurrence = first_occurrence(series)
    before = read_icalendar(ical.occurrence_ics(occurrence))[0]

    services.occurrence_move(
        actor=people["consultant"], occurrence=occurrence, start=paris(2026, 3, 19, 9, 30)
    )
    data = ical.occurrence_ics(occurrence)

    (after,) = read_icalendar(data)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["DTSTART"].dt == paris(2026, 3, 19, 9, 30)
    (after,) = read_vobject(data)
    assert after.uid.value == str(before["UID"])
    assert int(after.sequence.value) == 1
    assert after.dtstart.value.astimezone(UTC) == datetime(2026, 3, 19, 8, 30, tzinfo=UTC)


def test_a_cancelled_occurrence_is_status_cancelled(series, people):
    occurrence = first_occurrence(series)
    services.occurrence_cancel(actor=people["consultant"], occurrence=occurrence)

    data = ical.occurrence_ics(occurrence)

    (event,) = read_icalendar(data)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]) == "Annulée : Point mensuel"
    (event,) = read_vobject(data)
    assert event.status.value == "CANCELLED"


@pytest.mark.parametrize(
    ("mode", "location", "expected"),
    [
        (MeetingMode.ON_SITE, "12 rue des Tisserands, Lyon", "12 rue des Tisserands, Lyon"),
        (MeetingMode.PHONE, "01 23 45 67 89", "Téléphone : 01 23 45 67 89"),
    ],
)
def test_location_follows_the_mode(clock, people, organisation, mode, location, expected):
    series = create_series(people, organisation, mode=mode, location=location)

    (event,) = read_icalendar(ical.occurrence_ics(first_occurrence(series)))

    assert str(event["LOCATION"]) == expected
    assert "URL" not in event


# --- a series across daylight-saving changes ---------------------------------------------


@pytest.mark.parametrize(
    ("first_start", "offsets"),
    [
        (paris(2026, 3, 17, 18), [1, 1, 2, 2]),  # spring forward on 29 March
        (paris(2026, 10, 13, 18), [2, 2, 1, 1]),  # fall back on 25 October
    ],
)
def test_series_ics_keeps_1800_local_across_dst(clock, people, organisation, first_start, offsets):
    series = create_series(people, organisation, first_start=first_start)

    data = ical.series_ics(series)

    events = read_icalendar(data)
    starts = [event["DTSTART"].dt for event in events]
    assert [s.astimezone(PARIS).time() for s in starts] == [time(18)] * 4
    assert [s.utcoffset() for s in starts] == [timedelta(hours=h) for h in offsets]
    assert len({str(event["UID"]) for event in events}) == 4
    assert b"DTSTART;TZID=Europe/Paris:" in data

    # vobject reads the zone from our VTIMEZONE alone, and agrees
    starts = [event.dtstart.value for event in read_vobject(data)]
    assert [(s.hour, s.minute) for s in starts] == [(18, 0)] * 4
    assert [s.utcoffset() for s in starts] == [timedelta(hours=h) for h in offsets]


def test_series_end_bumps_every_sequence(clock, series, people):
    services.series_end(actor=people["consultant"], series=series)

    events = read_icalendar(ical.series_ics(series))

    assert [event["SEQUENCE"] for event in events] == [2, 2, 2, 2]
    assert {str(event["STATUS"]) for event in events} == {"CANCELLED"}


def test_vtimezone_onsets_follow_rfc_5545():
    # the onset of an observance is written in the wall time of the offset it leaves
    component = ical.vtimezone("Europe/Paris", 2026, 2026)

    observances = {
        (type(sub).__name__, str(sub["TZNAME"])): sub["DTSTART"].dt
        for sub in component.subcomponents
        if sub["TZOFFSETFROM"].td != sub["TZOFFSETTO"].td
    }
    assert observances == {
        ("TimezoneDaylight", "CEST"): datetime(2026, 3, 29, 2, 0),
        ("TimezoneStandard", "CET"): datetime(2026, 10, 25, 3, 0),
    }


@pytest.mark.parametrize("zone_name", ["Europe/Paris", "America/New_York", "Australia/Sydney"])
def test_vtimezone_agrees_with_zoneinfo_at_every_instant(zone_name):
    # given our VTIMEZONE for two years, read by dateutil (which vobject reads it with)
    data = ical.vtimezone(zone_name, 2026, 2027).to_ical().decode()
    parsed = tzical(io.StringIO(data)).get()
    zone = ZoneInfo(zone_name)

    # then every quarter of an hour of those years has the offset zoneinfo gives
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant < datetime(2028, 1, 1, tzinfo=UTC):
        assert instant.astimezone(parsed).utcoffset() == instant.astimezone(zone).utcoffset(), (
            instant
        )
        instant += timedelta(minutes=15)


# --- the private feed --------------------------------------------------------------------


def test_feed_contains_only_the_users_series(clock, people, organisation):
    # given two series with different beneficiaries, and a series in another organisation
    mine = create_series(people, organisation)
    other_beneficiary = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    # (an hour later: the consultant is not in two meetings at once, ADR 0022)
    theirs = create_series(
        people, organisation, participants=[other_beneficiary], first_start=paris(2026, 3, 17, 19)
    )
    elsewhere = OrganisationFactory()
    create_series(
        {
            "consultant": member(Role.CONSULTANT, elsewhere),
            "beneficiary": member(Role.BENEFICIARY, elsewhere),
        },
        elsewhere,
    )

    def uids(user) -> set[str]:
        return {str(event["UID"]) for event in read_icalendar(ical.feed_ics(user))}

    # then each person's feed has their own meetings only
    assert uids(people["beneficiary"]) == {ical.occurrence_uid(o) for o in mine.occurrences.all()}
    assert uids(other_beneficiary) == {ical.occurrence_uid(o) for o in theirs.occurrences.all()}
    # the organiser sees both; a coordinator's feed is about their own meetings only
    assert len(uids(people["consultant"])) == 8
    assert uids(people["coordinator"]) == set()
    assert len(read_vobject(ical.feed_ics(people["consultant"]))) == 8


def test_feed_goes_back_90_days(clock, people, organisation):
    series = create_series(people, organisation, rrule="FREQ=MONTHLY;COUNT=6")
    clock.move_to(NOW + timedelta(days=140))  # 20 July: 90 days back is 21 April

    events = read_icalendar(ical.feed_ics(people["beneficiary"]))

    assert [event["DTSTART"].dt.month for event in events] == [5, 6, 7, 8]
    assert series.occurrences.count() == 6


def test_feed_calendar_properties(series, people):
    calendar = icalendar.Calendar.from_ical(ical.feed_ics(people["beneficiary"]))

    assert str(calendar["X-WR-CALNAME"]) == "Tisser — mes rencontres"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"


# --- the feed token ----------------------------------------------------------------------


def test_calendar_feed_regenerate_resolve_revoke(clock, people):
    beneficiary = people["beneficiary"]

    # when a person asks for a subscription address
    token = services.calendar_feed_regenerate(user=beneficiary)

    # then the secret resolves to them and only its hash is stored
    assert services.calendar_feed_user(token) == beneficiary
    assert CalendarFeed.objects.get(user=beneficiary).token_hash != token
    assert token not in CalendarFeed.objects.values_list("token_hash", flat=True)

    # a new address replaces the old one
    new_token = services.calendar_feed_regenerate(user=beneficiary)
    assert new_token != token
    assert services.calendar_feed_user(token) is None
    assert services.calendar_feed_user(new_token) == beneficiary
    assert CalendarFeed.objects.filter(user=beneficiary).count() == 1

    # revoked, it stops working
    services.calendar_feed_revoke(user=beneficiary)
    assert services.calendar_feed_user(new_token) is None
    services.calendar_feed_revoke(user=beneficiary)  # nothing to revoke: no error


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_calendar_feed_user_rejects_unknown_tokens(people, token):
    services.calendar_feed_regenerate(user=people["beneficiary"])

    assert services.calendar_feed_user(token) is None


def test_calendar_feed_of_an_inactive_person_is_dead(people):
    token = services.calendar_feed_regenerate(user=people["beneficiary"])
    people["beneficiary"].is_active = False
    people["beneficiary"].save(update_fields=["is_active"])

    assert services.calendar_feed_user(token) is None


def test_calendar_feed_records_fetches_at_most_once_a_minute(clock, people):
    token = services.calendar_feed_regenerate(user=people["beneficiary"])

    def last_fetched():
        return CalendarFeed.objects.get(user=people["beneficiary"]).last_fetched_at

    services.calendar_feed_user(token)
    assert last_fetched() == NOW
    clock.tick(timedelta(seconds=30))
    services.calendar_feed_user(token)
    assert last_fetched() == NOW
    clock.tick(timedelta(seconds=31))
    services.calendar_feed_user(token)
    assert last_fetched() == NOW + timedelta(seconds=61)
