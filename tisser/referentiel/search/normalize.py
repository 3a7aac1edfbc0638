"""Text normalisation shared by the index and the queries.

The rule: two strings that a French reader would consider "the same words" must normalise
to the same tokens, whatever their case, accents, ligatures, apostrophes or punctuation.
Both sides (labels at build time, queries at search time) go through :func:`tokenize`, so
the comparison is always between normalised tokens.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_LENGTH = 200
"""Queries are cut to this many characters: nobody types a longer job title, and it bounds
the work a single request can cause."""

# Letters that NFKD does not decompose into "base letter + accent".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

STOPWORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "qu",
        "sur",
        "un",
        "une",
    }
)
"""Grammatical words: they carry no meaning for matching a job title ("chef de projet" and
"chef projet" are the same search), so they neither select candidates nor weigh in scores."""


def fold(text: str) -> str:
    """Lowercase and strip accents and ligatures: ``"Cheffe d'Équipe"`` → ``"cheffe d'equipe"``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def singular(token: str) -> str:
    """Fold the regular French plural: a final "s" (or the "x" of "-eaux") is dropped.

    "poids lourds" and "poids lourd" are the same search. Short words ("bus", "as") and
    words in "-ss" ("business") are left alone. Both labels and queries go through this, so
    a word that merely ends in "s" ("corps" → "corp") still matches itself.
    """
    if len(token) > 3:
        if token.endswith("s") and not token.endswith("ss"):
            return token[:-1]
        if token.endswith("eaux"):
            return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Split folded text on anything that is not a letter or digit, and fold plurals.

    Apostrophes, hyphens, slashes and parentheses are separators, so ``"d'entretien"`` gives
    ``["d", "entretien"]`` and ``"Aide-soignantes"`` gives ``["aide", "soignante"]``.
    """
    return [singular(token) for token in _NON_ALNUM.sub(" ", fold(text)).split()]


def content_tokens(tokens: list[str]) -> list[str]:
    """Drop stopwords and repeated tokens, keeping order.

    A text made only of stopwords keeps them all: "de" alone is still something to look for.
    """
    seen: set[str] = set()
    kept = []
    for token in tokens:
        if token not in STOPWORDS and token not in seen:
            seen.add(token)
            kept.append(token)
    if kept:
        return kept
    return list(dict.fromkeys(tokens))


def clean_query(query: str) -> str:
    """Bound and trim a raw query; never raises, whatever the input."""
    return (query or "")[:MAX_QUERY_LENGTH].strip()
