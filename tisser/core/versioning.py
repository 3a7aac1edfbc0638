"""Optimistic locking, one way for the whole project (ADR 0007).

A row that two people may edit at once (two tabs, two devices, two coordinators) has a
`version` field. A page carries the version it was built from; the service's write is one
conditional UPDATE — `SET version = version + 1, … WHERE pk = … AND version = expected` —
so there is no window between the check and the write on any database: of two saves started
from the same version, exactly one matches a row, the other raises `StaleVersion` with what
is saved now and writes nothing.

The UPDATE also holds the row's write lock until the transaction ends, so a service may
claim the version first (`version_bump(obj, expected=…)` with no values) and then write
the rest of the row, its children or its audit entry in the same `transaction.atomic`."""

from typing import TypeVar

from django.db import models
from django.db.models import F

from tisser.core.errors import StaleVersion

# The model passed in is the model handed back, so callers keep their precise type.
M = TypeVar("M", bound=models.Model)


def version_bump(instance: M, *, expected: int, message=None, **values) -> M:
    """Write `values` on `instance`'s row and raise its version by one, only if the row is
    still at `expected`; otherwise raise StaleVersion (`current`: the row as saved now, None
    if it was deleted) and write nothing. `values` may hold expressions (F, Coalesce…).

    On success `instance` reflects the write (its `version` is `expected + 1`) and is
    returned; `auto_now` fields are refreshed as save() does. Call it inside the service's
    `transaction.atomic` when anything else is written, so that a later refusal also undoes
    the bump."""
    model = type(instance)
    manager = model._default_manager
    # As save() would: an UPDATE does not refresh `auto_now` fields by itself.
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) and field.name not in values:
            values[field.name] = field.pre_save(instance, add=False)
    updated = manager.filter(pk=instance.pk, version=expected).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise StaleVersion(message, current=manager.filter(pk=instance.pk).first())
    computed = []
    for name, value in values.items():
        if hasattr(value, "resolve_expression"):
            computed.append(name)
        else:
            setattr(instance, name, value)
    instance.version = expected + 1
    if computed:
        instance.refresh_from_db(fields=computed)
    return instance


def version_require(instance: models.Model | None, *, expected: int, message=None) -> None:
    """For an action that reads a versioned row without changing it (signing or agreeing to
    a text, queuing a computation): StaleVersion unless the row is still at `expected`.
    `instance` must have been read under the transaction's lock (`select_for_update`);
    None — no row yet — stands for version 0."""
    saved = instance.version if instance is not None else 0
    if saved != expected:
        raise StaleVersion(message, current=instance)
