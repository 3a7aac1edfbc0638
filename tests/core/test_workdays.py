from datetime import date, timedelta

from tisser.core import workdays
from tisser.core.workdays import (
    add_working_days,
    public_holiday,
    working_day,
    working_days_between,
)


def test_a_friday_plus_three_working_days_is_the_next_wednesday():
    assert add_working_days(date(2025, 5, 16), 3) == date(2025, 5, 21)


def test_a_public_holiday_in_between_moves_the_deadline_a_day():
    # Lundi de Pentecôte, 9 June 2025.
    assert public_holiday(date(2025, 6, 9))
    assert add_working_days(date(2025, 6, 6), 3) == date(2025, 6, 12)


def test_christmas_and_new_year():
    assert add_working_days(date(2025, 12, 24), 3) == date(2025, 12, 30)
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_weekends_and_holidays_are_not_working_days():
    assert not working_day(date(2025, 5, 17))  # a Saturday
    assert not working_day(date(2025, 7, 14))
    assert working_day(date(2025, 7, 15))
    assert working_days_between(date(2025, 5, 16), date(2025, 5, 21)) == 3
    assert working_days_between(date(2025, 5, 21), date(2025, 5, 16)) == 0


def test_alsace_moselle_has_more_days_off(settings):
    settings.TISSER_PUBLIC_HOLIDAYS_SUBDIVISION = "57"
    # Vendredi saint 2025 (18 April) and the 26th of December are days off in Moselle.
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    settings.TISSER_PUBLIC_HOLIDAYS_SUBDIVISION = None
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 18)


def test_the_nearest_working_day_before_and_after_a_long_weekend():
    # Saturday 8 May 2027 is a holiday and a Saturday; Sunday 9 May; Monday 10 is worked.
    assert workdays.working_day_on_or_before(date(2027, 5, 9)) == date(2027, 5, 7)
    assert workdays.working_day_on_or_after(date(2027, 5, 8)) == date(2027, 5, 10)
    assert workdays.working_day_on_or_after(date(2027, 5, 10)) == date(2027, 5, 10)


def test_a_weekly_series_of_working_days_skips_a_start_that_meets_a_holiday():
    # From Thursday 29 April 2027 the second date is Ascension (Thursday 6 May): the latest
    # start in the window whose three dates are all worked is the Wednesday before.
    start = workdays.weekly_working_start(date(2027, 4, 29), 3, earliest=date(2027, 4, 24))
    assert start == date(2027, 4, 28)
    assert all(workdays.working_day(start + timedelta(weeks=week)) for week in range(3))
