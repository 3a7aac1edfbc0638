"""The registry of evidence: what Tisser holds for each Qualiopi indicator (issue #18).

Each area of the quality app (and the adapters that read the apps below it) registers a
*provider* for the indicators it evidences: `lines` gives the lines the coordinator's
indicator map shows (live counts, a link), `files` the files the auditor's export puts in that
indicator's folder. The indicator map and the export only read this registry: neither knows
who plugged in, and a new piece of evidence is one `register` call in its own module, imported
by `QualityConfig.ready()`.

A provider is called for one organisation and one span of days. `lines` must read a constant
number of queries whatever the organisation's size (counts in the database); `files` may be
long, since only the export's background task calls it, and yields its files one by one so that
an archive never holds every document in memory at once. Neither ever yields a document that
belongs to a beneficiary alone (the synthèse, working documents) unless she shared it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from tisser.core import dates


@dataclass(frozen=True)
class Span:
    """The days a map or an export looks at, both ends included."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.first_day > self.last_day:
            raise ValueError("a span ends on or after its first day")


def last_twelve_months(today: date) -> Span:
    """The span the map and the export look at unless told otherwise (`core.dates`)."""
    first_day, last_day = dates.last_twelve_months(today)
    return Span(first_day=first_day, last_day=last_day)


@dataclass(frozen=True)
class EvidenceLine:
    """One line of the indicator map: a French sentence with its count already in it
    (ngettext), and the page where the coordinator sees the evidence ("" when there is none)."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class ExportFile:
    """One file of the auditor's export: its path inside the indicator's folder
    ("conventions/2026-03-convention-bilan-12.pdf") and its bytes."""

    name: str
    content: bytes


Lines = Callable[[Any, Span], list[EvidenceLine]]
Files = Callable[[Any, Span], Iterable[ExportFile]]


@dataclass(frozen=True)
class Provider:
    name: str
    indicators: tuple[int, ...]
    lines: Lines | None
    files: Files | None


_providers: dict[str, Provider] = {}


def register(
    name: str,
    *,
    indicators: tuple[int, ...],
    lines: Lines | None = None,
    files: Files | None = None,
) -> Provider:
    """Register the provider `name` for `indicators` (their numbers in the référentiel
    national qualité). At least one of `lines` and `files`."""
    if lines is None and files is None:
        raise ImproperlyConfigured(f"Evidence provider {name!r} gives neither lines nor files.")
    provider = Provider(name=name, indicators=tuple(indicators), lines=lines, files=files)
    if name in _providers and _providers[name] != provider:
        raise ImproperlyConfigured(f"Evidence provider {name!r} is registered twice.")
    _providers[name] = provider
    return provider


def providers() -> list[Provider]:
    """Every provider, in the order of their names."""
    return [_providers[name] for name in sorted(_providers)]


def providers_of(indicator: int) -> list[Provider]:
    """The providers of one indicator, in the order of their names."""
    return [provider for provider in providers() if indicator in provider.indicators]
