"""The bar chart of a programme table (tisser.www.coordinator.outcomes_chart): bars scaled to
the table's maximum, a withheld cell drawn as no bar with « masqué », labels wrapped so that
nothing overflows on a phone."""

from tisser.outcomes.tables import Cell, Row, Table
from tisser.www.coordinator.outcomes_chart import LABEL_CHARS, VALUE_WIDTH, WIDTH, bar_chart


def table(*cells, chart_max=100.0, chart_column=0):
    return Table(
        key="t",
        title="Titre",
        label_column="Étape",
        columns=("Part",),
        rows=tuple(
            Row("Une étape au libellé assez long pour tenir sur deux lignes au moins", (cell,))
            for cell in cells
        ),
        chart_column=chart_column,
        chart_max=chart_max,
    )


def test_bars_are_scaled_to_the_maximum_and_a_withheld_cell_draws_none():
    chart = bar_chart(table(Cell.number(50, unit=" %"), Cell.withheld(), Cell.number(100)))

    half, masked, full = chart.bars
    plot = WIDTH - VALUE_WIDTH
    assert half.width == plot / 2 and half.value == "50 %" and half.shown
    assert masked.width == 0 and masked.value == "masqué" and not masked.shown
    assert full.width == plot
    assert all(len(line.text) <= LABEL_CHARS for bar in chart.bars for line in bar.lines)
    assert len(half.lines) == 2
    # Each bar below the previous one, the drawing as tall as its bars.
    assert half.y < masked.y < full.y < chart.height


def test_no_chart_without_a_column_or_anything_above_zero():
    assert bar_chart(table(Cell.number(10), chart_column=None)) is None
    assert bar_chart(table(Cell.withheld(), Cell.no_data())) is None
    assert bar_chart(table(Cell.number(0), Cell.number(0))) is None
    # Without a maximum, the largest value fills the width.
    assert bar_chart(table(Cell.number(4), chart_max=None)).bars[0].width == WIDTH - VALUE_WIDTH
