"""The organisations a daily job works for (see `tisser.core.daily_jobs`): the scheduler
queues one task per organisation (`organisation_id`); a task queued without one (by hand, an
older queue) works for every organisation, one after the other, so that each round reads and
writes one organisation's rows only.

A job whose rows grow with the organisation works one *batch* per task (`batches_run`): the
task queued by the scheduler handles the first batch, then queues the next one as a task of its
own, from a cursor (the last primary key it handled). Each task then costs the same bounded
number of queries and time whatever the size of the organisation, and several workers share the
batches of a large one (ADR 0030, "one batch per task")."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tisser.accounts.models import Organisation


def organisation_ids(organisation_id: int | None) -> list[int]:
    """`[organisation_id]`, or the ids of every organisation when it is None."""
    if organisation_id is not None:
        return [organisation_id]
    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


@dataclass(frozen=True)
class Batch:
    """What one batch of a job did: `count` (what the task returns, summed over the batches: a
    number, or a mapping of numbers summed key by key) and `after`, the cursor the next batch
    starts after (None: nothing left)."""

    count: int | Mapping
    after: int | None = None


def batches_run(
    step: Callable[..., Batch],
    *,
    organisation_id: int | None,
    after: int | None,
    then: Callable[..., object],
) -> int | Mapping:
    """Run a batched daily job.

    `step(organisation_id=pk, after=cursor)` handles one batch of that organisation's rows,
    those whose key is above `cursor` (all of them from None), and says where the next starts.

    * With `organisation_id` (the scheduler's task, or a batch queued by it): this batch only;
      when rows remain, `then(organisation_id=..., after=cursor)` queues the next batch — the
      task's `enqueue` — so that no task's cost grows with the organisation.
    * Without (by hand, `manage.py`, the tests): every batch of every organisation, here.

    Returns the batch's count, or the sum over every batch."""
    if organisation_id is None:
        return batches_every(step)
    batch = step(organisation_id=organisation_id, after=after)
    if batch.after is not None:
        then(organisation_id=organisation_id, after=batch.after)
    return batch.count


def batches_every(step: Callable[..., Batch], organisation_id: int | None = None) -> Any:
    """Every batch of `step` for the organisation (of every organisation when None), one after
    the other in this call; the sum of their counts."""
    counts = []
    for pk in organisation_ids(organisation_id):
        cursor = None
        while True:
            batch = step(organisation_id=pk, after=cursor)
            counts.append(batch.count)
            if batch.after is None:
                break
            cursor = batch.after
    if any(isinstance(count, Mapping) for count in counts):
        return counts_sum(counts)
    return sum(counts)


def batch_cut(rows: list, size: int) -> tuple[list, int | None]:
    """`rows` read as `size + 1` at most (ordered by primary key): the batch's `size` first
    rows, and the cursor of the next batch (None when there was no row beyond them)."""
    if len(rows) > size:
        rows = rows[:size]
        return rows, rows[-1].pk
    return rows, None


def counts_sum(reports: Iterable[Mapping]) -> dict:
    """The sum of the reports of the organisations' rounds, key by key (a nested mapping of
    counts is summed key by key too)."""
    total: dict = {}
    for report in reports:
        for key, value in report.items():
            if isinstance(value, Mapping):
                total[key] = counts_sum([total.get(key, {}), value])
            else:
                total[key] = total.get(key, 0) + value
    return total
