"""The programme's figures as tables: one shape for the page (each table drawn as a chart
with its data table) and for the CSV export, so that both say the same thing.

A cell holds a number, or nothing: withheld by the small-numbers rule (`tisser.core
.small_numbers`, fewer than 5 people, or a part whose rest counts fewer than 5), or no data
for the period. The CSV writes numbers as numbers (decimal comma, no thousands separator, as
French spreadsheets read them), a withheld or empty cell as an empty cell, and a note at the
end of each table that says what an empty cell means."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from tisser.core.small_numbers import MASKED

NO_DATA = gettext_lazy("pas de donnée")
WITHHELD_NOTE = gettext_lazy(
    "Cellule vide : chiffre masqué, moins de 5 personnes, pour préserver l'anonymat."
)
NO_DATA_NOTE = gettext_lazy("Cellule vide : aucune donnée pour cette période.")


class Empty(StrEnum):
    WITHHELD = "withheld"  # hidden by the small-numbers rule
    NO_DATA = "no_data"  # nobody measured


@dataclass(frozen=True)
class Cell:
    value: float | None
    decimals: int = 0
    empty: Empty | None = None
    # Shown after the number on the page ("%", " pts"), never in the CSV.
    unit: str = ""

    @classmethod
    def number(cls, value: float | None, *, decimals: int = 0, unit: str = "") -> "Cell":
        if value is None:
            return cls(None, decimals, Empty.NO_DATA, unit)
        return cls(value, decimals, None, unit)

    @classmethod
    def withheld(cls) -> "Cell":
        return cls(None, 0, Empty.WITHHELD)

    @classmethod
    def no_data(cls) -> "Cell":
        return cls(None, 0, Empty.NO_DATA)

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        """The value as a French reader reads it on the page."""
        if self.value is None:
            return str(MASKED if self.empty == Empty.WITHHELD else NO_DATA)
        return number_format(round(self.value, self.decimals), decimal_pos=self.decimals) + (
            self.unit
        )

    @property
    def csv(self) -> str:
        """The value for a French spreadsheet: decimal comma, no grouping; empty when none."""
        if self.value is None:
            return ""
        rounded = round(self.value, self.decimals)
        if self.decimals == 0:
            return str(int(rounded))
        return f"{rounded:.{self.decimals}f}".replace(".", ",")


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """One figure of the programme: `columns` name the cells of each row (the row's label
    comes first, under `label_column`)."""

    key: str  # stable id: the section's anchor on the page and its name in the CSV
    title: str
    label_column: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    # What the reader must know to read it right (« corrélations, pas des causes »).
    notes: tuple[str, ...] = field(default=())
    # The column the chart draws as bars (None: the table alone), and its maximum.
    chart_column: int | None = None
    chart_max: float | None = None

    @property
    def has_withheld(self) -> bool:
        return any(cell.empty == Empty.WITHHELD for row in self.rows for cell in row.cells)

    @property
    def is_empty(self) -> bool:
        return not any(cell.shown for row in self.rows for cell in row.cells)


def _csv_columns(table: Table) -> list[str]:
    """The columns' names, a column of percentages saying so (its cells hold bare numbers)."""
    names = []
    for index, name in enumerate(table.columns):
        units = {row.cells[index].unit.strip() for row in table.rows if row.cells[index].shown}
        names.append(f"{name} (%)" if units == {"%"} else name)
    return names


def tables_csv(tables: Sequence[Table], *, heading: Sequence[Sequence[str]] = ()) -> str:
    """Every table one after the other, a blank line between them, UTF-8 text for a file that
    starts with a BOM (the caller writes it) and uses ";" between columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in heading:
        writer.writerow(line)
    if heading:
        writer.writerow([])
    for table in tables:
        writer.writerow([table.title])
        writer.writerow([table.label_column, *_csv_columns(table)])
        for row in table.rows:
            writer.writerow([row.label, *(cell.csv for cell in row.cells)])
        for note in table.notes:
            writer.writerow([note])
        if table.has_withheld:
            writer.writerow([str(WITHHELD_NOTE)])
        if any(cell.empty == Empty.NO_DATA for row in table.rows for cell in row.cells):
            writer.writerow([str(NO_DATA_NOTE)])
        writer.writerow([])
    return out.getvalue()
