"""The geometry of a story's charts (`tisser.outcomes.story`), drawn as inline SVG by
`www/beneficiary/_story.html`: up to three small panels stacked on **one time axis** (real
dates, not evenly spaced) — isolation (overall and felt, 0–100), the network (contacts,
enquêtes done, introductions, the longest referral chain) and meetings and help — each with
the story's milestones as numbered vertical lines. A panel whose figures are all zero is
left out. A week's counts are those at its end (`Story.weeks`): each is placed at the end of
its week, and drawn as steps — it holds until the next week's end, then changes — since a
count changes on a day, not along a slope. The viewBox is narrow (420) so that its text
stays legible once scaled down to a 390 px phone; the data tables on the page carry the same
figures."""

import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.core.dates import french_date
from tisser.outcomes.story import MilestoneKind, Story, day_start
from tisser.www.assessments.chart import STYLES, Line, Point, Tick
from tisser.www.network.graph_chart import nice_top

WIDTH = 420
LEFT, RIGHT, TOP, BOTTOM = 36, 14, 24, 34
INSET = 10
MILESTONE_COLOUR = "#4a5560"  # 7.5:1 on white
# Milestones closer than this (viewBox units) have their numbers staggered.
CLOSE = 16

MILESTONE_LABELS: dict[MilestoneKind, Promise] = {
    MilestoneKind.BILAN_START: _("Début du bilan"),
    MilestoneKind.BILAN_END: _("Fin du bilan"),
    MilestoneKind.FIRST_INTERVIEW: _("Première enquête-métier réalisée"),
    MilestoneKind.MENTOR: _("Début du mentorat"),
    MilestoneKind.MENTOR_END: _("Fin du mentorat"),
    MilestoneKind.GROUP: _("Arrivée dans un groupe de pairs"),
}

ISOLATION_SERIES = (
    ("overall", _("Score d'isolement (vue d'ensemble)")),
    ("felt", _("Isolement ressenti")),
)
NETWORK_SERIES = (
    ("contacts", _("Contacts")),
    ("interviews_done", _("Enquêtes réalisées")),
    ("referrals", _("Mises en relation reçues")),
    ("chain", _("Plus longue chaîne de mises en relation")),
)
MEETING_SERIES = (
    ("mentor_meetings", _("Rencontres de mentorat")),
    ("group_meetings", _("Réunions de groupe suivies")),
    ("commitments_kept", _("Engagements tenus")),
    ("help_given", _("Aide donnée")),
    ("help_received", _("Aide reçue")),
)


@dataclass(frozen=True)
class StepLine(Line):
    """A count measured at each point: level from one point to the next, then up or down."""

    @property
    def polyline(self) -> str:
        corners = [(self.points[0].x, self.points[0].y)] if self.points else []
        for before, after in itertools.pairwise(self.points):
            if after.y != before.y:
                corners.append((after.x, before.y))
            corners.append((after.x, after.y))
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)


@dataclass(frozen=True)
class MilestoneMark:
    number: int
    kind: MilestoneKind
    at: datetime
    x: float
    label_y: float

    @property
    def label(self) -> Promise:
        return MILESTONE_LABELS[self.kind]


@dataclass(frozen=True)
class Panel:
    key: str
    height: int
    top: int
    bottom: int
    lines: tuple[Line, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    milestones: tuple[MilestoneMark, ...]
    width: int = WIDTH
    left: int = LEFT
    right: int = WIDTH - RIGHT

    @property
    def axis_y(self) -> int:
        return self.bottom + 18


@dataclass(frozen=True)
class StoryCharts:
    isolation: Panel | None
    network: Panel | None
    meetings: Panel | None
    milestones: tuple[MilestoneMark, ...]

    @property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(p for p in (self.isolation, self.network, self.meetings) if p)


class TimeAxis:
    def __init__(self, start: datetime, end: datetime):
        if end - start < timedelta(days=7):
            start = end - timedelta(days=7)
        self.start, self.end = start, end
        self.span = (end - start).total_seconds()

    def x(self, at: datetime) -> float:
        plot = WIDTH - LEFT - RIGHT - 2 * INSET
        return LEFT + INSET + plot * (at - self.start).total_seconds() / self.span

    def ticks(self) -> tuple[Tick, ...]:
        """Month starts (at most five, each labelled « janv. », with the year on the first
        and on January), or Mondays when the axis spans less than seven weeks."""
        first, last = timezone.localdate(self.start), timezone.localdate(self.end)
        if (last - first).days < 49:
            days = []
            day = first + timedelta(days=(7 - first.weekday()) % 7)
            while day <= last:
                days.append(day)
                day += timedelta(weeks=1)
            step = math.ceil(len(days) / 4) or 1
            return tuple(Tick(self.x(day_start(d)), french_date(d, "j N")) for d in days[::step])
        months = []
        month = date(first.year, first.month, 1)
        while month <= last:
            if month >= first:
                months.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        step = math.ceil(len(months) / 5) or 1
        shown = months[::step]
        return tuple(
            Tick(
                self.x(day_start(m)),
                french_date(m, "N Y") if index == 0 or m.month == 1 else french_date(m, "N"),
            )
            for index, m in enumerate(shown)
        )


def _marks(story: Story, axis: TimeAxis) -> tuple[MilestoneMark, ...]:
    marks = []
    previous_x = None
    staggered = False
    for number, milestone in enumerate(story.milestones, start=1):
        x = axis.x(milestone.at)
        staggered = previous_x is not None and x - previous_x < CLOSE and not staggered
        marks.append(
            MilestoneMark(number, milestone.kind, milestone.at, x, 10 if not staggered else 20)
        )
        previous_x = x
    return tuple(marks)


def _panel(
    key: str,
    height: int,
    lines: tuple[Line, ...],
    y_ticks: tuple[Tick, ...],
    axis: TimeAxis,
    marks: tuple[MilestoneMark, ...],
) -> Panel:
    return Panel(
        key=key,
        height=height,
        top=TOP,
        bottom=height - BOTTOM,
        lines=lines,
        y_ticks=y_ticks,
        x_ticks=axis.ticks(),
        milestones=marks,
    )


def story_charts(story: Story) -> StoryCharts | None:
    """The panels of `story`, or None when nothing was measured yet."""
    if story.is_empty:
        return None
    axis = TimeAxis(story.started_at, story.now)
    marks = _marks(story, axis)

    isolation = None
    if any(check.overall is not None for check in story.checks):
        height = 170
        plot = height - TOP - BOTTOM

        def y_score(value: float) -> float:
            return TOP + plot * (100 - value) / 100

        lines = []
        for (key, title), (colour, dash), width in zip(
            ISOLATION_SERIES, STYLES, (3, 2), strict=False
        ):
            points = tuple(
                Point(axis.x(check.at), y_score(value), value)
                for check in story.checks
                if (value := getattr(check, key)) is not None
            )
            if points:
                lines.append(Line(key, str(title), colour, dash, width, points))
        isolation = _panel(
            "isolation",
            height,
            tuple(lines),
            tuple(Tick(y_score(v), str(v)) for v in (0, 50, 100)),
            axis,
            marks,
        )

    def counts_panel(key: str, series) -> Panel | None:
        shown = [
            (name, title)
            for name, title in series
            if any(getattr(week, name) for week in story.weeks)
        ]
        if not shown:
            return None
        height = 150
        plot = height - TOP - BOTTOM
        top, _step = nice_top(
            max(getattr(week, name) for week in story.weeks for name, _t in shown)
        )

        def y(value: float) -> float:
            return TOP + plot * (top - value) / top

        lines = tuple(
            StepLine(
                name,
                str(title),
                colour,
                dash,
                3 if index == 0 else 2,
                tuple(
                    Point(axis.x(week.at), y(getattr(week, name)), getattr(week, name))
                    for week in story.weeks
                ),
            )
            for index, ((name, title), (colour, dash)) in enumerate(
                zip(shown, STYLES, strict=False)
            )
        )
        # Three labels at most: 0, the middle when it is whole, the top.
        values = (0, top // 2, top) if top % 2 == 0 and top >= 2 else (0, top)
        ticks = tuple(Tick(y(v), str(v)) for v in values)
        return _panel(key, height, lines, ticks, axis, marks)

    return StoryCharts(
        isolation=isolation,
        network=counts_panel("network", NETWORK_SERIES),
        meetings=counts_panel("meetings", MEETING_SERIES),
        milestones=marks,
    )
