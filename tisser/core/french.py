"""Small rules of written French that code must apply to words it did not choose: « de » and
« que » elide before a vowel or a mute h (« le bilan d'Amandine », « atteste qu'Hugo »).

How a translated sentence uses them (ADR 0027): the msgid names the variable after the word it
carries, and the caller passes the phrase, not the bare name::

    _("Bilan %(de_name)s") % {"de_name": de(name)}          # « Bilan d'Amandine »
    {% blocktranslate with de_name=bilan.beneficiary|de %}Bilan {{ de_name }}{% endblocktranslate %}

In French `de()` gives « d'Amandine » or « de Yanis »; in any other language it gives the name
alone, and the translation carries its own preposition ("%(de_name)s's bilan", "from
%(de_name)s"). `elide()` is the bare French rule, for text that is French whatever the
language (the demo's notes)."""

import re
import unicodedata

from django.utils import translation

# An h is mute in most words and names (« d'Hélène », « d'Horizons », « d'hôtelier »); these
# words, and the words they start, have an aspirated h that refuses elision (« de Hongrie »,
# « de haut niveau », « de hockey »). A word not listed is taken as mute.
ASPIRATED_H = (
    "hache",
    "haie",
    "haine",
    "hall",
    "halte",
    "hamac",
    "hameau",
    "hamster",
    "hanche",
    "handb",
    "handi",
    "hangar",
    "harc",
    "hardi",
    "hareng",
    "haricot",
    "harp",
    "hasard",
    "hâte",
    "haut",
    "hérisson",
    "héros",
    "hibou",
    "hock",
    "holland",
    "homard",
    "hongr",
    "honte",
    "hoquet",
    "hors",
    "houblon",
    "housse",
    "hublot",
    "huit",
    "hurl",
    "hutte",
)
_VOWELS = frozenset("aeiouœæ")


def _plain(text: str) -> str:
    """`text` in lower case without its accents: « Élodie » → « elodie »."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sort_key(text: str) -> tuple[str, str]:
    """A key for French alphabetical order in Python: accents and case ignored first
    (« Les Éclaireurs » before « Les Tisserands »), then the text itself to break ties."""
    return (_plain(text), text)


def elides(word: str) -> bool:
    """Whether « de », « que », « le »… elide before `word`: a vowel, a mute h, or a y
    sounding as a vowel (« d'Yves », but « de Yanis »). A digit never elides (« de 11 »)."""
    plain = _plain(word.strip())
    if not plain:
        return False
    first = plain[0]
    if first in _VOWELS:
        return True
    if first == "y":
        return len(plain) > 1 and plain[1] not in "aeiouy"
    if first == "h":
        return not plain.startswith(tuple(_plain(prefix) for prefix in ASPIRATED_H))
    return False


def elide(word: str, text: str) -> str:
    """`word` (« de », « que », « le »…) then `text`, elided when `text` asks for it:
    ``elide("de", "Amandine") == "d'Amandine"``. French whatever the active language."""
    text = _text(text)
    if not text:
        return ""
    return f"{word[:-1]}'{text}" if elides(text) else f"{word} {text}"


def plural_count(value) -> int:
    """A whole number taking the same plural form as the decimal `value`, for ngettext and
    ``blocktranslate count``, which want an integer: French puts everything below 2 in the
    singular (« 1,5 heure », « 0 heure »), English everything but exactly 1 in the plural
    (« 1.5 hours »)."""
    if value is None or value == "":
        return 0
    number = float(value)
    if _french() or number == int(number):
        return int(number)
    return 2


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


_ENGLISH_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def ordinal(number: int, *, feminine: bool = False) -> str:
    """`number` as an ordinal, as French abbreviates it: « 1er » (« 1re » for a feminine
    noun: « 1re suggestion »), then « 2e », « 3e »… (never « 2ème » nor « 2nd »). In another
    language, English's « 1st », « 2nd », « 3rd », « 4th »… (the sentence around it is
    translated; the number's own ending cannot be)."""
    if _french():
        if number == 1:
            return "1re" if feminine else "1er"
        return f"{number}e"
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{_ENGLISH_SUFFIXES.get(number % 10, 'th')}"


def de(name) -> str:
    """« de » and `name` in French (« d'Horizons », « de Tisser »); `name` alone in another
    language, whose translation carries its own preposition. Empty for an empty name."""
    return elide("de", name) if _french() else _text(name)


def que(name) -> str:
    """« que » and `name` in French (« qu'Amandine », « que Yanis »); `name` alone in
    another language."""
    return elide("que", name) if _french() else _text(name)


# The spaces inside French quotes, ordinary or not yet bound.
_AFTER_OPENING = re.compile(r"«[ \t\u00a0\u202f]*")
_BEFORE_CLOSING = re.compile(r"[ \t\u00a0\u202f]*»")
NBSP = "\u00a0"


def quotes_bound(text: str) -> str:
    """`text` with a non-breaking space inside its French quotes (« Tisser »), so that a
    line never starts with « » » nor ends with « « »."""
    if "«" not in text and "»" not in text:
        return text
    return _BEFORE_CLOSING.sub(NBSP + "»", _AFTER_OPENING.sub("«" + NBSP, text))
