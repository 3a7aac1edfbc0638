from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from tisser.meetings.recurrence import (
    RecurrencePreset,
    local_to_aware,
    occurrence_starts,
    preset_rrule,
    rrule_validate,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def expand(first_start: datetime, rrule: str, **kwargs) -> list[datetime]:
    """The starts of a Paris series, read in Paris time."""
    starts = occurrence_starts(
        first_start=first_start, tz_name="Europe/Paris", rrule=rrule, **kwargs
    )
    return [start.astimezone(PARIS) for start in starts]


# --- presets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "first_start", "expected"),
    [
        (RecurrencePreset.NONE, datetime(2026, 3, 10, 18), ""),
        (RecurrencePreset.WEEKLY, datetime(2026, 3, 10, 18), "FREQ=WEEKLY;BYDAY=TU"),
        (
            RecurrencePreset.FORTNIGHTLY,
            datetime(2026, 3, 12, 18),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        ),
        (RecurrencePreset.MONTHLY, datetime(2026, 3, 10, 18), "FREQ=MONTHLY;BYDAY=2TU"),
        (RecurrencePreset.MONTHLY, datetime(2026, 3, 2, 18), "FREQ=MONTHLY;BYDAY=1MO"),
        (RecurrencePreset.MONTHLY, datetime(2026, 3, 28, 10), "FREQ=MONTHLY;BYDAY=4SA"),
        # A fifth weekday does not exist every month: it becomes "the last".
        (RecurrencePreset.MONTHLY, datetime(2026, 3, 31, 18), "FREQ=MONTHLY;BYDAY=-1TU"),
    ],
)
def test_preset_rrule(preset, first_start, expected):
    # given a first meeting, when the preset is turned into a rule
    rule = preset_rrule(preset, first_start)

    # then it is the expected RFC 5545 rule, and a valid one
    assert rule == expected
    assert rrule_validate(rule, first_start=first_start.replace(tzinfo=PARIS)) == expected


def test_custom_preset_has_no_rule_of_its_own():
    with pytest.raises(ValueError):
        preset_rrule(RecurrencePreset.CUSTOM, datetime(2026, 3, 10, 18))


def test_monthly_preset_keeps_the_weekday_position():
    # given a first meeting on the 2nd Tuesday of March
    first = paris(2026, 3, 10, 18)

    # when the monthly preset is expanded
    starts = expand(first, preset_rrule(RecurrencePreset.MONTHLY, first) + ";COUNT=4")

    # then every meeting is the 2nd Tuesday of its month, at 18:00
    assert [s.date() for s in starts] == [
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
        date(2026, 6, 9),
    ]
    assert {s.time() for s in starts} == {time(18)}


def test_fortnightly_preset_meets_twice_a_month():
    first = paris(2026, 3, 5, 18, 30)

    starts = expand(first, preset_rrule(RecurrencePreset.FORTNIGHTLY, first) + ";COUNT=4")

    assert [s.date() for s in starts] == [
        date(2026, 3, 5),
        date(2026, 3, 19),
        date(2026, 4, 2),
        date(2026, 4, 16),
    ]


# --- daylight saving ---------------------------------------------------------------------


def test_weekly_1800_stays_1800_across_spring_forward():
    # given a weekly 18:00 series around the last Sunday of March 2026 (29 March)
    starts = expand(paris(2026, 3, 17, 18), "FREQ=WEEKLY;COUNT=4")

    # then the wall-clock time stays and the UTC offset moves from +1 to +2
    assert [s.time() for s in starts] == [time(18)] * 4
    assert [s.utcoffset() for s in starts] == [timedelta(hours=h) for h in (1, 1, 2, 2)]
    assert [s.astimezone(UTC).hour for s in starts] == [17, 17, 16, 16]


def test_weekly_1800_stays_1800_across_fall_back():
    # given a weekly 18:00 series around the last Sunday of October 2026 (25 October)
    starts = expand(paris(2026, 10, 13, 18), "FREQ=WEEKLY;COUNT=4")

    assert [s.time() for s in starts] == [time(18)] * 4
    assert [s.utcoffset() for s in starts] == [timedelta(hours=h) for h in (2, 2, 1, 1)]


def test_a_time_in_the_spring_forward_gap_is_shifted_forward_by_the_gap():
    # given a weekly meeting at 02:30 on Sundays; 29 March 2026 has no 02:00–03:00 in Paris
    starts = expand(paris(2026, 3, 22, 2, 30), "FREQ=WEEKLY;COUNT=3")

    # then that day's meeting is at 03:30 summer time, and the next one is back at 02:30
    assert [(s.date(), s.time()) for s in starts] == [
        (date(2026, 3, 22), time(2, 30)),
        (date(2026, 3, 29), time(3, 30)),
        (date(2026, 4, 5), time(2, 30)),
    ]
    assert starts[1].astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_an_ambiguous_time_takes_the_first_of_its_two_instants():
    # given 02:30 on 25 October 2026, which happens twice in Paris
    starts = expand(paris(2026, 10, 18, 2, 30), "FREQ=WEEKLY;COUNT=2")

    # then the meeting is at the first 02:30, still on summer time
    assert starts[1].time() == time(2, 30)
    assert starts[1].utcoffset() == timedelta(hours=2)
    assert starts[1].astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wall", "expected_utc"),
    [
        (datetime(2026, 3, 29, 2, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # gap → 03:00
        (datetime(2026, 3, 29, 2, 59), datetime(2026, 3, 29, 1, 59, tzinfo=UTC)),  # gap → 03:59
        (datetime(2026, 3, 29, 3, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (datetime(2026, 10, 25, 2, 0), datetime(2026, 10, 25, 0, 0, tzinfo=UTC)),  # first 02:00
        (datetime(2026, 10, 25, 3, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        (datetime(2026, 7, 1, 12, 0), datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
    ],
)
def test_local_to_aware(wall, expected_utc):
    # (compared in UTC: PEP 495 makes an ambiguous local time unequal to any other zone's)
    assert local_to_aware(wall, PARIS).astimezone(UTC) == expected_utc


# --- rule semantics ----------------------------------------------------------------------


def test_monthly_on_the_31st_skips_months_without_one():
    # given a monthly rule from 31 January (the day number comes from the first meeting)
    starts = expand(paris(2026, 1, 31, 10), "FREQ=MONTHLY;COUNT=7")

    # then months without a 31st are skipped, as RFC 5545 says
    assert [s.date() for s in starts] == [
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 10, 31),
        date(2026, 12, 31),
    ]


def test_last_day_of_the_month_is_written_bymonthday_minus_one():
    starts = expand(paris(2026, 1, 31, 10), "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3")

    assert [s.date() for s in starts] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]


def test_count_includes_the_first_meeting():
    starts = expand(paris(2026, 3, 10, 18), "FREQ=WEEKLY;COUNT=3")

    assert len(starts) == 3


def test_a_first_meeting_off_the_rule_is_still_the_first_occurrence():
    # given a first meeting on a Wednesday and a rule on Mondays and Thursdays
    starts = expand(paris(2026, 3, 11, 18), "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4")

    # then the Wednesday comes first and counts towards COUNT
    assert [s.date() for s in starts] == [
        date(2026, 3, 11),
        date(2026, 3, 12),
        date(2026, 3, 16),
        date(2026, 3, 19),
    ]


@pytest.mark.parametrize(
    ("until", "last_day"),
    [
        # UNTIL in UTC, exactly the last meeting's instant: included
        ("20260407T160000Z", date(2026, 4, 7)),
        # one second earlier: the 7 April meeting is out
        ("20260407T155959Z", date(2026, 3, 31)),
        # a bare date includes its whole day
        ("20260407", date(2026, 4, 7)),
        # a floating date-time is read in the series' zone
        ("20260407T180000", date(2026, 4, 7)),
    ],
)
def test_until_bounds_the_series(until, last_day):
    starts = expand(paris(2026, 3, 17, 18), f"FREQ=WEEKLY;UNTIL={until}")

    assert starts[-1].date() == last_day


def test_single_meeting_without_rule():
    assert expand(paris(2026, 3, 10, 18), "") == [paris(2026, 3, 10, 18)]


def test_starts_are_in_utc():
    starts = occurrence_starts(
        first_start=paris(2026, 10, 18, 2, 30), tz_name="Europe/Paris", rrule="FREQ=WEEKLY;COUNT=2"
    )

    assert {s.tzinfo for s in starts} == {UTC}


def test_open_ended_rule_is_bounded_by_until_and_limit():
    first = paris(2026, 3, 10, 18)

    assert len(expand(first, "FREQ=DAILY", limit=10)) == 10
    assert expand(first, "FREQ=WEEKLY", until=paris(2026, 3, 31, 18))[-1] == paris(2026, 3, 31, 18)


def test_naive_first_start_is_refused():
    with pytest.raises(ValueError):
        occurrence_starts(first_start=datetime(2026, 3, 10, 18), tz_name="Europe/Paris", rrule="")


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("freq=weekly;byday=tu;count=6", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"),
        ("RRULE:FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=2TU"),
        ("COUNT=3;FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=2;COUNT=3"),
        # no COUNT nor UNTIL: an open-ended series is fine
        ("FREQ=WEEKLY", "FREQ=WEEKLY"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ("  ", ""),
    ],
)
def test_rrule_validate_normalises(text, expected):
    assert rrule_validate(text, first_start=paris(2026, 3, 10, 18)) == expected


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("n'importe quoi", "invalid", "n'est pas valide"),
        ("FREQ=WEEKLY;BYDAY=XX", "invalid", "n'est pas valide"),
        ("FREQ=WEEKLY;INTERVAL=0", "invalid", "n'est pas valide"),
        ("FREQ=WEEKLY;COUNT=deux", "invalid", "n'est pas valide"),
        ("FREQ=WEEKLY;FOO=1", "invalid", "n'est pas valide"),
        ("FREQ=WEEKLY;UNTIL=demain", "invalid", "n'est pas valide"),
        ("BYDAY=MO", "invalid", "n'est pas valide"),
        ("FREQ=WEEKLY\nRRULE:FREQ=DAILY", "invalid", "n'est pas valide"),
        ("FREQ=HOURLY", "too_frequent", "plus d'une fois par jour"),
        ("FREQ=MINUTELY;COUNT=5", "too_frequent", "plus d'une fois par jour"),
        ("FREQ=SECONDLY", "too_frequent", "plus d'une fois par jour"),
        ("FREQ=DAILY;BYHOUR=9,14", "time_parts", "première"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231T000000Z", "count_and_until", "pas les deux"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no_occurrence", "aucune rencontre"),
        ("FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31", "no_occurrence", "aucune rencontre"),
        ("FREQ=WEEKLY;UNTIL=20250101T000000Z", "no_occurrence", "aucune rencontre"),
    ],
)
def test_rrule_validate_refuses_with_a_french_message(text, code, words):
    with pytest.raises(ValidationError) as refused:
        rrule_validate(text, first_start=paris(2026, 3, 10, 18))

    assert refused.value.code == code
    assert words in refused.value.messages[0]


def test_rrule_validate_without_first_start_checks_against_now():
    with pytest.raises(ValidationError, match="aucune rencontre"):
        rrule_validate("FREQ=WEEKLY;UNTIL=20000101T000000Z")


def test_unknown_timezone_is_refused():
    with pytest.raises(ValidationError, match="fuseau horaire"):
        rrule_validate("FREQ=WEEKLY", tz_name="Europe/Atlantide")


# --- property ----------------------------------------------------------------------------

ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
RULES = [
    "FREQ=DAILY",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;BYDAY=-1SU",
    "FREQ=WEEKLY;BYDAY=SU",
]


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    rule=st.sampled_from(RULES),
)
def test_every_start_keeps_the_first_wall_clock_time_unless_it_fell_in_a_gap(
    zone_name, day, at, rule
):
    zone = ZoneInfo(zone_name)
    first_start = local_to_aware(datetime.combine(day, at), zone)
    first_time = first_start.astimezone(zone).time()

    starts = occurrence_starts(first_start=first_start, tz_name=zone_name, rrule=rule, limit=60)

    assert starts[0] == first_start.astimezone(UTC)
    assert starts == sorted(starts)
    for start in starts:
        local = start.astimezone(zone)
        if local.time() == first_time:
            # an ambiguous time is the first of its two instants
            assert local.fold == 0
            continue
        # otherwise the wall time did not exist that day: it moved forward by the gap
        wall = datetime.combine(local.date(), first_time)
        before = wall.replace(tzinfo=zone, fold=0).utcoffset()
        after = wall.replace(tzinfo=zone, fold=1).utcoffset()
        assert after > before, f"{wall} exists in {zone_name}, yet became {local}"
        assert local.replace(tzinfo=None) - wall == after - before
