"""The words of the indexed labels, and which of them a typed word may stand for.

A typed word matches a label word in three ways, each with a similarity in [0, 1]:

* exactly (1.0, after normalisation);
* as its beginning, for search-as-you-type ("boulang" → "boulanger");
* within a few edits, for typos ("bouchr" → "boucher"), counting a swap of two neighbouring
  letters as one edit (optimal string alignment distance).
"""

from __future__ import annotations

import bisect

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_PREFIX_LENGTH = 3
MAX_PREFIX_COMPLETIONS = 60
"""A short prefix ("agen") may complete into many words; beyond this many, the longest
completions are not worth the candidate-generation time."""


def max_edits(word: str) -> int:
    """Typo budget of a typed word: none up to 3 letters, one up to 7, then two.

    Short words are too easily one edit away from an unrelated word ("bus" / "but").
    """
    if len(word) <= 3:
        return 0
    if len(word) <= 7:
        return 1
    return 2


def prefix_similarity(word: str, completion: str) -> float:
    """An unfinished word is worth more the more of the completion it already spells."""
    return 0.55 + 0.35 * len(word) / len(completion)


def typo_similarity(word: str, candidate: str, edits: int) -> float:
    """Each edit costs in proportion to the word's length: one typo in a long word is more
    certainly a typo than in a short one."""
    return max(0.0, 1.0 - 1.5 * edits / max(len(word), len(candidate)))


class Vocabulary:
    """The distinct normalised words of the labels, each with an integer id (its position)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self._ids = {word: position for position, word in enumerate(words)}
        self._sorted = sorted(words)
        self._by_length: dict[int, list[str]] = {}
        for word in words:
            self._by_length.setdefault(len(word), []).append(word)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self._ids

    def match(self, word: str) -> dict[int, float]:
        """Ids of the label words ``word`` may stand for, with their similarity."""
        matches: dict[int, float] = {}
        exact = self._ids.get(word)
        if exact is not None:
            matches[exact] = 1.0
        for completion in self._completions(word):
            matches[self._ids[completion]] = prefix_similarity(word, completion)
        budget = max_edits(word)
        for length in range(len(word) - budget, len(word) + budget + 1) if budget else ():
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            for candidate, edits, _position in process.extract(
                word, bucket, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                candidate_id = self._ids[candidate]
                similarity = typo_similarity(word, candidate, edits) if edits else 1.0
                if similarity > matches.get(candidate_id, 0.0):
                    matches[candidate_id] = similarity
        return matches

    def _completions(self, word: str) -> list[str]:
        """Label words that start with ``word`` (and are longer), the shortest first."""
        if len(word) < MIN_PREFIX_LENGTH:
            return []
        # Words sharing the prefix are contiguous in sorted order.
        start = bisect.bisect_left(self._sorted, word)
        end = bisect.bisect_left(self._sorted, word + "\uffff", start)
        completions = [candidate for candidate in self._sorted[start:end] if candidate != word]
        if len(completions) > MAX_PREFIX_COMPLETIONS:
            completions.sort(key=len)
            del completions[MAX_PREFIX_COMPLETIONS:]
        return completions
