"""ROME items found in French text: the compétences an achievement suggests, and the live
search of the portfolio over compétences and savoirs.

What a réussite suggests (:func:`competences_suggest`) and the portfolio search's meaning part
come from the reading engine, :mod:`tisser.referentiel.understanding` (ADR 0040). This
module's own index, below, is the label search of the portfolio; its
:meth:`RomeItemIndex.suggest` (TF-IDF over labels) was the suggestions' engine before ADR 0040
and is kept as the benchmark's baseline (``bench/competence_suggestions.py --engine tfidf``).

Pipeline of the label index, from text to items:

1. **Normalise** with the référentiel's own rules (:mod:`tisser.referentiel.search.normalize`:
   case, accents, ligatures, punctuation, plurals), then drop French grammatical words.
2. **Stem** each word lightly (:func:`stem`): common verb and noun endings are cut so that
   "organisé", "organiser", "organisation" and "organisateur" meet as ``organis``, "animer"
   and "animation" as ``anim``, "accueilli" and "accueil" as ``accueil``.
3. **Weigh** each stem by its rarity among the labels of the index (IDF): "budget" tells
   more than "réaliser".
4. **Suggest** (:meth:`RomeItemIndex.suggest`): a compétence scores by how much of its label
   the text explains (IDF-weighted coverage), times how much evidence that is (a label
   explained only by common words is worth less), nudged up when the wider context of the
   item (its macro-compétence, its definition) is explained better than the label itself.
   The 8 best above :data:`MIN_SCORE`; ties are broken by OGR code, so results are
   deterministic.
5. **Search** (:meth:`RomeItemIndex.search`): every word of a short query must match a stem
   of the label, exactly, as a prefix (search-as-you-type) or with a typo.

The index is built without Django (:meth:`RomeItemIndex.from_rows`, used by the benchmark)
and, for the application, once per process per current ROME version (:func:`get_index`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from tisser.referentiel.search.french import stem, terms, words
from tisser.referentiel.search.normalize import clean_query
from tisser.referentiel.search.vocabulary import Vocabulary
from tisser.referentiel.understanding import Suggestion, get_understanding
from tisser.referentiel.versioned import PerVersion

COMPETENCE = "competence"
SAVOIR = "savoir"

SUGGESTION_LIMIT = 8
MIN_SCORE = 0.35
"""Below this a compétence shares little more than a common word with the achievement."""

EVIDENCE_TERMS = 1.6
"""IDF mass of matched label words at which the evidence counts in full, in label words of
average rarity (the average depends on the size of the référentiel). A label covered by a
single common verb ("Réaliser") is worth less."""

CONTEXT_WEIGHT = 0.25
"""Share of the gap between the label's coverage and its context's (macro-compétence,
definition) that the context may add: it reorders close labels, never lifts a poor one far."""

MAX_TEXT_LENGTH = 20_000
"""An achievement longer than this is cut: it bounds the work of one save."""

MIN_PREFIX_STEM = 4
PREFIX_STEM_SIMILARITY = 0.9


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One ROME item to index. `context` is text that says more about it (the label of its
    macro-compétence, its definition): it may nudge a suggestion, never select one."""

    kind: str
    code_ogr: int
    label: str
    context: str = ""


@dataclass(frozen=True, slots=True)
class Found:
    """A ROME item found for a text or a query; `score` in [0, 1]."""

    kind: str
    code_ogr: int
    label: str
    score: float
    fiche: str = ""
    """Found by meaning rather than by its words: the fiche it came through (ADR 0040)."""


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str
    code_ogr: int
    label: str
    terms: tuple[int, ...]
    weight: float  # sum of the IDF of its terms
    context: frozenset[int]
    context_weight: float


class RomeItemIndex:
    """Stemmed labels of the compétences and savoirs of one ROME version. Immutable once
    built: lookups are thread-safe and keep no state."""

    def __init__(self, items: list[_Item], vocabulary: Vocabulary, postings, idf) -> None:
        self._items = items
        occurrences = sum(len(item.terms) for item in items)
        average_idf = sum(item.weight for item in items) / occurrences if occurrences else 1.0
        self._evidence_mass = EVIDENCE_TERMS * average_idf
        self.vocabulary = vocabulary
        self._postings: list[tuple[int, ...]] = postings
        self._idf: list[float] = idf
        self._term_ids = {term: position for position, term in enumerate(vocabulary.words)}

    @classmethod
    def from_rows(cls, rows: Iterable[ItemRow]) -> RomeItemIndex:
        """Build the index from plain rows, without Django. Items without a meaningful word
        are left out; IDF is counted over all the items indexed."""
        term_id: dict[str, int] = {}
        vocabulary: list[str] = []

        def ids(text: str) -> tuple[int, ...]:
            found = []
            for term in terms(text):
                if term not in term_id:
                    term_id[term] = len(vocabulary)
                    vocabulary.append(term)
                found.append(term_id[term])
            return tuple(dict.fromkeys(found))

        raw = []
        for row in rows:
            label_ids = ids(row.label)
            if label_ids:
                raw.append((row, label_ids, ids(row.context) if row.context else ()))
        document_frequency = [0] * len(vocabulary)
        for _row, label_ids, _context in raw:
            for term in label_ids:
                document_frequency[term] += 1
        count = max(len(raw), 1)
        # Context-only words never appear in a label: they weigh as the rarest label words.
        idf = [math.log(1.0 + count / max(frequency, 1)) for frequency in document_frequency]

        items: list[_Item] = []
        postings: list[list[int]] = [[] for _ in vocabulary]
        for row, label_ids, context_ids in raw:
            position = len(items)
            items.append(
                _Item(
                    kind=row.kind,
                    code_ogr=row.code_ogr,
                    label=row.label,
                    terms=label_ids,
                    weight=sum(idf[term] for term in label_ids),
                    context=frozenset(context_ids),
                    context_weight=sum(idf[term] for term in set(context_ids)),
                )
            )
            for term in label_ids:
                postings[term].append(position)
        return cls(items, Vocabulary(vocabulary), [tuple(p) for p in postings], idf)

    def __len__(self) -> int:
        return len(self._items)

    def label_of(self, kind: str, code_ogr: int) -> str | None:
        for item in self._items:
            if item.kind == kind and item.code_ogr == code_ogr:
                return item.label
        return None

    # -- suggestions -----------------------------------------------------------------------

    def suggest(
        self, text: str, *, limit: int = SUGGESTION_LIMIT, min_score: float = MIN_SCORE
    ) -> list[Found]:
        """The compétences `text` suggests, best first (see the module docstring)."""
        term_ids = self._term_ids
        text_terms = {term_ids[term] for term in terms(text[:MAX_TEXT_LENGTH]) if term in term_ids}
        if not text_terms or limit <= 0:
            return []
        idf = self._idf
        matched: dict[int, float] = {}
        for term in text_terms:
            for position in self._postings[term]:
                matched[position] = matched.get(position, 0.0) + idf[term]
        scored = []
        for position, mass in matched.items():
            item = self._items[position]
            if item.kind != COMPETENCE:
                continue
            coverage = mass / item.weight
            score = coverage * min(1.0, mass / self._evidence_mass)
            if item.context_weight:
                context = sum(idf[term] for term in item.context & text_terms)
                context_coverage = context / item.context_weight
                score += CONTEXT_WEIGHT * max(0.0, context_coverage - coverage) * score
            if score >= min_score:
                scored.append((-round(score, 6), item.code_ogr, item))
        scored.sort(key=lambda entry: (entry[0], entry[1]))
        return [
            Found(item.kind, item.code_ogr, item.label, round(-negative, 4))
            for negative, _code, item in scored[:limit]
        ]

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20, kind: str | None = None) -> list[Found]:
        """Items whose label contains every meaningful word of `query` (each exactly, as the
        beginning of a word, or with a typo), best first: the share of the label the query
        explains, then the label. An empty query finds nothing."""
        query_words = list(dict.fromkeys(words(clean_query(query))))
        if not query_words or limit <= 0:
            return []
        candidates: dict[int, float] | None = None
        for word in query_words[:8]:
            found: dict[int, float] = {}
            for token_id, similarity in self._word_matches(word).items():
                gain = self._idf[token_id] * similarity
                for position in self._postings[token_id]:
                    if gain > found.get(position, 0.0):
                        found[position] = gain
            if candidates is None:
                candidates = found
            else:
                candidates = {
                    position: candidates[position] + gain
                    for position, gain in found.items()
                    if position in candidates
                }
            if not candidates:
                return []
        ranked = []
        for position, mass in (candidates or {}).items():
            item = self._items[position]
            if kind is not None and item.kind != kind:
                continue
            score = min(1.0, mass / item.weight)
            ranked.append((-round(score, 6), item.label.lower(), item.code_ogr, item))
        ranked.sort(key=lambda entry: entry[:3])
        return [
            Found(item.kind, item.code_ogr, item.label, round(-negative, 4))
            for negative, _label, _code, item in ranked[:limit]
        ]

    def _word_matches(self, word: str) -> dict[int, float]:
        """Label stems a typed word may stand for: its own stem (exactly, completed or with a
        typo), or a stem it starts with — a word typed in part is often longer than the stem
        ("evenem" is on its way to "événement", indexed as ``even``)."""
        matches = self.vocabulary.match(stem(word))
        for length in range(len(word), MIN_PREFIX_STEM - 1, -1):
            token_id = self._term_ids.get(word[:length])
            if token_id is not None:
                matches[token_id] = max(matches.get(token_id, 0.0), PREFIX_STEM_SIMILARITY)
                break
        return matches


# -- the index of the current ROME version ---------------------------------------------------


def rows_from_database() -> list[ItemRow]:
    # Imported here: this module loads without Django settings (the benchmark builds the index).
    from tisser.referentiel.models import Competence, Savoir

    macro_labels = dict(
        Competence.objects.filter(nature="macro").values_list("pk", "libelle").order_by("pk")
    )
    rows = [
        ItemRow(
            COMPETENCE,
            code_ogr,
            libelle,
            " ".join(part for part in (macro_labels.get(macro_id, ""), definition) if part),
        )
        for code_ogr, libelle, definition, macro_id in Competence.objects.order_by(
            "code_ogr"
        ).values_list("code_ogr", "libelle", "definition", "macro_id")
    ]
    rows.extend(
        ItemRow(SAVOIR, code_ogr, libelle)
        for code_ogr, libelle in Savoir.objects.order_by("code_ogr").values_list(
            "code_ogr", "libelle"
        )
    )
    return rows


_index: PerVersion[RomeItemIndex] = PerVersion(
    lambda version: RomeItemIndex.from_rows(rows_from_database() if version is not None else [])
)


def get_index() -> RomeItemIndex:
    """The index of the current ROME version, built from the database once per process and
    rebuilt when another version becomes current (:class:`PerVersion`)."""
    return _index.get()


def clear_index_cache() -> None:
    _index.clear()


def competences_suggest(text: str, *, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """The compétences and savoirs of the current ROME that `text` suggests, each with why:
    the reading engine of :mod:`tisser.referentiel.understanding` (ADR 0040)."""
    engine = get_understanding()
    return engine.suggest(text, limit=limit) if engine is not None else []


def rome_items_search(query: str, *, limit: int = 20, kind: str | None = None) -> list[Found]:
    """Compétences and savoirs of the current ROME for a typed query: those whose label
    holds its words first, then those its meaning leads to (the reading engine, ADR 0040:
    « toilette des personnes âgées » finds « Veiller à l'hygiène corporelle des personnes »)."""
    found = get_index().search(query, limit=limit, kind=kind)
    engine = get_understanding()
    if len(found) >= limit or engine is None:
        return found
    seen = {(item.kind, item.code_ogr) for item in found}
    kinds = (kind,) if kind else (COMPETENCE, SAVOIR)
    for suggestion in engine.suggest(query, limit=limit, kinds=kinds):
        if (suggestion.kind, suggestion.code_ogr) in seen:
            continue
        found.append(
            Found(
                suggestion.kind,
                suggestion.code_ogr,
                suggestion.label,
                suggestion.score,
                fiche=suggestion.fiche,
            )
        )
        if len(found) >= limit:
            break
    return found
