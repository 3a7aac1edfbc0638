"""Titles and descriptions merged: one métier search for « boulangère » and for « je fais le
pain et les viennoiseries » alike (ADR 0040).

The title search (:class:`~tisser.referentiel.search.index.MetierIndex`) is precise on what
people call a job; the reading engine
(:meth:`~tisser.referentiel.understanding.Understanding.metiers`) finds the fiche a
description of the work reads like. A fiche scores as the better of the two, the reading
discounted by :data:`DESCRIPTION_WEIGHT`: a title matched well keeps its place, and a
description finds what no title holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from tisser.referentiel.search.index import SearchResult

DESCRIPTION_WEIGHT = 0.3
"""A reading scores at most this (the best fiche for the description): below a title that
matches, above nothing."""

TITLE_CANDIDATES = 20
DESCRIPTION_CANDIDATES = 30


def merge(titles: Iterable[SearchResult], readings: Iterable, limit: int) -> list[SearchResult]:
    """The fiches of both searches, best first (ties by code ROME)."""
    found: dict[str, SearchResult] = {result.code_rome: result for result in titles}
    for reading in readings:
        score = round(DESCRIPTION_WEIGHT * reading.score, 4)
        current = found.get(reading.code_rome)
        if current is None or score > current.score:
            found[reading.code_rome] = SearchResult(
                code_rome=reading.code_rome,
                libelle=reading.libelle,
                score=score,
                matched_label="",
                words=tuple(reading.words),
            )
    ranked = sorted(found.values(), key=lambda result: (-result.score, result.code_rome))
    return ranked[:limit]
