"""Reading a contacts file is bounded (docs/adr/0012-bounded-imports.md): rows, cells and
vCard properties have limits checked while the file streams in, so that one file costs
little memory and time whatever it holds; mixed encodings are said, not garbled."""

import time
import tracemalloc

import pytest

from tisser.network.exchange import UnreadableFile, csv_read, file_read, vcard_read

MB = 1024 * 1024


def measured(read, raw):
    """What `read(raw)` raised or returned, its peak of new memory (bytes) and seconds."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = read(raw)
    except UnreadableFile as error:
        result = error
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, peak, seconds


def test_a_file_of_exactly_the_row_limit_is_read(settings):
    settings.TISSER_IMPORT_MAX_ROWS = 3

    parsed = csv_read(b"Nom\nA\n\nB\nC\n")

    assert [row.values["last_name"] for row in parsed.rows] == ["A", "B", "C"]


def test_one_row_past_the_limit_refuses_the_file_in_one_french_line():
    raw = b"Nom\n" + b"Martin\n" * 5001

    with pytest.raises(UnreadableFile) as error:
        csv_read(raw)

    assert error.value.message.startswith("Le fichier dépasse 5\xa0000 lignes de contacts")
    assert "aucun contact n'a été importé" in error.value.message


def test_a_million_lines_under_5_mb_are_refused_cheaply():
    raw = b"Nom;Notes\n" + b"M;x\n" * 1_000_000
    assert len(raw) < 5 * MB

    error, peak, seconds = measured(csv_read, raw)

    assert isinstance(error, UnreadableFile)
    assert "dépasse" in error.message
    assert peak < 20 * MB, peak  # it was 1.56 GB for the whole import
    assert seconds < 5


@pytest.mark.parametrize("length", [10_001, 1_000_000])
def test_a_cell_past_the_limit_is_named_as_such_not_as_a_quote(length):
    raw = b'Nom;Notes\nMartin;court\nDurand;"' + b"x" * length + b'"\n'

    with pytest.raises(UnreadableFile) as error:
        csv_read(raw)

    assert error.value.message.startswith(
        "La cellule de la ligne 3 dépasse 10\xa0000 caractères"
    ), error.value.message
    assert "guillemet" not in error.value.message


def test_a_cell_at_the_limit_is_read():
    parsed = csv_read(b"Nom;Notes\nMartin;" + b"x" * 10_000 + b"\n")

    assert len(parsed.rows[0].values["notes"]) == 10_000


def folded_card(note_bytes: int) -> bytes:
    fold = b"\r\n " + b"x" * 73
    return (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Anne\r\nFN:Anne Martin\r\nNOTE:debut"
        + fold * (note_bytes // len(fold))
        + b"\r\nEND:VCARD\r\n"
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Durand;Paul\r\nFN:Paul Durand\r\nEND:VCARD\r\n"
    )


def test_a_huge_folded_vcard_is_rejected_cheaply_and_the_next_card_still_comes_in():
    raw = folded_card(int(4.8 * MB))

    parsed, peak, seconds = measured(vcard_read, raw)

    huge, paul = parsed.rows
    assert huge.values == {}
    assert huge.errors == (
        "La propriété NOTE de cette fiche dépasse 10\xa0000 caractères : la fiche n'a pas été lue.",
    )
    assert paul.values["last_name"] == "Durand"
    assert peak < 20 * MB, peak  # it was 538 MB
    assert seconds < 5


def test_a_card_of_many_long_properties_is_rejected():
    notes = b"".join(b"NOTE:" + b"y" * 9000 + b"\r\n" for _ in range(4))
    raw = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Anne\r\n" + notes + b"END:VCARD\r\n"

    (card,) = vcard_read(raw).rows

    assert card.errors == ("Cette fiche dépasse 30\xa0000 caractères : elle n'a pas été lue.",)


def test_cards_past_the_row_limit_refuse_the_file(settings):
    settings.TISSER_IMPORT_MAX_ROWS = 2
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Anne\r\nEND:VCARD\r\n"

    assert len(vcard_read(card * 2).rows) == 2
    with pytest.raises(UnreadableFile) as error:
        file_read(card * 3)

    assert error.value.message.startswith("Le fichier dépasse 2 fiches vCard")


def test_mixed_encodings_are_reported_with_their_lines():
    raw = "Nom;Structure\nDupré;Hôpital\n".encode() + "Lefèvre;Mairie\n".encode("cp1252")

    with pytest.raises(UnreadableFile) as error:
        file_read(raw)

    assert error.value.message.startswith(
        "Ce fichier mélange deux encodages (UTF-8 à la ligne 2, Windows-1252 à la ligne 3)"
    )


def test_windows_1252_with_a_nonbreaking_space_after_a_capital_is_not_taken_for_utf8():
    # "É" + no-break space happens to decode as UTF-8 (U+0260), yet is plain French Excel.
    raw = "Nom;Notes\nCAFÉ\u00a0» ;été\n".encode("cp1252")

    parsed = csv_read(raw)

    assert parsed.encoding == "Windows-1252 (Excel)"
    assert parsed.rows[0].values["last_name"] == "CAFÉ\u00a0»"
