"""The people a programme figure is read over: one row per bilan ended in the period, whichever
side of the destruction it stands (ADR 0014, ADR 0032).

- A bilan whose documents are gone left an anonymous `OutcomeRecord` (no person, no bilan, the
  month of its end): read as it is.
- A bilan ended but not recorded yet (ended yesterday, or its isolation checks kept by the
  person's written agreement for the follow-up, one year at most) is read live, through the
  very function that will write its record (`outcome_records_of`): unsaved records, so that a
  figure is computed one way before and after the destruction, and no bilan counts twice (a
  recorded bilan is marked `outcome_recorded_at`).

The rows come in the order their people arrived: by month of the end, the recorded before the
live ones within a month, then by end. Every figure takes its people in that order and up to
the last mark of five (`tisser.core.small_numbers.marked`)."""

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from tisser.bilans.models import Bilan, OutcomeRecord, Phase
from tisser.bilans.services.retention import outcome_records_of
from tisser.outcomes.period import Period


@dataclass(frozen=True)
class Cohort:
    rows: tuple[OutcomeRecord, ...]  # in arrival order
    recorded: int  # how many of them are anonymous records
    now: datetime

    @property
    def this_month(self) -> int:
        """The current month as a number of months since year 0 (`month_index`)."""
        return month_index(timezone.localdate(self.now))


def month_index(day) -> int:
    return day.year * 12 + day.month - 1


def _month_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def cohort_of(organisation_id: int, period: Period, *, now: datetime | None = None) -> Cohort:
    """The rows of the bilans of `organisation_id` ended in `period` (of its promotion, if it
    names one). Two queries for the records and the live bilans, then those of
    `outcome_records_of` (a number that does not depend on how many)."""
    now = now or timezone.now()
    records = OutcomeRecord.objects.filter(
        organisation_id=organisation_id,
        ended_month__gte=period.first_month,
        ended_month__lte=period.last_month,
    ).order_by("ended_month", "id")
    if period.promotion is not None:
        records = records.filter(promotion=period.promotion)
    # Plain rows, read as the records' fields: thousands of them, no model to build.
    fields = [field.attname for field in OutcomeRecord._meta.concrete_fields]
    recorded = list(records.values_list(*fields, named=True))
    live_bilans = list(
        Bilan.objects.filter(
            organisation_id=organisation_id,
            status=Phase.CLOSED,
            closed_at__gte=_month_start(period.first_month),
            closed_at__lt=_month_start(period.end),
            outcome_recorded_at__isnull=True,
        ).order_by("closed_at", "id")
    )
    live = outcome_records_of(live_bilans)
    if period.promotion is not None:
        live = [row for row in live if row.promotion == period.promotion]
    # Stable sorts: the records by id, the live rows by their end, within each month.
    rows = sorted(
        [(row.ended_month, 0, row) for row in recorded]
        + [(row.ended_month, 1, row) for row in live],
        key=lambda entry: (entry[0], entry[1]),
    )
    return Cohort(rows=tuple(row for _month, _kind, row in rows), recorded=len(recorded), now=now)
