"""What the departure erasers share (ADR 0019): adding the counts of a `QuerySet.delete()` to
a report, and counting beforehand, in the database, what they would remove.

A departure says what it would remove as `Going` rows; `goings_counted` counts them the way
the erasers' reports do — a deletion with what cascades from it (`on_delete=CASCADE`), each
row once even when two paths or two departures reach it, the earlier departure counting it —
with one COUNT per model reached, whatever the number of rows (ADR 0030)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Q, QuerySet
from django.db.models.deletion import get_candidate_relations_to_delete


def add_deleted(counts: dict[str, int], result) -> dict[str, int]:
    for label, count in result[1].items():
        if count:
            counts[label] = counts.get(label, 0) + count
    return counts


@dataclass(frozen=True)
class Going:
    """Rows a departure removes: deleted with their cascade, which the eraser's report
    counts (`with_cascade`) or not (it counts the rows alone, the cascade still goes); or
    kept with their text emptied (`cleared`)."""

    rows: QuerySet
    with_cascade: bool = True
    cleared: bool = False


def _cascade(rows: QuerySet, chain: tuple[type[models.Model], ...] = ()) -> Iterator[QuerySet]:
    """`rows`, then every queryset of rows a `delete()` of them removes through
    `on_delete=CASCADE`, as the deletion collector walks them (a model already on the path
    ends it: no table here cascades to itself)."""
    yield rows
    model = rows.model
    for relation in get_candidate_relations_to_delete(model._meta):
        field: Any = relation.field  # type: ignore[attr-defined]
        if field.remote_field.on_delete is not models.CASCADE:
            continue
        related: Any = relation.related_model
        if related in chain or related is model:
            continue
        reached = related._base_manager.filter(
            **{f"{field.attname}__in": rows.values(field.target_field.attname)}
        )
        yield from _cascade(reached, (*chain, model))


def _any(querysets: Sequence[QuerySet]) -> Q:
    return reduce(or_, (Q(pk__in=queryset.values("pk")) for queryset in querysets))


def goings_counted(departures: Sequence[Sequence[Going]]) -> list[int]:
    """How many rows each departure's eraser would report, run in this order."""
    removed: dict[type[models.Model], list[QuerySet]] = {}
    counted: list[tuple[int, QuerySet]] = []
    for index, goings in enumerate(departures):
        for going in goings:
            reached: dict[type[models.Model], list[QuerySet]] = {}
            for queryset in [going.rows] if going.cleared else _cascade(going.rows):
                reached.setdefault(queryset.model, []).append(queryset)
            for model, querysets in reached.items():
                if model is not going.rows.model and not going.with_cascade:
                    continue
                if len(querysets) == 1 and not removed.get(model):
                    rows = querysets[0]  # one path, nothing removed before: counted as it is
                else:
                    rows = model._base_manager.filter(_any(querysets))
                if removed.get(model):
                    rows = rows.exclude(_any(removed[model]))
                counted.append((index, rows))
            if not going.cleared:
                for model, querysets in reached.items():
                    removed.setdefault(model, []).extend(querysets)
    totals = [0] * len(departures)
    for (index, _rows), count in zip(
        counted, counts_read([rows for _i, rows in counted]), strict=True
    ):
        totals[index] += count
    return totals


# Counts read in one SELECT, at most this many at a time (SQLite's limits on a statement).
COUNTS_PER_QUERY = 40


def counts_read(querysets: Sequence[QuerySet]) -> list[int]:
    """The COUNT of each queryset, read `COUNTS_PER_QUERY` at a time in one SELECT of
    scalar subqueries (all on the default database)."""
    counts: list[int] = []
    for start in range(0, len(querysets), COUNTS_PER_QUERY):
        parts: list[str] = []
        params: list[Any] = []
        for queryset in querysets[start : start + COUNTS_PER_QUERY]:
            sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
            params.extend(part_params)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.extend(int(value) for value in cursor.fetchone())
    return counts
