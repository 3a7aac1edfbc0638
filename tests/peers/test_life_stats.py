"""Periods (weekly Monday–Sunday, calendar months), kept rates and streaks."""

from datetime import date

import pytest

from tisser.peers.models import Rhythm
from tisser.peers.periods import Period, period_before, period_of, periods_back
from tisser.peers.stats import current_streak, kept_rate

DONE, PARTIAL, NOT_DONE, OPEN = "done", "partial", "not_done", ""


@pytest.mark.parametrize(
    ("rhythm", "day", "expected"),
    [
        (Rhythm.WEEKLY, date(2025, 3, 5), Period(date(2025, 3, 3), date(2025, 3, 9))),
        (Rhythm.WEEKLY, date(2025, 3, 3), Period(date(2025, 3, 3), date(2025, 3, 9))),
        (Rhythm.WEEKLY, date(2025, 3, 9), Period(date(2025, 3, 3), date(2025, 3, 9))),
        (Rhythm.WEEKLY, date(2024, 12, 31), Period(date(2024, 12, 30), date(2025, 1, 5))),
        (Rhythm.MONTHLY, date(2024, 2, 10), Period(date(2024, 2, 1), date(2024, 2, 29))),
        (Rhythm.MONTHLY, date(2025, 12, 31), Period(date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_the_period_of_a_day_follows_the_rhythm(rhythm, day, expected):
    assert period_of(rhythm, day) == expected


def test_periods_go_back_without_gaps():
    periods = periods_back(Rhythm.MONTHLY, date(2025, 3, 15), 4)

    assert [p.start for p in periods] == [date(2025, m, 1) for m in (3, 2, 1)] + [date(2024, 12, 1)]
    assert period_before(Rhythm.WEEKLY, period_of(Rhythm.WEEKLY, date(2025, 3, 5))).start == date(
        2025, 2, 24
    )


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([DONE, PARTIAL, NOT_DONE, OPEN], 0.5),
        ([DONE, DONE], 1.0),
        ([NOT_DONE], 0.0),
        ([OPEN, OPEN], None),
        ([], None),
    ],
)
def test_kept_rate_counts_done_1_partial_half_not_done_0(outcomes, expected):
    assert kept_rate(outcomes) == expected


def week(n: int) -> date:
    """The Monday `n` weeks before the week of 2025-03-19 (n = 0 is that week)."""
    return date.fromordinal(date(2025, 3, 17).toordinal() - 7 * n)


TODAY = date(2025, 3, 19)


@pytest.mark.parametrize(
    ("by_period", "expected"),
    [
        # the current week still open does not break the streak of the 2 previous ones
        ({week(0): [OPEN], week(1): [DONE, PARTIAL], week(2): [DONE]}, 2),
        # the current week fully kept counts
        ({week(0): [DONE], week(1): [DONE]}, 2),
        # not done this week: the streak is broken now
        ({week(0): [DONE, NOT_DONE], week(1): [DONE]}, 0),
        # a week without commitments breaks it
        ({week(1): [DONE], week(3): [DONE]}, 1),
        # a past week left without check-in breaks it
        ({week(1): [DONE], week(2): [OPEN], week(3): [DONE]}, 1),
        ({}, 0),
    ],
)
def test_the_streak_counts_consecutive_periods_all_at_least_partly_kept(by_period, expected):
    assert current_streak(by_period, rhythm=Rhythm.WEEKLY, today=TODAY) == expected
