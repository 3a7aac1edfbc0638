"""Gender forms of ROME labels.

ROME writes most titles as one label for both genders, in two notations:

* a pair "Masculin / Féminin" where the right side carries the shared complement:
  ``"Agent administratif / Agente administrative de banque"`` means
  ``"Agent administratif de banque"`` and ``"Agente administrative de banque"``;
* suffixes in parentheses glued to a word (short labels):
  ``"Technicien(ne) électronicien(ne)"`` means ``"Technicien électronicien"`` and
  ``"Technicienne électronicienne"``.

A person searches for one gender at a time ("boulangère"), so each label is indexed as its
separate gender forms; a label that is neither notation stays as it is. The forms keep the
original case and accents: they are also what the UI shows ("via « Boulangère »").
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from tisser.referentiel.search.normalize import fold


class Gender(enum.Enum):
    MASCULINE = "m"
    FEMININE = "f"
    NEUTRAL = "n"


@dataclass(frozen=True, slots=True)
class LabelForm:
    text: str
    gender: Gender


_PAIR_SEPARATOR = " / "
# An acronym closing a label: "(IDE)", "-DSI-", "- AESH".
_TRAILING_ACRONYM = re.compile(r"(?:\(([A-Z][A-Z0-9]{1,7})\)|-\s?([A-Z][A-Z0-9]{1,7})-?)\s*$")
# A parenthesised lowercase suffix glued to the word before it: "Conducteur(trice)".
_GLUED_SUFFIX = re.compile(r"(\w+)\(([a-zàâçéèêëîïôûùü]{1,5})\)")

# First words of gender pairs that share no stem ("Garçon / Fille de hall").
_IRREGULAR_PAIRS = {
    ("garcon", "fille"),
    ("homme", "femme"),
    ("homme", "sage-femme"),
    ("monsieur", "dame"),
    ("steward", "hotesse"),
    ("valet", "femme"),
}


def _gendered_head_start(masculine_words: list[str], feminine_first: str) -> int | None:
    """Index of the first masculine word that the feminine side starts from, or None.

    The feminine side starts with the feminine of some masculine word, found by a shared
    3-letter stem ("Responsable Commercial / Commerciale": index 1). Words before it are
    common to both genders ("Responsable").
    """
    feminine_folded = fold(feminine_first)
    for position, word in enumerate(masculine_words):
        folded = fold(word)
        if (folded, feminine_folded) in _IRREGULAR_PAIRS:
            return position
        if len(folded) >= 3 and len(feminine_folded) >= 3 and folded[:3] == feminine_folded[:3]:
            return position
    return None


def _split_pair(label: str) -> tuple[str, str, bool] | None:
    """Split a "Masculin / Féminin complément" label into (left, right, is_gender_pair).

    The left side names only its leading words: it borrows the complement from the right
    side, past as many words as its gendered head has. Words before the gendered head are
    common to both ("Artiste Plasticien / Plasticienne" → "Artiste Plasticienne").
    When the sides share no stem ("Lapidaire / Diamantaire", "Sound designer / Designer
    sonore") they are two alternative titles, split by the same rule. A third " / " part
    is an enumeration ("chauffage / Ventilation / Clim"), not a pair.
    """
    parts = label.split(_PAIR_SEPARATOR)
    if len(parts) != 2:
        return None
    left_words, right_words = parts[0].split(), parts[1].split()
    if not left_words or not right_words:
        return None
    head_start = _gendered_head_start(left_words, right_words[0])
    is_pair = head_start is not None
    common = left_words[:head_start] if is_pair else []
    head = left_words[len(common) :]
    left = " ".join(left_words + right_words[len(head) :])
    right = " ".join(common + right_words)
    return left, right, is_pair


def _feminine_word(word: str, suffix: str) -> str:
    """Apply a parenthesised feminine suffix to a masculine word.

    Suffixes that simply append ("e", "ne", "le", "fe", "s") are added; suffixes that replace
    the masculine ending ("trice", "euse", "ère", "ive"...) are spliced at the last occurrence,
    in the word's last four letters, of the suffix's first letter
    (conduc|teur + trice, conseill|er + ère, administra|tif + tive). A wrong guess on a rare
    notation only costs an edit, which the fuzzy matching absorbs.
    """
    folded_word, folded_suffix = fold(word), fold(suffix)
    if folded_suffix in {"e", "ne", "le", "te", "fe", "s", "es"}:
        return word + suffix
    if folded_suffix == "se" and folded_word.endswith(("eur", "eux")):
        return word[:-1] + suffix
    if folded_suffix == "ve" and folded_word.endswith("f"):
        return word[:-1] + suffix
    if folded_suffix in {"rice", "reuse"} and folded_word.endswith("eur"):
        # "Dessinateur(rice)", "Appareilleur(reuse)": the suffix stands for "-rice", "-euse".
        return word[:-3] + suffix.removeprefix("r" if folded_suffix == "reuse" else "")
    tail_start = max(len(folded_word) - 4, 0)
    cut = folded_word.rfind(folded_suffix[0], tail_start)
    if cut > 0:
        return word[:cut] + suffix
    return word + suffix


def _split_glued_suffixes(label: str) -> tuple[str, str] | None:
    """Return (masculine, feminine) for a label with "word(suffix)" notations, else None."""
    if not _GLUED_SUFFIX.search(label):
        return None
    masculine = _GLUED_SUFFIX.sub(lambda match: match.group(1), label)
    feminine = _GLUED_SUFFIX.sub(
        lambda match: _feminine_word(match.group(1), match.group(2)), label
    )
    return masculine, feminine


def gender_forms(label: str) -> list[LabelForm]:
    """The forms under which a label is searchable: masculine and feminine, or the label.

    >>> [form.text for form in gender_forms("Agent / Agente d'entretien")]
    ["Agent d'entretien", "Agente d'entretien"]
    """
    label = " ".join(label.split())
    pair = _split_pair(label)
    if pair is not None:
        left, right, is_gender_pair = pair
        if not is_gender_pair:
            return [LabelForm(left, Gender.NEUTRAL), LabelForm(right, Gender.NEUTRAL)]
        # Each side may still use glued suffixes: "Chef / Cheffe de chantier principal(e)".
        left_glued = _split_glued_suffixes(left)
        right_glued = _split_glued_suffixes(right)
        return [
            LabelForm(left_glued[0] if left_glued else left, Gender.MASCULINE),
            LabelForm(right_glued[1] if right_glued else right, Gender.FEMININE),
        ]
    glued = _split_glued_suffixes(label)
    if glued is not None:
        return [LabelForm(glued[0], Gender.MASCULINE), LabelForm(glued[1], Gender.FEMININE)]
    return [LabelForm(label, Gender.NEUTRAL)]


def trailing_acronym(label: str) -> str | None:
    """The acronym a label ends with, when it names the whole label; else None.

    "Infirmier / Infirmière en soins généraux (IDE)" is what people call "IDE", so the
    acronym is searchable on its own. It must start with the label's first letter and have
    at least 3 letters: otherwise it names only a part of the label ("Géophysicien (BTP)",
    "Technicien électricien Service Après-Vente (SAV)", "Ingénieur en Intelligence
    Artificielle (IA)"), and stays an ordinary word of it. So does an acronym in the middle
    of a label ("Agent de maintenance (SAV) de distributeurs").
    """
    label = label.strip()
    match = _TRAILING_ACRONYM.search(label)
    if match is None:
        return None
    acronym = match.group(1) or match.group(2)
    if len(acronym) < 3 or fold(acronym[0]) != fold(label[0]):
        return None
    return acronym
