"""The organisations a daily job works for (see `tisser.core.daily_jobs`): the scheduler
queues one task per organisation (`organisation_id`); a task queued without one (by hand, an
older queue) works for every organisation, one after the other, so that each round reads and
writes one organisation's rows only."""

from collections.abc import Iterable, Mapping

from tisser.accounts.models import Organisation


def organisation_ids(organisation_id: int | None) -> list[int]:
    """`[organisation_id]`, or the ids of every organisation when it is None."""
    if organisation_id is not None:
        return [organisation_id]
    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


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
