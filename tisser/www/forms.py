"""What every page does with a service's refusal: the one way to put a ValidationError onto
a form, and the one way to show an optimistic-locking conflict (`StaleVersion`, ADR 0007)
beside the form that keeps what its user typed (`components/conflict.html`)."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.core.dates import french_date
from tisser.core.errors import StaleVersion


def form_errors_apply(
    form: forms.BaseForm, error: ValidationError, *, renames: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError onto `form`: each message next to the field it names
    (`renames` maps a service's name to the form's, e.g. {"start": "date"}), and at the top
    of the form when it names no field of the form or none at all. Codes are kept."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = (renames or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class ConflictRow:
    """One field of a conflict: its label, what is saved now, what the person typed."""

    label: str
    saved: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.saved != self.typed


def _shown(field: forms.Field | None, value: Any) -> str:
    """A value as the person reads it: a choice's label, "Oui"/"Non", a related object's
    name; "—" for nothing."""
    if isinstance(value, models.Model):
        value = str(value)
    elif isinstance(value, datetime.datetime):
        value = french_date(timezone.localtime(value), "j F Y, H:i")
    elif isinstance(value, datetime.date):
        value = french_date(value, "j F Y")
    elif isinstance(value, list | tuple | models.QuerySet):
        value = ", ".join(_shown(field, item) for item in value if item not in (None, ""))
    elif isinstance(field, forms.BooleanField) or isinstance(value, bool):
        value = _("Oui") if value else _("Non")
    elif field is not None and getattr(field, "choices", None) and not isinstance(value, list):
        labels = {str(key): label for key, label in field.choices}
        value = labels.get("" if value is None else str(value), value)
    text = "" if value is None else str(value).strip()
    return text or "—"


def saved_value(current: Any, name: str) -> Any:
    """The value of `name` in what a StaleVersion carries (a model instance or a mapping);
    a foreign key's object rather than its id."""
    if current is None:
        return None
    if isinstance(current, Mapping):
        return current.get(name, current.get(f"{name}_id"))
    value = getattr(current, name, None)
    if isinstance(value, models.Manager):  # a many-to-many: the objects it holds
        return list(value.all())
    return value


def conflict_rows(
    form: forms.BaseForm,
    current: Any,
    *,
    fields: list[str] | None = None,
    display: Callable[[str, Any], Any] | None = None,
) -> list[ConflictRow]:
    """The rows the conflict component shows: for each of `fields` (the form's visible
    fields by default), its label, the value saved now (from `current`) and the value the
    person typed (from the bound form). `display(name, value)` may format a saved value
    (a stored phone number, a level's words); the typed one is shown as typed."""
    rows = []
    names = fields or [bound.name for bound in form.visible_fields()]
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        saved = saved_value(current, name)
        cleaned = getattr(form, "cleaned_data", {})
        typed = cleaned[name] if name in cleaned else form[name].value()
        if display is not None:
            saved = display(name, saved)
        rows.append(
            ConflictRow(
                label=str(field.label or name),
                saved=_shown(field, saved),
                typed=_shown(field, typed),
            )
        )
    return rows


def form_conflict_apply(
    form: forms.BaseForm,
    error: StaleVersion,
    *,
    version_field: str = "version",
    fields: list[str] | None = None,
    display: Callable[[str, Any], Any] | None = None,
    changed_only: bool = False,
) -> list[ConflictRow]:
    """Put a StaleVersion onto the re-rendered `form`: its message at the top, and the saved
    version in the form's `version_field`, so that the next save knowingly replaces what is
    saved now; what the person typed stays in the form. Returns the rows for
    `components/conflict.html` (context `conflict`), only those that differ with
    `changed_only` (a long form)."""
    data = form.data.copy()
    data[form.add_prefix(version_field)] = error.version
    form.data = data
    form.add_error(None, error)
    rows = conflict_rows(form, error.current, fields=fields, display=display)
    return [row for row in rows if row.differs] if changed_only else rows
