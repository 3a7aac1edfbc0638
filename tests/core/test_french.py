"""Elision of « de » and « que » before names and words (ADR 0027)."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from tisser.core.french import de, elide, elides, que


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amandine", "d'Amandine"),
        ("Horizons Bilans", "d'Horizons Bilans"),
        ("Élodie", "d'Élodie"),
        ("Ève", "d'Ève"),
        ("Œuvre commune", "d'Œuvre commune"),
        ("Inès Lefebvre", "d'Inès Lefebvre"),
        ("Hugo", "d'Hugo"),
        ("hôtelier", "d'hôtelier"),
        ("Yves", "d'Yves"),
        ("Yanis", "de Yanis"),
        ("Tisser", "de Tisser"),
        (" Camille ", "de Camille"),
        ("Hongrie", "de Hongrie"),
        ("haut niveau", "de haut niveau"),
        ("hockey", "de hockey"),
        ("11 ans", "de 11 ans"),
        ("« Horizons »", "de « Horizons »"),
        ("", ""),
        (None, ""),
    ],
)
def test_de_elides_before_a_vowel_a_mute_h_or_a_vowel_y(name, expected):
    assert de(name) == expected


def test_que_elides_the_same_way():
    assert que("Amandine") == "qu'Amandine"
    assert que("Hugo") == "qu'Hugo"
    assert que("Yanis") == "que Yanis"
    assert elide("le", "Horizons") == "l'Horizons"
    assert not elides("") and elides("ingénieure") and not elides("Nadia")


def test_another_language_gets_the_name_alone_for_its_own_preposition():
    with translation.override("en"):
        assert de("Amandine") == "Amandine"
        assert que(" Hugo ") == "Hugo"
        # the bare rule is French whatever the language
        assert elide("de", "Amandine") == "d'Amandine"


def test_the_filters_are_there_without_a_load():
    template = Template(
        "{% load i18n %}{% blocktranslate with de_name=name|de %}Bilan {{ de_name }}"
        "{% endblocktranslate %} / {{ name|que }} / {{ other|de }} / {{ day|date_fr:'j N Y' }}"
    )
    html = template.render(Context({"name": "Amandine", "other": "Yanis", "day": date(2026, 7, 1)}))
    assert html == "Bilan d&#x27;Amandine / qu&#x27;Amandine / de Yanis / 1er juil. 2026"


def test_a_name_is_escaped_once():
    html = Template("{{ name|de }}").render(Context({"name": "Océane <b>"}))
    assert html == "d&#x27;Océane &lt;b&gt;"
