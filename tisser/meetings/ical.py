"""iCalendar (RFC 5545) exports: one meeting, one series, and a person's private feed.

Every materialised occurrence is its own VEVENT; no RRULE master is exported. The rows are
the truth — each meeting can be moved or cancelled on its own, and rules are expanded in
the series' wall time with our DST policy — so exporting them one by one makes a move or a
cancellation a plain update of one event (same UID, higher SEQUENCE, STATUS:CANCELLED) and
leaves no room for clients to disagree on how a rule, its RECURRENCE-ID overrides or EXDATEs
expand. The feed is republished whole at every poll, as subscriptions expect.

The UID of a meeting is derived from its series and its slot in the rule (`original_start`),
so it stays the same when the meeting moves."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.utils.timezone import now
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
)

from tisser.meetings.models import (
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.meetings.services import horizon_days

PRODID = "-//Tisser//Rencontres//FR"
FEED_PAST_DAYS = 90
FEED_REFRESH = timedelta(hours=1)


def occurrence_uid(occurrence: Occurrence) -> str:
    slot = occurrence.original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{occurrence.series.uid}-{slot}@tisser"


def occurrence_url(occurrence: Occurrence) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/rencontres/{occurrence.pk}/"


def occurrence_ics(occurrence: Occurrence) -> bytes:
    """One meeting, for an "add to my calendar" download."""
    occurrence = _with_participants(Occurrence.objects.filter(pk=occurrence.pk)).get()
    return _calendar_bytes([occurrence])


def series_ics(series: MeetingSeries) -> bytes:
    """Every planned meeting of a series, cancelled ones included (STATUS:CANCELLED)."""
    return _calendar_bytes(_with_participants(Occurrence.objects.filter(series=series)))


def feed_ics(user) -> bytes:
    """The meetings of every series `user` takes part in, from FEED_PAST_DAYS ago to the
    planning horizon — for the private subscription address."""
    current = now()
    occurrences = _with_participants(
        Occurrence.objects.filter(
            series__participants__user=user,
            start__gte=current - timedelta(days=FEED_PAST_DAYS),
            start__lte=current + timedelta(days=horizon_days()),
        )
    )
    return _calendar_bytes(occurrences, name=_("Tisser — mes rencontres"), feed=True)


def _with_participants(occurrences):
    return (
        occurrences.select_related("series")
        .prefetch_related(
            Prefetch(
                "series__participants",
                queryset=SeriesParticipant.objects.select_related("user").order_by(
                    "user__last_name", "user__first_name", "id"
                ),
            )
        )
        .order_by("start", "id")
    )


def _calendar_bytes(
    occurrences: Iterable[Occurrence], *, name: str | None = None, feed: bool = False
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)  # RFC 7986
        calendar.add("x-wr-calname", name)  # what most clients still read
    if feed:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", FEED_REFRESH)
    stamp = now().astimezone(UTC)
    years: dict[str, set[int]] = defaultdict(set)
    events = []
    for occurrence in occurrences:
        zone = occurrence.series.timezone
        years[zone] |= {occurrence.start.year, occurrence.end.year}
        events.append(_event(occurrence, stamp))
    # VTIMEZONE components come first: a reader may need them to read the events' times.
    for zone, zone_years in sorted(years.items()):
        calendar.add_component(vtimezone(zone, min(zone_years), max(zone_years)))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _event(occurrence: Occurrence, stamp: datetime) -> Event:
    series = occurrence.series
    zone = ZoneInfo(series.timezone)
    participants = list(series.participants.all())
    cancelled = occurrence.status == Occurrence.Status.CANCELLED

    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("dtstamp", stamp)
    event.add("last-modified", max(occurrence.updated_at, series.updated_at).astimezone(UTC))
    event.add("dtstart", occurrence.start.astimezone(zone))
    event.add("dtend", occurrence.end.astimezone(zone))
    event.add("sequence", occurrence.sequence + series.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Some clients ignore STATUS in subscribed calendars: say it in the title too.
    title = _("Annulée : %(title)s") % {"title": series.title} if cancelled else series.title
    event.add("summary", title)
    if occurrence.mode == MeetingMode.VIDEO and occurrence.location:
        event.add("url", occurrence.location)
    elif occurrence.mode == MeetingMode.PHONE and occurrence.location:
        event.add("location", _("Téléphone : %(number)s") % {"number": occurrence.location})
    elif occurrence.location:
        event.add("location", occurrence.location)
    event.add("description", _description(occurrence, participants))
    organiser = next(
        (p.user for p in participants if p.role == SeriesParticipant.ParticipantRole.ORGANISER),
        None,
    )
    if organiser is not None:
        event.add(
            "organizer",
            vCalAddress.new(organiser.email, cn=organiser.get_full_name() or organiser.email),
        )
    return event


def _description(occurrence: Occurrence, participants: list[SeriesParticipant]) -> str:
    # Participants are named here rather than as ATTENDEE properties: RFC 5546 forbids
    # attendees in a PUBLISH object, and a calendar file travels further than the page, so
    # it carries no one's email address but the organiser's.
    lines = [occurrence.series.description] if occurrence.series.description else []
    names = ", ".join(p.user.get_full_name() or p.user.email for p in participants)
    lines.append(_("Participant·es : %(names)s") % {"names": names})
    if occurrence.mode == MeetingMode.VIDEO and occurrence.location:
        lines.append(_("Lien de visioconférence : %(url)s") % {"url": occurrence.location})
    lines.append(
        _("Préparer et suivre la rencontre : %(url)s") % {"url": occurrence_url(occurrence)}
    )
    return "\n\n".join(lines)


@lru_cache(maxsize=32)
def vtimezone(tz_name: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of `tz_name` from 1 January `first_year` to the end of `last_year`,
    computed from zoneinfo: one observance per offset change.

    Not icalendar's own generator (`Timezone.from_tzinfo`, `add_missing_timezones`): it
    dates the spring-forward onset in the new offset's wall time (03:00 in Paris) while
    RFC 5545 §3.6.5 wants the onset in the TZOFFSETFROM wall time (02:00), so a client that
    reads the VTIMEZONE would switch an hour late. The component is cached: do not modify it."""
    zone = ZoneInfo(tz_name)
    # The first observance starts a day early: readers (dateutil among them) guess the offset
    # of a wall time from its neighbourhood, and must not find the start of the range there.
    start = int((datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=1)).timestamp())
    stop = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())

    def local(timestamp: int) -> datetime:
        # fromutc sets `fold` on the second of two ambiguous wall times by itself; it does
        # not depend on the datetime class doing it (test clocks replace that class).
        return zone.fromutc(datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=zone))

    def state(timestamp: int) -> tuple[timedelta, bool, str]:
        moment = local(timestamp)
        return moment.utcoffset(), bool(moment.dst()), moment.tzname()

    def wall(timestamp: int, offset: timedelta) -> datetime:
        return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None) + offset

    offset, is_dst, name = state(start)
    onsets: dict[tuple[bool, timedelta, timedelta, str], list[datetime]] = defaultdict(list)
    # The first observance comes "from" standard time: readers take TZOFFSETTO minus
    # TZOFFSETFROM of a DAYLIGHT observance as its saving, and would find none.
    standard = offset - (local(start).dst() or timedelta())
    onsets[(is_dst, standard, offset, name)].append(wall(start, standard))
    day = 86400
    for moment in range(start, stop, day):
        following = state(moment + day)
        if following == (offset, is_dst, name):
            continue
        before, after = moment, moment + day  # bisect to the second of the change
        while after - before > 1:
            middle = (before + after) // 2
            if state(middle) == (offset, is_dst, name):
                before = middle
            else:
                after = middle
        onsets[(following[1], offset, following[0], following[2])].append(wall(after, offset))
        offset, is_dst, name = following

    component = Timezone()
    component.add("tzid", tz_name)
    for (is_dst, offset_from, offset_to, name), starts in sorted(
        onsets.items(), key=lambda item: item[1][0]
    ):
        observance = TimezoneDaylight() if is_dst else TimezoneStandard()
        observance.add("dtstart", starts[0])
        if starts[1:]:
            observance.add("rdate", starts[1:])
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        observance.add("tzname", name)
        component.add_component(observance)
    return component
