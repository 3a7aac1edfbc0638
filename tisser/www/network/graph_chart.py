"""The geometry of the weekly chart of the network view: one line per figure (contacts,
enquêtes réalisées, mises en relation, secteurs), one point per week, drawn as inline SVG by
the template, the same figures in a table beside it."""

import math
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from tisser.core.dates import french_date
from tisser.network.metrics import WeekMetrics
from tisser.www.assessments.chart import STYLES, Chart, Line, Point, Tick

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56
INSET = 32
X_LABELS = 8  # at most this many week labels under the axis

SERIES = (
    ("contacts", _("Contacts")),
    ("interviews_done", _("Enquêtes réalisées")),
    ("referrals", _("Mises en relation obtenues")),
    ("sectors", _("Secteurs distincts")),
)


def nice_top(value: int) -> tuple[int, int]:
    """The top of the y axis and its step: 1, 2 or 5 × a power of ten, at most 5 steps."""
    value = max(value, 1)
    magnitude = 10 ** max(0, math.floor(math.log10(value)) - 1)
    for factor in (1, 2, 5, 10, 20, 50):
        step = factor * magnitude
        if step * 5 >= value:
            return step * math.ceil(value / step), step
    raise AssertionError("unreachable")  # pragma: no cover


def weekly_chart(weeks: Sequence[WeekMetrics]) -> Chart | None:
    """The chart of `weeks` (in chronological order), or None when there is none."""
    if not weeks:
        return None
    plot_width = WIDTH - LEFT - RIGHT - 2 * INSET
    plot_height = HEIGHT - TOP - BOTTOM
    top, step = nice_top(
        max(getattr(week.metrics, key) for week in weeks for key, _title in SERIES)
    )

    def x(index: int) -> float:
        if len(weeks) == 1:
            return LEFT + INSET + plot_width / 2
        return LEFT + INSET + plot_width * index / (len(weeks) - 1)

    def y(value: int) -> float:
        return TOP + plot_height * (top - value) / top

    lines = tuple(
        Line(
            key,
            str(title),
            colour,
            dash,
            4 if key == "contacts" else 2,
            tuple(
                Point(x(i), y(getattr(week.metrics, key)), getattr(week.metrics, key))
                for i, week in enumerate(weeks)
            ),
        )
        for (key, title), (colour, dash) in zip(SERIES, STYLES, strict=False)
    )
    every = math.ceil(len(weeks) / X_LABELS)
    labelled = [i for i in range(len(weeks)) if (len(weeks) - 1 - i) % every == 0]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        lines=lines,
        y_ticks=tuple(Tick(y(v), str(v)) for v in range(0, top + 1, step)),
        x_ticks=tuple(Tick(x(i), french_date(weeks[i].week, "d/m")) for i in labelled),
    )
