"""The index of the current ROME version, built from the database once per process."""

from __future__ import annotations

import threading

from tisser.referentiel.search.index import DEFAULT_LIMIT, MetierIndex, SearchResult
from tisser.referentiel.search.merged import DESCRIPTION_CANDIDATES, TITLE_CANDIDATES, merge

_lock = threading.Lock()
VersionKey = tuple[int, str] | None
_cached: tuple[VersionKey, MetierIndex] | None = None


def _current_version_key() -> VersionKey:
    """Identify the référentiel in the database: the current RomeVersion's id and import time
    (None if none).

    The importer creates a new RomeVersion row for every import that changes anything. The
    time is part of the key because a database emptied and refilled (as tests do) may hand
    out the same id again.

    Models are imported here, not at module level, so that the engine stays importable
    without configured Django settings (benchmarks, pure tests).
    """
    from tisser.referentiel.models import RomeVersion

    version = RomeVersion.objects.current()
    return (version.pk, version.imported_at.isoformat()) if version is not None else None


def _build_from_database() -> MetierIndex:
    from tisser.referentiel.models import Appellation, Metier

    metiers = Metier.objects.order_by("code_rome").values_list("code_rome", "libelle")
    appellations = Appellation.objects.order_by("metier__code_rome", "pk").values_list(
        "metier__code_rome", "libelle", "libelle_court"
    )
    return MetierIndex.from_rows(list(metiers), list(appellations))


def get_index() -> MetierIndex:
    """Return the métier index of the current ROME version, building it if needed.

    The index is cached per process, keyed on the current RomeVersion id: after an import
    makes a new version current, the next call rebuilds it. Building is serialised by a lock
    so concurrent first requests build it once; lookups of an up-to-date index take no lock.
    The cache is the only state kept, and any process can rebuild it from the database.
    """
    global _cached
    key = _current_version_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _cached
        if cached is not None and cached[0] == key:
            return cached[1]
        index = _build_from_database()
        _cached = (key, index)
        return index


def clear_index_cache() -> None:
    """Forget the cached index (tests, or after changing rows of the current version)."""
    global _cached
    with _lock:
        _cached = None


def search_metiers(query: str, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
    """Search the current référentiel by title (:meth:`MetierIndex.search`) and by what the
    query describes (the reading engine), merged (:mod:`.merged`, ADR 0040)."""
    from tisser.referentiel.understanding import get_understanding

    if limit <= 0:
        return []
    titles = get_index().search(query, limit=max(limit, TITLE_CANDIDATES))
    engine = get_understanding()
    readings = engine.metiers(query, limit=DESCRIPTION_CANDIDATES) if engine else []
    return merge(titles, readings, limit)
