"""The geometry of a programme table's bar chart, drawn as inline SVG by the template: one
horizontal bar per row for the table's `chart_column`, its label above it (wrapped, so that
nothing overflows on a phone: the drawing scales with the page) and its value after it. A
withheld cell draws no bar and says « masqué »; a cell without data, « pas de donnée ». The
data table under the chart holds the same figures."""

import textwrap
from dataclasses import dataclass

from tisser.outcomes.tables import Table

WIDTH = 400
VALUE_WIDTH = 70  # room for « 100 % » after the longest bar
LINE = 21  # a label's line
BAR = 20
GAP = 14
TOP = 6
LABEL_CHARS = 40  # about 340 units at 16 units a character
# Brand teal: 7:1 against white, so the bars meet WCAG 1.4.11 without relying on colour.
COLOUR = "#0a5c66"


@dataclass(frozen=True)
class Line:
    text: str
    y: float


@dataclass(frozen=True)
class Bar:
    lines: tuple[Line, ...]
    y: float
    width: float
    value: str
    shown: bool

    @property
    def height(self) -> int:
        return BAR

    @property
    def middle(self) -> float:
        return self.y + BAR / 2

    @property
    def value_x(self) -> float:
        return self.width + 6


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    colour: str
    bars: tuple[Bar, ...]
    # What the bars show: the name of the table's column they draw.
    column: str = ""


def bar_chart(table: Table) -> BarChart | None:
    """The chart of `table`'s `chart_column`, or None when it has none or nothing above 0."""
    column = table.chart_column
    if column is None or table.is_empty:
        return None
    cells = [row.cells[column] for row in table.rows]
    values = [cell.value for cell in cells if cell.value is not None]
    if not any(values):  # nothing to draw but zeros: the table says it
        return None
    top = table.chart_max or max(values) or 1
    plot = WIDTH - VALUE_WIDTH
    bars = []
    y = float(TOP)
    for row, cell in zip(table.rows, cells, strict=True):
        lines = []
        for text in textwrap.wrap(str(row.label), LABEL_CHARS) or [""]:
            y += LINE
            lines.append(Line(text, y - 5))
        y += 4
        width = 0.0 if cell.value is None else plot * max(0.0, min(cell.value / top, 1.0))
        bars.append(Bar(tuple(lines), y, width, cell.text, cell.shown))
        y += BAR + GAP
    return BarChart(
        width=WIDTH,
        height=int(y - GAP + TOP),
        colour=COLOUR,
        bars=tuple(bars),
        column=str(table.columns[column]),
    )
