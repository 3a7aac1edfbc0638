from datetime import date

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
