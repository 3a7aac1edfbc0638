"""Working days ("jours ouvrés") in France: Monday to Friday, public holidays excepted.

The public holidays come from the `holidays` package (the maintained "Open World Holidays
Framework"), for metropolitan France by default. `TISSER_PUBLIC_HOLIDAYS_SUBDIVISION` names a
subdivision it knows ("57" Moselle, "6AE" Alsace, "971"… overseas) for an organisme whose
calendar has more days off. ADR 0017 says why a library rather than our own list."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


def _subdivision() -> str | None:
    return getattr(settings, "TISSER_PUBLIC_HOLIDAYS_SUBDIVISION", None) or None


@lru_cache(maxsize=64)
def _holidays_of(year: int, subdivision: str | None) -> frozenset[date]:
    return frozenset(holidays.France(years=year, subdiv=subdivision, language="fr").keys())


def public_holiday(day: date) -> bool:
    return day in _holidays_of(day.year, _subdivision())


def public_holiday_name(day: date) -> str | None:
    calendar = holidays.France(years=day.year, subdiv=_subdivision(), language="fr")
    return calendar.get(day)


def working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and not public_holiday(day)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself never counts): a Friday plus
    three working days is the next Wednesday, or the Thursday when a holiday falls between."""
    if count < 0:
        raise ValueError("count must be positive or zero")
    return _add_working_days(day, count, _subdivision())


# A list of deadlines asks for the same few hundred days again and again.
@lru_cache(maxsize=4096)
def _add_working_days(day: date, count: int, subdivision: str | None) -> date:
    current = day
    while count:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in _holidays_of(current.year, subdivision):
            count -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days come after `start` up to `end` included (0 when `end` is not
    after `start`)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if working_day(current):
            count += 1
    return count


def working_day_on_or_before(day: date) -> date:
    """`day` when it is a working day, else the last working day before it."""
    while not working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    """`day` when it is a working day, else the first working day after it."""
    while not working_day(day):
        day += timedelta(days=1)
    return day


def weekly_working_start(
    latest: date, count: int, *, earliest: date, interval_weeks: int = 1
) -> date:
    """The latest day from `latest` back to `earliest` from which `count` dates
    `interval_weeks` weeks apart all fall on working days: where a weekly series of meetings
    avoids weekends and public holidays (the demo's entretiens). ValueError when there is
    none in that window."""
    step = timedelta(weeks=interval_weeks)
    candidate = latest
    while candidate >= earliest:
        if all(working_day(candidate + index * step) for index in range(count)):
            return candidate
        candidate -= timedelta(days=1)
    raise ValueError(f"no weekly series of {count} working days from {earliest} to {latest}")
