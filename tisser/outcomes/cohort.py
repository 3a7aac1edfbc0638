"""The people the programme's figures are read over: one row per bilan the organisation ended,
whichever side of the destruction it stands (ADR 0014, ADR 0032).

- A bilan whose documents are gone left an anonymous `OutcomeRecord` (no person, no bilan, the
  month of its end): read as it is.
- A bilan ended but not recorded yet (ended yesterday, or its isolation checks kept by the
  person's written agreement for the follow-up, one year at most) is read live, through the
  very function that will write its record (`outcome_records_of`): unsaved records, so that a
  figure is computed one way before and after the destruction, and no bilan counts twice (a
  recorded bilan is marked `outcome_recorded_at`).

A figure takes, from the rows of the organisation's whole history, those measured for it, in
one order that depends on nothing but the month of the end and the values themselves (not on
whether a row is recorded yet), cuts them once into blocks of five, and keeps the blocks that
lie wholly in the period asked (`tisser.core.small_numbers.whole_blocks`, `loop.View`)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.utils import timezone

from tisser.bilans.models import Bilan, OutcomeRecord, Phase
from tisser.bilans.services.retention import outcome_records_of
from tisser.core.small_numbers import blocks_view

T = TypeVar("T")


@dataclass(frozen=True)
class Cohort:
    rows: tuple[OutcomeRecord, ...]  # by month of the end
    recorded: int  # how many of them are anonymous records
    now: datetime

    @property
    def this_month(self) -> int:
        """The current month as a number of months since year 0 (`month_index`)."""
        return month_index(timezone.localdate(self.now))


def month_index(day) -> int:
    return day.year * 12 + day.month - 1


def cohort_of(
    organisation_id: int, promotion: str | None = None, *, now: datetime | None = None
) -> Cohort:
    """The rows of every bilan `organisation_id` ended (of `promotion`, when one is named). Two
    queries for the records and the live bilans, then those of `outcome_records_of` (a number
    that does not depend on how many)."""
    now = now or timezone.now()
    records = OutcomeRecord.objects.filter(organisation_id=organisation_id).order_by(
        "ended_month", "id"
    )
    if promotion is not None:
        records = records.filter(promotion=promotion)
    # Plain rows, read as the records' fields: thousands of them, no model to build.
    fields = [field.attname for field in OutcomeRecord._meta.concrete_fields]
    recorded = list(records.values_list(*fields, named=True))
    live_bilans = list(
        Bilan.objects.filter(
            organisation_id=organisation_id,
            status=Phase.CLOSED,
            closed_at__isnull=False,
            outcome_recorded_at__isnull=True,
        ).order_by("closed_at", "id")
    )
    live = outcome_records_of(live_bilans)
    if promotion is not None:
        live = [row for row in live if row.promotion == promotion]
    rows = sorted(
        [(row.ended_month, 0, row) for row in recorded]
        + [(row.ended_month, 1, row) for row in live],
        key=lambda entry: (entry[0], entry[1]),
    )
    return Cohort(rows=tuple(row for _month, _kind, row in rows), recorded=len(recorded), now=now)


def covered_blocks(
    items: Iterable[T],
    *,
    month: Callable[[T], date],
    key: Callable[[T], tuple],
    promotion: Callable[[T], str],
    within: Callable[[T], bool],
    first_month: date | None = None,
) -> list[T]:
    """The people of one view (a period, a promotion) of one figure (`blocks_view`): `items`
    is the figure's whole history in the organisation, each promotion's people in their own
    sequence, by `month` then `key`; the view keeps the blocks wholly `within` it. Items of
    months before `first_month` (the view's first) are only counted."""
    return blocks_view(
        items,
        sequence=promotion,
        order=lambda item: (month(item), *key(item)),
        within=within,
        before=None if first_month is None else (lambda item: month(item) < first_month),
    )
