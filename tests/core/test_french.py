"""Elision of « de » before names."""

from tisser.core.french import de


def test_de_elides_before_a_vowel_or_an_h():
    assert de("Horizons Bilans") == "d'Horizons Bilans"
    assert de("Amandine") == "d'Amandine"
    assert de("Élodie") == "d'Élodie"
    assert de("Tisser") == "de Tisser"
    assert de(" Yanis ") == "de Yanis"
