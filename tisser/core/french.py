"""Small rules of written French that code must apply to names it did not choose."""

import unicodedata

# A word starting with a vowel or a mute h takes the elided article: « d'Horizons »,
# « d'Amandine », « de Tisser »; not a y, which sounds as a consonant: « de Yanis ».
_ELIDING = frozenset("aeiouh")


def de(name: str) -> str:
    """« de » before `name`, elided before a vowel or an h: ``de("Horizons") == "d'Horizons"``."""
    name = name.strip()
    first = unicodedata.normalize("NFD", name[:1]).lower()[:1]
    return f"d'{name}" if first in _ELIDING else f"de {name}"
