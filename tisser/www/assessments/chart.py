"""The geometry of the history chart, drawn as inline SVG by the template: one line per
score (overall and each dimension), checks evenly spaced from left to right."""

from dataclasses import dataclass

from django.utils import timezone

from tisser.assessments import isolation
from tisser.core.dates import french_date

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56
# The first and last checks sit this far inside the plot, so that their dates fit under them.
INSET = 48
# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by dashes too.
STYLES = (
    ("#063f46", ""),
    ("#8a3b12", "8 4"),
    ("#5b3a8c", "2 3"),
    ("#1f5f2a", "10 3 2 3"),
    ("#9b1c4a", "4 4"),
    ("#2d4a8a", "1 2"),
)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    colour: str
    dash: str
    width: int
    points: tuple[Point, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: tuple[Line, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]


def _short_date(check) -> str:
    return french_date(timezone.localtime(check.created_at), "SHORT_DATE_FORMAT")


def history_chart(checks, date_format=_short_date):
    """The chart of `checks` (in chronological order), or None when there is none."""
    if not checks:
        return None
    plot_width = WIDTH - LEFT - RIGHT - 2 * INSET
    plot_height = HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        if len(checks) == 1:
            return LEFT + INSET + plot_width / 2
        return LEFT + INSET + plot_width * index / (len(checks) - 1)

    def y(value: int) -> float:
        return TOP + plot_height * (100 - value) / 100

    keys = [(isolation.OVERALL, str(isolation.OVERALL_TITLE))] + [
        (dimension.id, str(dimension.title)) for dimension in isolation.DIMENSIONS
    ]
    lines = []
    for (key, title), (colour, dash) in zip(keys, STYLES, strict=True):
        points = tuple(
            Point(x(i), y(check.scores[key]), check.scores[key])
            for i, check in enumerate(checks)
            if key in check.scores
        )
        width = 4 if key == isolation.OVERALL else 2
        lines.append(Line(key, title, colour, dash, width, points))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        lines=tuple(lines),
        y_ticks=tuple(Tick(y(v), str(v)) for v in (0, 25, 50, 75, 100)),
        x_ticks=tuple(Tick(x(i), date_format(check)) for i, check in enumerate(checks)),
    )
