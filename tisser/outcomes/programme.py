"""Every table of the programme's outcomes, in the order the coordinator's page and its CSV show
them: the closed loop (isolation, loneliness, network, the loop itself, response rates:
`loop`), then the programme's activity (mentorships, groups, commitments, enquêtes, bilans,
satisfaction: `activity`)."""

from dataclasses import replace
from datetime import datetime

from tisser.accounts.models import Organisation
from tisser.outcomes.activity import activity_tables
from tisser.outcomes.loop import loop_tables
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Cell, Empty, Table


def _tables(organisation: Organisation, period: Period, now: datetime) -> list[Table]:
    return [
        *loop_tables(organisation, period, now=now),
        *activity_tables(organisation, period, now=now),
    ]


def programme_tables(organisation: Organisation, period: Period, *, now: datetime) -> list[Table]:
    """The tables for `period`; for one promotion, each of its figures is also checked against
    the rest of the organisation: the figure for every promotion minus this one's must not be
    one the small-numbers rule withholds (a figure shown for the promotion whose counterpart
    for the others is withheld would give the others' back by subtraction from the figure
    for all). Such a figure is withheld too."""
    tables = _tables(organisation, period, now)
    if period.promotion is None:
        return tables
    others = _tables(organisation, replace(period, others=True), now)
    return [_checked(mine, theirs) for mine, theirs in zip(tables, others, strict=True)]


def _checked(mine: Table, theirs: Table) -> Table:
    if mine.key != theirs.key or len(mine.rows) != len(theirs.rows):
        raise ValueError(f"tables {mine.key!r} and {theirs.key!r} do not match")
    rows = []
    for row, other in zip(mine.rows, theirs.rows, strict=True):
        cells = tuple(
            Cell.withheld() if cell.shown and counterpart.empty == Empty.WITHHELD else cell
            for cell, counterpart in zip(row.cells, other.cells, strict=True)
        )
        rows.append(replace(row, cells=cells))
    return replace(mine, rows=tuple(rows))
