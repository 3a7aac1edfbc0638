"""What an import did: its status, the counts, and the fiches and appellations added, removed
or renamed since the previous version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tisser.referentiel.importer.records import VersionInfo

# How many added, removed and renamed entries of each kind `import_rome` prints.
EXAMPLES_SHOWN = 3


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Renamed:
    code: str
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    """What changed in one entity between the previous load and this one."""

    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    renamed: tuple[Renamed, ...] = ()


def changes_between(before: Mapping[str, str], after: Mapping[str, str]) -> Changes:
    return Changes(
        added=tuple(sorted((code, after[code]) for code in after.keys() - before.keys())),
        removed=tuple(sorted((code, before[code]) for code in before.keys() - after.keys())),
        renamed=tuple(
            Renamed(code, before[code], after[code])
            for code in sorted(before.keys() & after.keys())
            if before[code] != after[code]
        ),
    )


@dataclass(frozen=True)
class ImportReport:
    """The outcome of ``rome_load``; the command prints it."""

    status: ImportStatus
    version: VersionInfo
    previous_version: int | None
    counts: Mapping[str, int]
    metiers: Changes = field(default_factory=Changes)
    appellations: Changes = field(default_factory=Changes)
    missing_optional: tuple[str, ...] = ()
    seconds: float = 0.0
