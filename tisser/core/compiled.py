"""Reads that every page makes, compiled to SQL once per process (ADR 0030, throughput).

Building a query's SQL from its queryset is Python work that Django repeats on every request:
for the nine EXISTS of "Mon bilan" it cost more than running them. A `CompiledRead` asks the
ORM for the SQL once per database, with stand-in values for its parameters, and then runs that
SQL with the request's values. The queryset stays the one source of the query: access rules
written on it (`visible_to`) are compiled in, not copied.

Only for reads of plain values (counts, booleans, ids): the rows come back as the database
gives them, without the ORM's conversions (a boolean may be 0 or 1 on SQLite)."""

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stand-ins for the parameters: integers no table holds, each found back in the compiled
# parameters by its value.
_STAND_IN_BASE = -7_300_000_000


class CompiledRead:
    """`build(**parameters)` returns the queryset (a `.values(...)` one, or any queryset whose
    columns are read by name); `parameters` name its integer parameters (ids)."""

    def __init__(self, build: Callable[..., QuerySet], *parameters: str) -> None:
        self.build = build
        self.parameters = parameters
        self._compiled: dict[str, tuple[str, list, dict[str, list[int]]]] = {}

    def _compile(self, using: str) -> tuple[str, list, dict[str, list[int]]]:
        stand_ins = {name: _STAND_IN_BASE - index for index, name in enumerate(self.parameters)}
        queryset = self.build(**stand_ins)
        sql, params = queryset.query.get_compiler(using).as_sql()
        params = list(params)
        positions = {
            name: [i for i, value in enumerate(params) if value == stand_in]
            for name, stand_in in stand_ins.items()
        }
        for name, found in positions.items():
            if not found:
                raise ValueError(f"parameter {name!r} does not reach the compiled query")
        return sql, params, positions

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: int) -> list[dict[str, Any]]:
        """The rows of the query for these parameter values, as dicts by column name."""
        connection = connections[using]
        key = f"{using}:{connection.vendor}"
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        sql, params, positions = compiled
        params = list(params)
        for name, found in positions.items():
            for index in found:
                params[index] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
