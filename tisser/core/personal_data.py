"""The registry of a person's personal data: what goes into their archive ("Mes données")
and what can be erased, each app plugging in its own part.

`core` is the lowest layer and knows no other app: each app registers, from its own
`personal_data` module imported in its `AppConfig.ready()`,

- an exporter per section of the archive (`register_exporter`), naming the models whose
  rows it puts there (`covers`);
- the models it deliberately leaves out of the archive, each with the reason
  (`leave_out`): a colleague's professional notes, a security secret, a rendering of what
  is already there;
- an eraser (`register_eraser`) for what the person may erase themself, with the models it
  deletes.

`personal_data_export` assembles the archive by iterating the exporters; the test that walks
every model (tests/core/test_personal_data_registry.py) fails when a model holding something
about a person is neither covered nor left out with a reason, so a new table cannot be
forgotten silently."""

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from tisser.core.audit import audit_record

ARCHIVE_VERSION = 1
# About this many characters of the archive are sent at once.
STREAM_CHUNK = 64 * 1024

Exporter = Callable[..., Any]
Eraser = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class Section:
    key: str
    export: Exporter
    covers: frozenset[str]


@dataclass(frozen=True)
class Erasure:
    key: str
    erase: Eraser
    covers: frozenset[str]


_exporters: dict[str, Section] = {}
_erasers: dict[str, Erasure] = {}
_left_out: dict[str, str] = {}
_codes: dict[str, tuple[str, str, Callable[[], dict[str, str]]]] = {}


def register_exporter(key: str, *, covers: Iterable[str]) -> Callable[[Exporter], Exporter]:
    """Decorator: `export(*, user)` gives the JSON-ready `key` section of the archive, made
    of the rows of `covers` ("app_label.Model" labels). Sections appear in the order of
    registration, that is of INSTALLED_APPS. A list that can be long may be given as an
    iterator (rows read in chunks): the archive writes it as it comes (`personal_data_stream`)."""

    def decorator(export: Exporter) -> Exporter:
        _add(_exporters, key, Section(key=key, export=export, covers=frozenset(covers)))
        return export

    return decorator


def register_eraser(key: str, *, covers: Iterable[str]) -> Callable[[Eraser], Eraser]:
    """Decorator: `erase(*, user)` deletes what `key` names (the rows of `covers`) and
    returns how many rows of each model went ("network.Contact": 12, …)."""

    def decorator(erase: Eraser) -> Eraser:
        _add(_erasers, key, Erasure(key=key, erase=erase, covers=frozenset(covers)))
        return erase

    return decorator


def leave_out(reasons: dict[str, str]) -> None:
    """Declare models ("app_label.Model") that stay out of the archive, each with the reason
    in a sentence (read by the next person who wonders)."""
    for label, reason in reasons.items():
        if not reason.strip():
            raise ImproperlyConfigured(f"{label} is left out of the archive without a reason.")
        _add(_left_out, label, reason)


def _add(registry: dict, key: str, value) -> None:
    # ready() runs once per process; a second registration under a key is a bug (two apps
    # claiming one section), not a reload.
    if key in registry and registry[key] != value:
        raise ImproperlyConfigured(f"{key!r} is registered twice in the personal-data registry.")
    registry[key] = value


def exporters() -> tuple[Section, ...]:
    return tuple(_exporters.values())


def erasers() -> tuple[Erasure, ...]:
    return tuple(_erasers.values())


def left_out() -> dict[str, str]:
    return dict(_left_out)


def register_codes(label: str, field: str, codes: Callable[[], dict[str, str]]) -> None:
    """Say what the codes of a field without choices in the schema mean (the notices' kinds,
    a registry of their own): `codes()` gives {code: label}, read in the request's language
    when an archive is made."""
    _add(_codes, f"{label}.{field}", (label, field, codes))


def glossary() -> dict[str, Any]:
    """What the archive's names and codes mean, in the language of the request:
    `sections`, the models each section of the archive is made of; `codes`, for each of those
    models, each field with choices (or registered codes), its values and their labels
    ({"bilans.Bilan": {"outcome": {"project_defined": "Projet défini", …}}}). The archive
    keeps the codes (what a machine reads back, art. 20 GDPR) and says what they mean to the
    person reading it (art. 12: intelligible)."""
    from django.apps import apps  # the registry is read when the archive is made, not at import

    sections = {section.key: sorted(section.covers) for section in _exporters.values()}
    labels = sorted({label for covers in sections.values() for label in covers})
    codes: dict[str, dict[str, dict[str, str]]] = {}
    for label in labels:
        model = apps.get_model(label)
        fields = {
            field.name: {str(value): str(text) for value, text in field.flatchoices}
            for field in model._meta.get_fields()
            if getattr(field, "choices", None)
        }
        if fields:
            codes[label] = fields
    for label, field, registered in _codes.values():
        codes.setdefault(label, {})[field] = {
            str(code): str(text) for code, text in registered().items()
        }
    return {"sections": sections, "codes": codes}


def _materialised(value):
    """`value` with every iterator read into a list (the whole archive in memory)."""
    if isinstance(value, dict):
        return {key: _materialised(item) for key, item in value.items()}
    if isinstance(value, Iterator | list | tuple):
        return [_materialised(item) for item in value]
    return value


def personal_data_export(*, user) -> dict:
    """Everything about `user` that belongs in their archive: one section per registered
    exporter. The export is audited (who asked, not what was in it)."""
    data: dict[str, Any] = {
        "archive": {"version": ARCHIVE_VERSION, "created_at": timezone.now()},
        "lexique": glossary(),
    }
    for section in _exporters.values():
        data[section.key] = _materialised(section.export(user=user))
    audit_record(actor=user, action="personal_data.export", target=user)
    return data


def _dumps(value, depth: int | None = None) -> str:
    """Compact, or indented as at `depth` (the pure-Python encoder: for the small parts)."""
    if depth is None:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * depth)


def _has_iterator(value) -> bool:
    if isinstance(value, Iterator):
        return True
    if isinstance(value, dict):
        return any(_has_iterator(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_iterator(item) for item in value)
    return False


def _json_pieces(value, depth: int) -> Iterator[str]:
    """`value` as JSON text, piece by piece: a part without iterator in one piece, indented
    for a person to read; each item of an iterator in its own, on one line, so that a long
    list is never held whole (and is written by the fast encoder)."""
    if not _has_iterator(value):
        yield _dumps(value, depth)
        return
    inner = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + inner + _dumps(str(key)) + ": "
            yield from _json_pieces(item, depth + 1)
        yield "\n" + "  " * depth + "}"
        return
    yield "["
    empty = True
    if not isinstance(value, Iterator):  # a list holding iterators
        for index, item in enumerate(value):
            empty = False
            yield ("," if index else "") + inner
            yield from _json_pieces(item, depth + 1)
        yield "]" if empty else "\n" + "  " * depth + "]"
        return
    for index, item in enumerate(value):
        empty = False
        # an iterator's rows are plain data (`register_exporter`): one compact line each
        yield ("," if index else "") + inner + _dumps(item)
    yield "]" if empty else "\n" + "  " * depth + "]"


def personal_data_stream(*, user) -> Iterator[bytes]:
    """The archive of `user` as UTF-8 JSON, written section by section and row by row as
    the exporters read them: memory stays bounded whatever the size of a section. The
    export is audited when it is asked for (now), not when the last byte leaves."""
    audit_record(actor=user, action="personal_data.export", target=user)
    header = {"version": ARCHIVE_VERSION, "created_at": timezone.now()}
    # Now, in the request's language: the body is written after the view has returned.
    meanings = glossary()
    sections = _exporters.values()

    def pieces() -> Iterator[bytes]:
        yield ("{\n  " + _dumps("archive") + ": " + _dumps(header)).encode()
        yield (",\n  " + _dumps("lexique") + ": " + _dumps(meanings, 1)).encode()
        buffer: list[str] = []
        size = 0
        for section in sections:
            buffer.append(",\n  " + _dumps(section.key) + ": ")
            for piece in _json_pieces(section.export(user=user), 1):
                buffer.append(piece)
                size += len(piece)
                if size >= STREAM_CHUNK:
                    yield "".join(buffer).encode()
                    buffer, size = [], 0
        buffer.append("\n}\n")
        yield "".join(buffer).encode()

    return pieces()


def personal_data_json(*, user) -> bytes:
    return b"".join(personal_data_stream(user=user))


def personal_data_erase(key: str, *, user) -> dict[str, int]:
    """Run the eraser registered under `key` for `user` (KeyError when there is none)."""
    return _erasers[key].erase(user=user)


# The audit trail belongs to core; its entries are the organisme's security record.
leave_out(
    {
        "core.AuditEvent": (
            "The audit trail is the organisme's security record of who did what and when, "
            "not something the person wrote or answered; the organisme gives its entries "
            "about a person on request."
        ),
    }
)


# -- a person who leaves (ADR 0019) ---------------------------------------------------------
# When a coordinator erases a person who left, every app deletes what it holds about them
# except the management data the organisme must keep; each app registers what it deletes
# (`register_departure`, from its `personal_data` module) with a French label for the
# confirmation page. The account itself is anonymised by the service that runs them.


# What a departure would remove, for its confirmation page: `goings(*, user)` returns the
# `core.departure_counts.Going` rows, counted in the database without deleting anything.
Goings = Callable[..., list[Any]]


@dataclass(frozen=True)
class Departure:
    key: str
    label: Any
    erase: Eraser
    covers: frozenset[str]
    goings: Goings | None = None


_departures: dict[str, Departure] = {}


def register_departure(key: str, *, label, covers: Iterable[str]) -> Callable[[Eraser], Eraser]:
    """Decorator: `erase(*, user)` deletes what the app holds about `user` when they leave,
    except its management data, and returns how many rows of each model went. `label` says
    in French what goes, for the confirmation page."""

    def decorator(erase: Eraser) -> Eraser:
        _add(
            _departures,
            key,
            Departure(key=key, label=label, erase=erase, covers=frozenset(covers)),
        )
        return erase

    return decorator


def register_departure_goings(key: str) -> Callable[[Goings], Goings]:
    """Decorator: `goings(*, user)` says what the departure `key` (registered before) would
    remove, as `Going` rows in the order its eraser removes them, so that the confirmation
    page counts them in a few queries instead of running the eraser."""

    def decorator(goings: Goings) -> Goings:
        departure = _departures[key]
        if departure.goings is not None:
            raise ImproperlyConfigured(f"departure goings {key!r} registered twice")
        _departures[key] = dataclasses.replace(departure, goings=goings)
        return goings

    return decorator


def departures() -> tuple[Departure, ...]:
    return tuple(_departures.values())
