"""Commitment periods: a group commits per week (Monday to Sunday) or per calendar month,
according to its rhythm. A period is named by its first and last days, both included."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from tisser.core.dates import french_date
from tisser.peers.models import Rhythm


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        """How the page names it: « semaine du 3 au 9 mars 2025 », « mars 2025 »."""
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            return french_date(self.start, "F Y")
        return _("semaine du %(start)s au %(end)s") % {
            "start": french_date(self.start, "j F"),
            "end": french_date(self.end, "j F Y"),
        }


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def period_of(rhythm: Rhythm | str, day: date) -> Period:
    """The period of `rhythm` that contains `day`."""
    if Rhythm(rhythm) == Rhythm.MONTHLY:
        return Period(day.replace(day=1), _month_end(day))
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def period_before(rhythm: Rhythm | str, period: Period) -> Period:
    return period_of(rhythm, period.start - timedelta(days=1))


def periods_back(rhythm: Rhythm | str, day: date, count: int) -> list[Period]:
    """The period containing `day` and the `count - 1` before it, the most recent first."""
    periods = [period_of(rhythm, day)]
    while len(periods) < count:
        periods.append(period_before(rhythm, periods[-1]))
    return periods
