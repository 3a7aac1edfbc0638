"""Reading contacts files: encodings, separators, headers from every source, vCards."""

import pytest

from tests.network import exchange_files as files
from tisser.network.exchange import UnreadableFile, csv_read, file_read, vcard_read
from tisser.network.exchange.columns import COLUMNS, HEADER_FIELDS, header_key


def test_excel_with_a_bom_and_semicolons():
    parsed = csv_read(files.EXCEL_FR_BOM)

    assert parsed.encoding == "UTF-8 (avec BOM)"
    assert parsed.delimiter == ";"
    first, second = parsed.rows
    assert first.position == 2
    assert first.values == {
        "first_name": "Anne",
        "last_name": "Martin",
        "company": "Hôpital Édouard-Herriot",
        "job_title": "Infirmière puéricultrice",
        "email": "anne.martin@exemple.fr",
        "phone": "06 12 34 56 78",
        "notes": "Rencontrée au forum ; très disponible",
    }
    assert second.values["company"] == "Cœur d’Ouvrage"


def test_windows_1252_is_said_and_quoted_line_breaks_stay_in_their_cell():
    parsed = csv_read(files.EXCEL_FR_CP1252)

    assert parsed.encoding == "Windows-1252 (Excel)"
    eloise, lea = parsed.rows
    assert (eloise.values["first_name"], eloise.values["last_name"]) == ("Éloïse", "Bœuf")
    assert eloise.values["company"] == "L’Atelier"
    assert eloise.values["notes"] == "Première ligne\ndeuxième ligne ; avec « guillemets »"
    # The spreadsheet's numbering: the note over two lines is one line, the empty one counts.
    assert (eloise.position, lea.position) == (2, 4)


def test_google_export_prefers_the_mobile_phone_and_reads_its_organisation():
    (row,) = csv_read(files.GOOGLE).rows

    assert row.values["first_name"] == "Chloé"
    assert row.values["last_name"] == "Roux"
    assert row.values["phone"] == "06 98 76 54 32"
    assert row.values["company"] == "Compagnie Roux"
    assert row.values["job_title"] == "Cheffe de projet"
    assert row.values["email"] == "chloe.roux@exemple.org"
    assert row.values["link"] == "https://www.linkedin.com/in/chloe-roux"


def test_outlook_export_keeps_the_salutation_out_of_the_job():
    parsed = csv_read(files.OUTLOOK)

    (row,) = parsed.rows
    assert row.values["job_title"] == "Directeur"
    assert row.values["company"] == "Garnier, Fils & Cie"
    assert row.values["phone"] == "07 81 22 33 44"  # the mobile before the office line
    assert row.values["email"] == "denis@garnier.fr"  # the second address when the first is empty
    assert row.values["notes"] == "Vu au salon\nà rappeler"
    assert "Title" in parsed.ignored_columns


def test_linkedin_export_and_its_preamble():
    parsed = csv_read(files.LINKEDIN)

    (row,) = parsed.rows
    assert row.position == 5
    assert row.values["job_title"] == "Data analyst"
    assert row.values["link"] == "https://www.linkedin.com/in/farid-benali"
    assert "Connected On" in parsed.ignored_columns


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_separator_is_found(delimiter):
    text = delimiter.join(["Nom", "Prénom", "Notes"]) + "\n"
    text += delimiter.join(["Martin", "Anne", '"un, deux; trois"']) + "\n"

    parsed = csv_read(text.encode())

    assert parsed.delimiter == delimiter
    assert parsed.rows[0].values["notes"] == "un, deux; trois"


def test_a_single_name_column_is_enough():
    parsed = csv_read(b"Nom complet\nAnne Martin\n")

    assert parsed.rows[0].values == {"full_name": "Anne Martin"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "vide"),
        (b"  \r\n\r\n", "vide"),
        (files.XLSX, "classeur Excel"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x00\x01\x02binary\x00\x00", "n'est pas un fichier texte"),
        ("Société;Ville\nAcme;Lyon\n".encode(), "Aucune colonne de nom"),
        (b'Nom;Notes\nMartin;"jamais referme\n', "mal formé vers la ligne 2"),
    ],
)
def test_an_unreadable_file_says_why_in_one_french_line(raw, expected):
    with pytest.raises(UnreadableFile) as error:
        file_read(raw)

    assert expected in error.value.message
    assert "\n" not in error.value.message


def test_vcard_3_with_a_folded_photo_and_a_card_without_n():
    parsed = vcard_read(files.VCARD_3)

    helene, yannick = parsed.rows
    assert helene.values == {
        "last_name": "Moreau",
        "first_name": "Hélène",
        "company": "Mairie de Lyon",
        "job_title": "Responsable des équipements sportifs",
        "email": "helene.moreau@exemple.fr",
        "phone": "06 11 22 33 44",
        "notes": "Rencontrée au forum, à relancer en septembre\nSecond paragraphe",
    }
    assert yannick.values == {"full_name": "Yannick Le Gall", "phone": "+44 20 7946 0958"}


def test_vcard_4_reads_tel_uris_and_reports_a_broken_card_by_its_number():
    parsed = file_read(files.VCARD_4)

    assert parsed.format == "vcard"
    ines, broken, jules = parsed.rows
    assert ines.values["phone"] == "+33-6-55-44-33-22"
    assert ines.values["company"] == "Fondation Œuvre"
    assert ines.values["link"] == "https://fondation.example/equipe"
    assert broken.position == 2
    assert broken.errors and "illisible" in broken.errors[0]
    assert jules.values["email"] == "jules(at)exemple"


def test_a_vcard_file_without_cards_is_unreadable():
    with pytest.raises(UnreadableFile):
        vcard_read(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")


def test_the_mapping_table_has_no_header_claimed_by_two_fields():
    claimed = {}
    for field, headers in COLUMNS:
        for header in headers:
            key = header_key(header)
            assert claimed.setdefault(key, field) == field, header
    assert HEADER_FIELDS[header_key("E-mail Address")] == ("email", 8)
    assert header_key("Présenté·e par") == "presente e par"
