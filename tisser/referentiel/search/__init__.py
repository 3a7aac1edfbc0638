"""Métier search: one query box over fiche titles and all appellations of the ROME.

Public API:

* :class:`MetierIndex` — build with ``MetierIndex.from_rows(metiers, appellations)``
  (pure, no Django), then ``index.search(query, limit=10)``;
* :class:`SearchResult` — one fiche found (code_rome, libelle, score, matched_label);
* :func:`get_index` / :func:`search_metiers` — the index of the current ROME version,
  built from the database once per process and rebuilt after a new import.
"""

from tisser.referentiel.search.index import MetierIndex, SearchResult
from tisser.referentiel.search.service import get_index, search_metiers

__all__ = ["MetierIndex", "SearchResult", "get_index", "search_metiers"]
