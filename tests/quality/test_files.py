"""The names the quality app gives files and folders in an archive."""

from tisser.quality.files import file_stem


def test_a_ligature_is_spelled_out_rather_than_dropped():
    assert file_stem("Contenus et modalités de mise en œuvre") == (
        "contenus-et-modalites-de-mise-en-oeuvre"
    )
    assert file_stem("Cœur de métier : Æsope") == "coeur-de-metier-aesope"
    assert file_stem("  ") == ""
