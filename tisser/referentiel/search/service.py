"""The index of the current ROME version, built from the database once per process."""

from __future__ import annotations

from tisser.referentiel.search.index import DEFAULT_LIMIT, MetierIndex, SearchResult
from tisser.referentiel.search.merged import DESCRIPTION_CANDIDATES, TITLE_CANDIDATES, merge
from tisser.referentiel.versioned import PerVersion


def _build_from_database() -> MetierIndex:
    from tisser.referentiel.models import Appellation, Metier

    metiers = Metier.objects.order_by("code_rome").values_list("code_rome", "libelle")
    appellations = Appellation.objects.order_by("metier__code_rome", "pk").values_list(
        "metier__code_rome", "libelle", "libelle_court"
    )
    return MetierIndex.from_rows(list(metiers), list(appellations))


_index: PerVersion[MetierIndex] = PerVersion(lambda _version: _build_from_database())


def get_index() -> MetierIndex:
    """Return the métier index of the current ROME version, built once per process and
    rebuilt when an import makes another version current (:class:`PerVersion`)."""
    return _index.get()


def clear_index_cache() -> None:
    """Forget the cached index (tests, or after changing rows of the current version)."""
    _index.clear()


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
