"""The vCard export is built as text (ADR 0030): vCard 3.0, which Outlook and Google
Contacts import; it must write the very bytes `vobject` writes for a 3.0 card, for any
values, and read back as it was written."""

import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from tisser.network.exchange.vcard_format import EXTRA_PROPERTIES, vcard_read, vcard_write

FIELDS = (
    "first_name",
    "last_name",
    "company",
    "job_title",
    "email",
    "phone",
    "link",
    "notes",
    "sector",
    "metier",
    "how_known",
    "channel",
    "introduced_by",
)
# Commas, semicolons, backslashes, line breaks and letters of several UTF-8 widths.
TEXT = st.text(alphabet=st.sampled_from("ab é;,\\\n\r€𝄞:Z"), max_size=120)


def vobject_write(values: dict) -> str:
    """The writer the export used before: one vobject component per contact."""
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("prodid").value = "-//Tisser//Contacts//FR"
    card.add("fn").value = " ".join(
        part for part in (values["first_name"], values["last_name"]) if part
    )
    card.add("n").value = vobject.vcard.Name(family=values["last_name"], given=values["first_name"])
    for name, field in (("org", "company"), ("title", "job_title"), ("email", "email")):
        if values[field]:
            card.add(name).value = [values[field]] if name == "org" else values[field]
    if values["phone"]:
        tel = card.add("tel")
        tel.value = values["phone"]
        tel.type_param = "VOICE"
    for name, field in (("url", "link"), ("note", "notes")):
        if values[field]:
            card.add(name).value = values[field]
    for name, field in EXTRA_PROPERTIES.items():
        if values.get(field):
            card.add(name).value = values[field]
    return card.serialize()


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries(dict.fromkeys(FIELDS, TEXT)))
def test_the_text_writer_writes_what_vobject_wrote(values):
    assert vcard_write([values]) == vobject_write(values)


def test_a_long_note_is_folded_and_read_back_whole():
    values = dict.fromkeys(FIELDS, "")
    values.update(first_name="Anne", last_name="Martin", notes="Réunion ; café, " * 40)

    text = vcard_write([values, values])

    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    rows = vcard_read(text.encode()).rows
    assert [row.values["notes"] for row in rows] == [values["notes"].strip()] * 2


def test_a_card_is_written_as_vcard_3_with_rfc_2426_escapes():
    values = dict.fromkeys(FIELDS, "")
    values.update(
        first_name="Anne",
        last_name="Martin",
        company="Hôpital; site Nord, pédiatrie",
        notes="Ligne 1\nLigne 2 \\ fin",
        phone="+33612345678",
    )

    text = vcard_write([values])

    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "ORG:Hôpital\\; site Nord\\, pédiatrie\r\n" in text
    assert "NOTE:Ligne 1\\nLigne 2 \\\\ fin\r\n" in text
    assert "TEL;TYPE=VOICE:+33612345678\r\n" in text
    [row] = vcard_read(text.encode()).rows
    assert row.values["company"] == values["company"]
    assert row.values["phone"] == "+33612345678"
