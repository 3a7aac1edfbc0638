"""French words as the référentiel's engines compare them: grammatical words dropped, a light
stem, so that "organisé", "organiser" and "organisation" meet.

Used by the compétence suggestions (:mod:`tisser.bilans.suggestions`) and by the reading of
free text (:mod:`tisser.referentiel.understanding`).
"""

from __future__ import annotations

from tisser.referentiel.search.normalize import STOPWORDS, tokenize

MIN_STEM = 3

_FRENCH_STOPWORDS_TEXT = """
    ai aie aient ainsi alor apre as au aupre aussi autre avai avait avaient avant avec avez
    avoir avon ayant c ca car ce ceci cela celle celui ces cet cette chaque chez comme comment
    dan deja depui donc dont e elle encore entre es est et etai etait etaient etant ete etion etre
    eu eux fai fait faite faire fu fut ici il j je jusqu l la le leur lor lui m ma mai me meme
    mes moi moin mon n ne ni non nos notre nou on ont or ou par parce pas pendant peu plu pour
    pourquoi pui quand que quel quelle quelque qui quoi s sa san se sera ses si sien soi son
    sont sou suis sur t ta tant te tes toi ton tou tout toute tre trop tu un une ver vo votre
    vou y
"""
FRENCH_STOPWORDS = frozenset(_FRENCH_STOPWORDS_TEXT.split())
"""Grammatical words and auxiliaries of French, as `tokenize` leaves them (folded, final "s"
dropped: "très" → "tre", "nous" → "nou"): they say nothing about a compétence."""

_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "issement": "",
            "ementielle": "",
            "ementiel": "",
            "ication": "i",
            "ation": "",
            "ition": "",
            "atrice": "",
            "ateur": "",
            "ement": "",
            "ance": "",
            "ence": "",
            "euse": "",
            "eur": "",
            "aire": "",
            "iquer": "i",
            "ique": "i",
            "able": "",
            "ible": "",
            "age": "",
            "ante": "",
            "ant": "",
            "ais": "",
            "ait": "",
            "ee": "",
            "er": "",
            "ir": "",
            "re": "",
            "ie": "i",
            "e": "",
            "i": "",
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
"""French endings cut by :func:`stem`, longest first, with what replaces them: verb endings
(infinitive, participles, imperfect), and the noun and adjective endings made from verbs
("-ation", "-ement", "-ateur", "-age")."""

_IRREGULAR = {"gestion": "ger", "vent": "vend"}
"""Stems that endings cannot bring together: "gestion" is what one does when one "gère";
"vente" what one does when one "vend"."""

_VOWELS = frozenset("aeiouy")


def stem(token: str) -> str:
    """A light French stem of a folded word: one ending cut, a final doubled consonant
    undone ("accueill" → "accueil"), a few irregular families joined.

    Deliberately crude — no dictionary — and the same on both sides (labels and texts), so
    only consistency matters: ``stem("organisation") == stem("organisé") == "organis"``."""
    for suffix, replacement in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= MIN_STEM:
            token = token[: len(token) - len(suffix)] + replacement
            break
    if len(token) > MIN_STEM and token[-1] == token[-2] and token[-1] not in _VOWELS:
        token = token[:-1]
    return _IRREGULAR.get(token, token)


def words(text: str) -> list[str]:
    """The meaningful words of `text`, normalised (not stemmed), in order, repeats kept."""
    return [
        token
        for token in tokenize(text)
        if len(token) > 1
        and not token.isdigit()
        and token not in STOPWORDS
        and token not in FRENCH_STOPWORDS
    ]


def terms(text: str) -> list[str]:
    """The stems of the meaningful words of `text`, in order, repeats kept."""
    return [stem(word) for word in words(text)]
