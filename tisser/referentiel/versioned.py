"""What is built once per process from the current ROME version, and built again when another
version becomes current: the métier index, the compétences' label index, the recommendation
index and the reading engine (ADR 0040) all hold theirs in a :class:`PerVersion`.

The key is the current `RomeVersion`'s number, id and import time: a database emptied and
refilled (as tests do) may hand out the same id or number again. Building is serialised by a
lock, so that concurrent first requests build once; reading an up-to-date value takes no lock
(the values are immutable, so sharing them between threads is safe). Nothing is shared between
processes: any of them builds its own from the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def current_version() -> tuple[object, Any]:
    """The key of the current `RomeVersion` (None before any import) and the version itself."""
    # Imported here: the modules using this load without Django settings (the benchmarks).
    from tisser.referentiel.models import RomeVersion

    version = RomeVersion.objects.current()
    if version is None:
        return None, None
    return (version.number, version.pk, version.imported_at.isoformat()), version


class PerVersion(Generic[T]):
    """`build(version)` (version None when no référentiel is loaded), kept per version."""

    def __init__(self, build: Callable[[Any], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._cached: tuple[object, T] | None = None

    def get(self) -> T:
        key, version = current_version()
        cached = self._cached
        if cached is not None and cached[0] == key:
            return cached[1]
        with self._lock:
            cached = self._cached
            if cached is not None and cached[0] == key:
                return cached[1]
            value = self._build(version)
            self._cached = (key, value)
            return value

    def clear(self) -> None:
        """Forget the value held (tests, or after changing rows of the current version)."""
        with self._lock:
            self._cached = None
