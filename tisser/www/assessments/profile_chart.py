"""The geometry of a profile chart, drawn as inline SVG by the template: one horizontal bar
per score (0–100), in the order given, its label on the left and its value at its end."""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 210  # room for the longest label ("Être utile aux autres") at 15 px
VALUE_WIDTH = 48
ROW, BAR, TOP, BOTTOM = 40, 24, 8, 32
# Brand teal: 7:1 against white, so the bars meet WCAG 1.4.11 without relying on colour.
COLOUR = "#0a5c66"


@dataclass(frozen=True)
class Bar:
    key: str
    title: str
    value: int
    y: float
    width: float

    @property
    def height(self) -> int:
        return BAR

    @property
    def middle(self) -> float:
        return self.y + BAR / 2

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class ProfileChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    colour: str
    bars: tuple[Bar, ...]
    x_ticks: tuple[Tick, ...]


def profile_chart(scores: list[tuple[str, str, int]]) -> ProfileChart | None:
    """The chart of `scores`, (key, title, value 0–100) in display order, or None when empty."""
    if not scores:
        return None
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + ROW * len(scores) + BOTTOM

    def x(value: int) -> float:
        return LABEL_WIDTH + plot_width * value / 100

    bars = tuple(
        Bar(
            key=key,
            title=str(title),
            value=value,
            y=TOP + ROW * index + (ROW - BAR) / 2,
            width=plot_width * value / 100,
        )
        for index, (key, title, value) in enumerate(scores)
    )
    return ProfileChart(
        width=WIDTH,
        height=height,
        left=LABEL_WIDTH,
        right=LABEL_WIDTH + plot_width,
        top=TOP,
        bottom=height - BOTTOM,
        colour=COLOUR,
        bars=bars,
        x_ticks=tuple(Tick(x(v), str(v)) for v in (0, 25, 50, 75, 100)),
    )
