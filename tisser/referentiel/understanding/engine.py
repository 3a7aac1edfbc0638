"""Reading free French text with what the ROME itself holds (ADR 0040).

A person rarely writes the référentiel's words: « je passais tous les matins : toilette,
repas, courses » says « Veiller à l'hygiène corporelle des personnes » and « Préparer des
repas » without the words of the first. What bridges the two is the référentiel's own
structure: the text reads like one or a few **fiches métier** (their titles, appellations,
definitions, access texts and the labels of everything listed on them), and each fiche lists
the **compétences and savoirs** that belong to it, marked cœur de métier or not.

Pipeline, from a text to items:

1. **Words**: the text's French words, lightly stemmed (:mod:`tisser.referentiel.search.french`).
2. **Fiches**: each fiche is one document made of weighted fields (:data:`FIELD_WEIGHTS`),
   scored against the text with BM25 (:data:`BM25_K1`, :data:`BM25_B`), in one sparse
   product. :meth:`Understanding.metiers` returns them (the free-text métier search).
3. **Items**: the best :data:`FICHES_READ` fiches share a weight (a softmax of their scores,
   :data:`FICHE_TEMPERATURE`); an item scores by the weight of the fiches listing it (cœur de
   métier counts more, :data:`LINK_WEIGHTS`), times how much of its own label the text says
   (:data:`LABEL_WEIGHT`), plus a share of direct label matching for what no fiche holds
   (:data:`DIRECT_WEIGHT`: organising a party, training newcomers).
4. **Why**: each result carries the words of the text that led to it, and the fiche it came
   through, so the person can judge it.

Everything is sparse linear algebra over the référentiel (about 1,600 fiches, 33,000 items):
building takes seconds, a query a few milliseconds, and no model is downloaded or run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from tisser.referentiel.search.french import terms
from tisser.referentiel.search.vocabulary import Vocabulary

ENGINE_VERSION = 1
"""Part of the on-disk cache's name: bump it when building changes."""

COMPETENCE = "competence"
SAVOIR = "savoir"

FIELD_WEIGHTS = {
    "title": 3.0,
    "appellation": 1.0,
    "text": 1.0,
    "principale": 1.0,
    "emergente": 0.6,
    "other": 0.4,
    "savoir": 0.3,
}
"""How much each part of a fiche counts when a text is read as that fiche: its title most,
then its appellations, texts and cœur-de-métier compétences, then the rest it lists."""

BM25_K1 = 1.2
BM25_B = 0.5

FICHES_READ = 3
"""How many of the best fiches lend their compétences to a text."""

FICHE_TEMPERATURE = 0.3
"""Softmax temperature over the fiches' scores relative to the best one: lower trusts the
best fiche more."""

LINK_WEIGHTS = {"principale": 1.0, "emergente": 0.7, "": 0.45}
"""An item listed as cœur de métier counts more than one merely listed on the fiche."""

BASE_WEIGHT = 0.3
LABEL_WEIGHT = 2.0
"""An item listed on the text's fiches scores ``BASE_WEIGHT + LABEL_WEIGHT × coverage``,
where coverage is the share of its label's rarity-weighted words the text says."""

DIRECT_WEIGHT = 0.3
EVIDENCE_MASS = 6.4
"""Direct label matching (no fiche): ``DIRECT_WEIGHT × coverage × evidence``, evidence
saturating when the matched words weigh :data:`EVIDENCE_MASS` (about four rare words)."""

TYPO_MIN_LENGTH = 5
TYPO_SIMILARITY = 0.7
"""A word the référentiel does not hold, of at least this many letters, stands for the words
it is a typo of (same first letter, similarity at least this much), weighed by similarity."""

MIN_SCORE = 0.06
"""Below this (on a scale of 1) an item shares too little with the text to be suggested."""

MAX_TEXT_LENGTH = 20_000
"""Text beyond this is cut: it bounds the work of one reading."""

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*", re.UNICODE)
"""A word as written: letters and digits, hyphenated parts kept together ("aide-soignante");
an apostrophe ends it ("d'initiation" gives "d" and "initiation")."""


@dataclass(frozen=True, slots=True)
class RomeText:
    """What the engine reads of one ROME version, as plain rows (no Django)."""

    fiches: list[tuple[str, str]]
    """(code ROME, title)"""
    appellations: list[tuple[str, str]]
    """(code ROME, label)"""
    texts: list[tuple[str, str]]
    """(code ROME, a sentence of its definition or access text)"""
    items: list[tuple[str, int, str]]
    """(kind, code OGR, label) of the compétences, macro-compétences and savoirs"""
    links: list[tuple[str, str, int, str]]
    """(code ROME, kind, code OGR, cœur de métier: "principale", "emergente" or "")"""
    unsuggested: frozenset[tuple[str, int]] = frozenset()
    """Items read as part of their fiches but never suggested: diplomas, certifications and
    habilitations (a réussite tells what one did, not what one holds)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A compétence or savoir a text suggests, with why: ``words`` of the text that its label
    shares, and ``fiche`` (its title) when it came through a fiche the text reads like."""

    kind: str
    code_ogr: int
    label: str
    score: float
    words: tuple[str, ...] = ()
    code_rome: str = ""
    fiche: str = ""


@dataclass(frozen=True, slots=True)
class MetierReading:
    """A fiche a text reads like; ``words`` are the text's words that weighed most."""

    code_rome: str
    libelle: str
    score: float
    words: tuple[str, ...] = field(default=())


def _shown_words(text: str, origin: dict[int, str]) -> dict[int, str]:
    """For each term read in `text` (its id), the first word, as written, that led to it."""
    written: dict[str, str] = {}
    for word in _WORD.findall(text[:MAX_TEXT_LENGTH]):
        for term in terms(word):
            written.setdefault(term, word.lower())
    return {term_id: written.get(stem, stem) for term_id, stem in origin.items()}


class Understanding:
    """The reading engine of one ROME version. Immutable once built: thread-safe."""

    def __init__(
        self,
        *,
        vocabulary: list[str],
        fiches: list[tuple[str, str]],
        items: list[tuple[str, int, str]],
        fiche_terms: sparse.csr_matrix,
        item_terms: sparse.csr_matrix,
        links: sparse.csr_matrix,
        unsuggested: list[int],
    ) -> None:
        self.vocabulary = vocabulary
        self._term_ids = {term: position for position, term in enumerate(vocabulary)}
        self._typos = Vocabulary(vocabulary)
        self._unsuggested = unsuggested
        self._suggestible = np.ones(len(items), dtype=bool)
        self._suggestible[unsuggested] = False
        self.fiches = fiches
        self.items = items
        self._fiche_terms = fiche_terms  # terms × fiches, BM25 weights
        self._item_terms = item_terms  # terms × items, IDF weights of label words
        self._item_mass = np.asarray(item_terms.sum(axis=0)).ravel()
        self._links = links  # fiches × items, link weights
        self._links_by_item = links.T.tocsr()
        self._fiche_position = {code: position for position, (code, _) in enumerate(fiches)}

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def build(cls, rome: RomeText) -> Understanding:
        vocabulary: dict[str, int] = {}

        def ids(text: str) -> list[int]:
            found = []
            for term in terms(text):
                position = vocabulary.get(term)
                if position is None:
                    position = vocabulary[term] = len(vocabulary)
                found.append(position)
            return found

        fiche_position = {code: position for position, (code, _) in enumerate(rome.fiches)}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []

        def add(code: str, text: str, weight: float) -> None:
            fiche = fiche_position.get(code)
            if fiche is None:
                return
            for term in ids(text):
                rows.append(term)
                cols.append(fiche)
                values.append(weight)

        for code, title in rome.fiches:
            add(code, title, FIELD_WEIGHTS["title"])
        for code, label in rome.appellations:
            add(code, label, FIELD_WEIGHTS["appellation"])
        for code, sentence in rome.texts:
            add(code, sentence, FIELD_WEIGHTS["text"])
        item_position = {(kind, code): n for n, (kind, code, _) in enumerate(rome.items)}
        link_rows: list[int] = []
        link_cols: list[int] = []
        link_values: list[float] = []
        for code, kind, code_ogr, coeur in rome.links:
            item = item_position.get((kind, code_ogr))
            fiche = fiche_position.get(code)
            if item is None or fiche is None:
                continue
            link_rows.append(fiche)
            link_cols.append(item)
            link_values.append(LINK_WEIGHTS.get(coeur, LINK_WEIGHTS[""]))
            weight = (
                FIELD_WEIGHTS["savoir"]
                if kind == SAVOIR
                else FIELD_WEIGHTS.get(coeur or "other", FIELD_WEIGHTS["other"])
            )
            add(code, rome.items[item][2], weight)

        item_rows: list[int] = []
        item_cols: list[int] = []
        for n, (_kind, _code, label) in enumerate(rome.items):
            for term in set(ids(label)):
                item_rows.append(term)
                item_cols.append(n)

        size = len(vocabulary)
        fiche_count = max(len(rome.fiches), 1)
        counts = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float64), (rows, cols)), shape=(size, fiche_count)
        )
        counts.sum_duplicates()
        counts = counts.tocoo()
        document_frequency = np.bincount(counts.row, minlength=size)
        idf = np.log(1.0 + fiche_count / np.maximum(document_frequency, 1))
        length = np.bincount(counts.col, weights=counts.data, minlength=fiche_count)
        average = length.mean() if length.size else 1.0
        saturated = (
            counts.data
            * (BM25_K1 + 1)
            / (counts.data + BM25_K1 * (1 - BM25_B + BM25_B * length[counts.col] / average))
        )
        fiche_terms = sparse.csr_matrix(
            (saturated * idf[counts.row], (counts.row, counts.col)), shape=(size, fiche_count)
        )

        item_count = max(len(rome.items), 1)
        item_frequency = np.bincount(np.asarray(item_rows, dtype=np.int64), minlength=size)
        item_idf = np.log(1.0 + item_count / np.maximum(item_frequency, 1))
        item_terms = sparse.csr_matrix(
            (item_idf[item_rows], (item_rows, item_cols)), shape=(size, item_count)
        )
        links = sparse.csr_matrix(
            (link_values, (link_rows, link_cols)), shape=(fiche_count, item_count)
        )
        links.sum_duplicates()
        return cls(
            vocabulary=list(vocabulary),
            fiches=list(rome.fiches),
            items=list(rome.items),
            fiche_terms=fiche_terms,
            item_terms=item_terms.tocsr(),
            links=links,
            unsuggested=sorted(
                n
                for n, (kind, code, _label) in enumerate(rome.items)
                if (kind, code) in rome.unsuggested
            ),
        )

    # -- on-disk cache (no pickle: arrays and JSON only) ---------------------------------------

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(folder / "fiche_terms.npz", self._fiche_terms)
        sparse.save_npz(folder / "item_terms.npz", self._item_terms)
        sparse.save_npz(folder / "links.npz", self._links)
        (folder / "lists.json").write_text(
            json.dumps(
                {
                    "vocabulary": self.vocabulary,
                    "fiches": self.fiches,
                    "items": self.items,
                    "unsuggested": self._unsuggested,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, folder: Path) -> Understanding:
        lists = json.loads((folder / "lists.json").read_text(encoding="utf-8"))
        return cls(
            vocabulary=lists["vocabulary"],
            fiches=[tuple(fiche) for fiche in lists["fiches"]],
            items=[(kind, int(code), label) for kind, code, label in lists["items"]],
            fiche_terms=sparse.load_npz(folder / "fiche_terms.npz").tocsr(),
            item_terms=sparse.load_npz(folder / "item_terms.npz").tocsr(),
            links=sparse.load_npz(folder / "links.npz").tocsr(),
            unsuggested=[int(n) for n in lists["unsuggested"]],
        )

    # -- reading ------------------------------------------------------------------------------

    def _text_terms(self, text: str) -> tuple[list[int], np.ndarray, dict[int, str]]:
        """The référentiel's words in `text`, each with a weight: 1, or the similarity of the
        word it most likely stands for when it is misspelt ("mangait" → "mange"); and, for
        each, the stem of the text that led to it (to show the word as written)."""
        known = self._term_ids
        found: dict[int, float] = {}
        origin: dict[int, str] = {}
        for term in terms(text[:MAX_TEXT_LENGTH]):
            position = known.get(term)
            if position is not None:
                found[position] = 1.0
                origin[position] = term
            elif len(term) >= TYPO_MIN_LENGTH:
                for candidate, similarity in self._typos.match(term).items():
                    if (
                        similarity >= TYPO_SIMILARITY
                        and self.vocabulary[candidate][0] == term[0]
                        and similarity > found.get(candidate, 0.0)
                    ):
                        found[candidate] = similarity
                        origin.setdefault(candidate, term)
        term_ids = sorted(found)
        weights = np.fromiter((found[t] for t in term_ids), dtype=np.float64)
        return term_ids, weights, origin

    def _fiche_scores(self, term_ids: list[int], weights: np.ndarray) -> np.ndarray:
        return np.asarray(self._fiche_terms[term_ids].T @ weights).ravel()

    def metiers(self, text: str, *, limit: int = 10) -> list[MetierReading]:
        """The fiches `text` reads like, best first; scores relative to the best one (1)."""
        term_ids, weights, origin = self._text_terms(text)
        if not term_ids or limit <= 0:
            return []
        scores = self._fiche_scores(term_ids, weights)
        best = float(scores.max())
        if best <= 0:
            return []
        shown = _shown_words(text, origin)
        order = np.lexsort((np.arange(scores.size), -scores))[:limit]
        readings = []
        for fiche in order:
            if scores[fiche] <= 0:
                break
            code, title = self.fiches[fiche]
            readings.append(
                MetierReading(
                    code,
                    title,
                    round(float(scores[fiche]) / best, 4),
                    self._words_for_fiche(term_ids, int(fiche), shown),
                )
            )
        return readings

    def _words_for_fiche(
        self, term_ids: list[int], fiche: int, shown: dict[int, str], most: int = 3
    ) -> tuple[str, ...]:
        column = self._fiche_terms[term_ids, fiche].toarray().ravel()
        ranked = sorted(
            (position for position in range(len(term_ids)) if column[position] > 0),
            key=lambda position: -column[position],
        )
        return tuple(dict.fromkeys(shown[term_ids[p]] for p in ranked[:most]))

    def suggest(
        self, text: str, *, limit: int = 8, kinds: Iterable[str] = (COMPETENCE, SAVOIR)
    ) -> list[Suggestion]:
        """The compétences (and savoirs) `text` suggests, best first (module docstring)."""
        term_ids, term_weights, origin = self._text_terms(text)
        if not term_ids or limit <= 0:
            return []
        kinds = frozenset(kinds)
        fiche_scores = self._fiche_scores(term_ids, term_weights)
        matched = np.asarray(self._item_terms[term_ids].T @ term_weights).ravel()
        coverage = matched / np.maximum(self._item_mass, 1e-9)
        direct = coverage * np.minimum(1.0, matched / EVIDENCE_MASS)

        weights = np.zeros_like(fiche_scores)
        best = float(fiche_scores.max())
        top = np.argsort(-fiche_scores, kind="stable")[:FICHES_READ]
        if best > 0:
            relative = fiche_scores[top] / best
            weights[top] = np.exp((relative - 1.0) / FICHE_TEMPERATURE) * (relative > 0)
            weights /= weights.sum()
        through = self._links.T @ weights
        score = (through * (BASE_WEIGHT + LABEL_WEIGHT * coverage) + DIRECT_WEIGHT * direct) / (
            BASE_WEIGHT + LABEL_WEIGHT + DIRECT_WEIGHT
        )
        order = np.lexsort((np.arange(score.size), -score))
        shown = _shown_words(text, origin)
        suggestions: list[Suggestion] = []
        for item in order:
            value = float(score[item])
            if value < MIN_SCORE or len(suggestions) >= limit:
                break
            kind, code_ogr, label = self.items[item]
            if kind not in kinds or not self._suggestible[item]:
                continue
            label_terms = self._item_terms[:, item].nonzero()[0]
            said = tuple(dict.fromkeys(shown[t] for t in label_terms if t in shown))
            code_rome = fiche = ""
            if through[item] > 0:
                listing = self._links_by_item[item]
                contributions = listing.toarray().ravel() * weights
                chosen = int(np.argmax(contributions))
                if contributions[chosen] > 0:
                    code_rome, fiche = self.fiches[chosen]
            suggestions.append(
                Suggestion(kind, code_ogr, label, round(min(1.0, value), 4), said, code_rome, fiche)
            )
        return suggestions

    def __len__(self) -> int:
        return len(self.items)
