"""The in-memory métier index and its search.

Pipeline, from a raw query to ranked fiches:

1. **Normalise** the query (case, accents, punctuation: :mod:`.normalize`).
2. **Expand** it into a few variants through the curated short-form table
   (:mod:`.synonyms`): "dev web" is also searched as "developpeur web".
3. **Match tokens**: each query token is matched against the vocabulary of the labels,
   exactly, as a prefix (search-as-you-type: "boulang") or within an edit budget that grows
   with its length (typos: "bouchr"): :mod:`.vocabulary`. Each match has a similarity in
   [0, 1].
4. **Generate candidates** through the inverted index (token → searchable forms) and
   **score** each form: how much of the query it explains, weighted by token rarity (IDF),
   tempered by how much of the form is left unexplained (an exact title beats a longer one
   that merely contains the words).
5. **Aggregate per fiche**: a fiche scores as its best form (its title, or any gender form
   of any of its appellations); that form is reported as ``matched_label``.

The labels are indexed as their separate gender forms (:mod:`.variants`), so "boulangère"
is an exact match for "Boulanger / Boulangère". The index is immutable once built: searching
is thread-safe and keeps no state between queries.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from tisser.referentiel.search.normalize import clean_query, content_tokens, tokenize
from tisser.referentiel.search.synonyms import expand_query
from tisser.referentiel.search.variants import gender_forms, trailing_acronym
from tisser.referentiel.search.vocabulary import Vocabulary

DEFAULT_LIMIT = 10

QUERY_WEIGHT = 0.7
"""Share of a form's score that only depends on how well the query is covered; the rest
rewards forms that the query covers entirely (fewer unexplained words)."""

SUPPORT_WEIGHT = 0.5
SUPPORT_RATIO = 0.9
SUPPORT_FLOOR = 0.75
SUPPORT_SATURATION = 4
"""A fiche gets up to SUPPORT_WEIGHT of its gap to 1 when SUPPORT_SATURATION more of its
names (titles, appellations) score within SUPPORT_RATIO of its best one and at least
SUPPORT_FLOOR: only good matches count, so a fiche with many poor matches gains nothing."""

SHORT_LABEL_TRUST = 0.9
"""Scores through a short label (ROME's abbreviated wording) are discounted by this factor."""

MIN_SCORE = 0.25
"""Fiches scoring below this share little more than a common word with the query."""

MAX_QUERY_TOKENS = 12
"""Words of a query beyond this many are ignored (ROME labels have at most 12 content
words), which bounds the work of a pasted paragraph."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One fiche métier found for a query.

    ``score`` is in [0, 1] (1: a label matches the query exactly, up to case, accents and
    grammatical words); ``matched_label`` is the gender form of the title or appellation
    that matched best, for display ("via « Boulangère »").
    """

    code_rome: str
    libelle: str
    score: float
    matched_label: str
    words: tuple[str, ...] = ()
    """When found by what the query describes rather than by a title (ADR 0040): the
    query's words that led to it."""


@dataclass(frozen=True, slots=True)
class _Form:
    """One searchable form: a gender form of a fiche title or of one of its appellations."""

    fiche: int
    source: int  # the title or appellation it comes from
    display: str
    weight: float  # sum of the IDF of its tokens
    trust: float  # SHORT_LABEL_TRUST for a short label, else 1


def _searchable_texts(label: str, short_label: str) -> list[tuple[str, str, float]]:
    """(searchable text, display, trust) triples naming one title or appellation.

    Its gender forms; the acronym it ends with, if any ("IDE"); and the gender forms of its
    short label, displayed as the long label of the same gender, which reads better
    ("Technicienne environnement" rather than "Technicienne environ"). Short labels are
    trusted less: their abbreviations may collide with what people type ("auto" stands for
    "automatique" in "Mécanicien(ne) régleur(se) machine auto.").
    """
    forms = gender_forms(label)
    texts = [(form.text, form.text, 1.0) for form in forms]
    acronym = trailing_acronym(label)
    if acronym:
        texts.append((acronym, forms[0].text, 1.0))
    if short_label and short_label != label:
        display_by_gender = {form.gender: form.text for form in forms}
        texts.extend(
            (form.text, display_by_gender.get(form.gender, forms[0].text), SHORT_LABEL_TRUST)
            for form in gender_forms(short_label)
        )
    return texts


class MetierIndex:
    """Searchable index of the fiches métier of one ROME version.

    Build it with :meth:`from_rows`; it never touches the database.
    """

    def __init__(
        self,
        fiches: list[tuple[str, str]],
        forms: list[_Form],
        vocabulary: Vocabulary,
        postings: list[list[int]],
        idf: list[float],
    ) -> None:
        self._fiches = fiches
        self._forms = forms
        self.vocabulary = vocabulary
        self._postings = postings
        self._idf = idf

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        metiers: Iterable[tuple[str, str]],
        appellations: Iterable[tuple[str, str, str]],
    ) -> MetierIndex:
        """Build the index from plain rows, without Django.

        ``metiers`` yields ``(code_rome, libelle)``; ``appellations`` yields
        ``(code_rome, libelle, libelle_court)``. Appellations of unknown fiches are ignored.
        A fiche is searchable by its title and its appellations (see ``_searchable_texts``).
        """
        fiches: list[tuple[str, str]] = []
        fiche_position: dict[str, int] = {}
        named: list[tuple[int, list[tuple[str, str, float]]]] = []
        for code_rome, libelle in metiers:
            if code_rome in fiche_position or not libelle:
                continue
            fiche_position[code_rome] = len(fiches)
            fiches.append((code_rome, libelle))
            named.append((fiche_position[code_rome], _searchable_texts(libelle, "")))
        for code_rome, libelle, libelle_court in appellations:
            fiche = fiche_position.get(code_rome)
            if fiche is not None and libelle:
                named.append((fiche, _searchable_texts(libelle, libelle_court or "")))

        # One form per (fiche, content tokens); the first one seen gives the display, so a
        # fiche title wins over an appellation with the same words.
        vocabulary: list[str] = []
        token_id: dict[str, int] = {}
        seen: set[tuple[int, tuple[int, ...]]] = set()
        raw_forms: list[tuple[int, int, str, float, tuple[int, ...]]] = []
        for source, (fiche, texts) in enumerate(named):
            for text, display, trust in texts:
                ids = []
                for token in content_tokens(tokenize(text)):
                    if token not in token_id:
                        token_id[token] = len(vocabulary)
                        vocabulary.append(token)
                    ids.append(token_id[token])
                key = (fiche, tuple(sorted(ids)))
                if ids and key not in seen:
                    seen.add(key)
                    raw_forms.append((fiche, source, display, trust, tuple(ids)))

        # Rarity is counted in fiches, not forms: a fiche with many appellations does not
        # make its words common.
        fiches_with_token: list[set[int]] = [set() for _ in vocabulary]
        for fiche, _source, _display, _trust, ids in raw_forms:
            for token in ids:
                fiches_with_token[token].add(fiche)
        fiche_count = max(len(fiches), 1)
        idf = [math.log(1.0 + fiche_count / len(with_token)) for with_token in fiches_with_token]

        postings: list[list[int]] = [[] for _ in vocabulary]
        forms: list[_Form] = []
        for position, (fiche, source, display, trust, ids) in enumerate(raw_forms):
            weight = sum(idf[token] for token in ids)
            forms.append(_Form(fiche, source, display, weight, trust))
            for token in ids:
                postings[token].append(position)
        return cls(fiches, forms, Vocabulary(vocabulary), postings, idf)

    @property
    def fiche_count(self) -> int:
        return len(self._fiches)

    @property
    def form_count(self) -> int:
        return len(self._forms)

    # -- searching ------------------------------------------------------------------------

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
        """Return at most ``limit`` fiches for ``query``, best first.

        An empty query gives no result; a query longer than ``MAX_QUERY_LENGTH`` characters
        is cut. Ties are broken by code ROME, so results are deterministic.
        """
        query = clean_query(query)
        if not query or limit <= 0:
            return []
        best_by_form: dict[int, float] = {}
        for variant in expand_query(tokenize(query)):
            for form, score in self._score_forms(variant.tokens).items():
                weighted = score * variant.confidence
                if weighted > best_by_form.get(form, 0.0):
                    best_by_form[form] = weighted
        return self._best_per_fiche(best_by_form, limit)

    def _score_forms(self, query_tokens: tuple[str, ...]) -> dict[int, float]:
        """Score every form sharing at least one (approximate) token with the query.

        score = coverage × (QUERY_WEIGHT + (1 − QUERY_WEIGHT) × completeness), where
        coverage is the IDF-weighted share of query tokens found in the form (each at its
        match similarity) and completeness the IDF-weighted share of the form's tokens that
        the query found. Both are 1 for an exact match.
        """
        query_tokens = query_tokens[:MAX_QUERY_TOKENS]
        if not query_tokens:
            return {}
        idf = self._idf
        postings = self._postings
        covered: dict[int, float] = {}
        explained: dict[int, float] = {}
        total_query_weight = 0.0
        token_matches = [self.vocabulary.match(token) for token in query_tokens]
        weights = [_query_token_weight(matches, idf) for matches in token_matches]
        known = [weight for weight in weights if weight is not None]
        # An unknown word still counts against every form (nothing explains it), as much as
        # a typical word of the query.
        typical_weight = sum(known) / len(known) if known else 1.0

        for matches, weight in zip(token_matches, weights, strict=True):
            query_weight = typical_weight if weight is None else weight
            total_query_weight += query_weight
            # A form counts the best vocabulary token this query token matched in it, so
            # the tokens are visited from the most similar one.
            already_matched: set[int] = set()
            for token, similarity in sorted(matches.items(), key=lambda item: -item[1]):
                query_gain = query_weight * similarity
                form_gain = idf[token] * similarity
                for form in postings[token]:
                    if form in already_matched:
                        continue
                    already_matched.add(form)
                    covered[form] = covered.get(form, 0.0) + query_gain
                    explained[form] = explained.get(form, 0.0) + form_gain

        forms = self._forms
        scores: dict[int, float] = {}
        # A score never exceeds the coverage: forms covering too little are not worth scoring.
        least_covered = MIN_SCORE * total_query_weight
        for form, weight_found in covered.items():
            if weight_found < least_covered:
                continue
            coverage = weight_found / total_query_weight
            completeness = min(1.0, explained[form] / forms[form].weight)
            scores[form] = (
                forms[form].trust * coverage * (QUERY_WEIGHT + (1.0 - QUERY_WEIGHT) * completeness)
            )
        return scores

    def _best_per_fiche(self, best_by_form: dict[int, float], limit: int) -> list[SearchResult]:
        """Rank fiches by their best form, nudged up by how many of their names match.

        A fiche scores as its best-matching form, plus a bonus when several of its titles
        and appellations match well and nearly as well: for "infirmier", the fiche with a
        dozen "Infirmier ..." appellations (soins généraux) is the one meant, rather than a
        fiche with a single one. The bonus only fills part of the gap to 1, so it reorders
        close results but never lifts a partial match above an exact one.
        """
        forms = self._forms
        best: dict[int, tuple[float, int]] = {}
        for form, score in best_by_form.items():
            fiche = forms[form].fiche
            current = best.get(fiche)
            if current is None or score > current[0]:
                best[fiche] = (score, form)
        supporting: dict[int, set[int]] = {}
        for form, score in best_by_form.items():
            fiche = forms[form].fiche
            if score >= SUPPORT_FLOOR and score >= SUPPORT_RATIO * best[fiche][0]:
                supporting.setdefault(fiche, set()).add(forms[form].source)
        ranked = []
        for fiche, (score, form) in best.items():
            others = max(0, len(supporting.get(fiche, ())) - 1)
            support = min(1.0, others / SUPPORT_SATURATION)
            final = score + SUPPORT_WEIGHT * (1.0 - score) * support
            if final < MIN_SCORE:
                continue
            ranked.append((-final, self._fiches[fiche][0], fiche, form))
        ranked.sort()
        results = []
        for negative_score, code_rome, fiche, form in ranked[:limit]:
            results.append(
                SearchResult(
                    code_rome=code_rome,
                    libelle=self._fiches[fiche][1],
                    score=round(min(1.0, max(0.0, -negative_score)), 4),
                    matched_label=forms[form].display,
                )
            )
        return results


def _query_token_weight(matches: dict[int, float], idf: list[float]) -> float | None:
    """A query word weighs as the rarest of the label words it matches best (None: no match)."""
    if not matches:
        return None
    best_similarity = max(matches.values())
    return max(idf[token] for token, similarity in matches.items() if similarity == best_similarity)
