"""Contacts as vCards (3.0 and 4.0), read and written with `vobject`.

Reading: the file is cut into its cards (BEGIN:VCARD … END:VCARD) as it is read, and each
card is read on its own with `vobject.readComponents`, so that one broken card is reported
with its number and the others still come in. A card is bounded before vobject sees it: a
property longer than `max_cell()` characters once unfolded, or a card longer than
`CARD_CELLS` such properties, is reported as unreadable and its lines are skipped, not kept
(a 5 MB folded note used to cost half a gigabyte); past `max_rows()` cards the file is
refused. Photos, logos, sounds and keys are dropped before parsing:
they are not kept, and a broken photo must not cost the contact. Read: N (else FN), ORG,
TITLE (else ROLE), the first EMAIL, TEL (a mobile first), the first URL, NOTE, and the
X-TISSER-* properties Tisser's own export writes.

Writing: vCard 3.0 (RFC 2426), the version Outlook and Google Contacts import reliably, one
card per contact; texts escaped as RFC 2426 asks (backslash, comma, semicolon, line break as
\\n); the phone in E.164 as a voice number."""

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import vobject
from django.utils.translation import gettext as _

from tisser.network.exchange.reading import (
    ENCODING_LABELS,
    ParsedFile,
    ParsedRow,
    UnreadableFile,
    as_source,
    encoding_detect,
    figure,
    max_cell,
    max_rows,
    text_open,
    too_many_rows,
)

BEGIN = re.compile(r"^BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
END = re.compile(r"^END\s*:\s*VCARD\s*$", re.IGNORECASE)
# "PHOTO;ENCODING=b:…", "item1.PHOTO:…", "LOGO;VALUE=uri:…"
DROPPED = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)\s*[;:]", re.IGNORECASE)

# Tisser's own properties, read back on import.
EXTRA_PROPERTIES = {
    "x-tisser-sector": "sector",
    "x-tisser-fiche": "metier",
    "x-tisser-how-known": "how_known",
    "x-tisser-channel": "channel",
    "x-tisser-introduced-by": "introduced_by",
}


# A card may hold a few long properties (a note, an address) but not a book's worth.
CARD_CELLS = 3


def vcard_read(raw: bytes | BinaryIO) -> ParsedFile:
    """Read the bytes of a vCard file; UnreadableFile (one French line) when it cannot be."""
    source = as_source(raw)
    return vcard_stream_read(source, encoding_detect(source))


def vcard_stream_read(source: BinaryIO, codec: str) -> ParsedFile:
    rows: list[ParsedRow] = []
    limit = max_rows()
    with text_open(source, codec) as stream:
        for number, card in enumerate(_cards(stream), start=1):
            if number > limit:
                raise too_many_rows("vcard")
            lines, error = card
            if error:
                rows.append(ParsedRow(position=number, values={}, errors=(error,)))
            else:
                rows.append(_card_row(number, lines))
    if not rows:
        raise UnreadableFile(
            _("Aucune fiche vCard (BEGIN:VCARD … END:VCARD) n'a été trouvée dans ce fichier.")
        )
    return ParsedFile(format="vcard", encoding=str(ENCODING_LABELS[codec]), rows=rows)


def _too_long_error(name: str) -> str:
    return _(
        "La propriété %(name)s de cette fiche dépasse %(limit)s caractères : la fiche n'a "
        "pas été lue."
    ) % {"name": name[:40], "limit": figure(max_cell())}


def _card_too_long_error() -> str:
    return _("Cette fiche dépasse %(limit)s caractères : elle n'a pas été lue.") % {
        "limit": figure(max_cell() * CARD_CELLS)
    }


def _cards(stream: Iterable[str]) -> Iterator[tuple[list[str], str]]:
    """(physical lines, "") of each card, photos left out, or ([], why) for a card over the
    bounds, whose remaining lines are skipped as they are read. A card never closed is kept as
    it is (vobject then says what is wrong with it)."""
    current: list[str] | None = None
    error = ""
    dropping = False
    property_length = card_length = 0
    property_name = ""
    cell, card_limit = max_cell(), max_cell() * CARD_CELLS
    first = True
    for raw_line in stream:
        line = raw_line.rstrip("\r\n")
        if first:
            line, first = line.lstrip("\ufeff"), False
        if current is None:
            if BEGIN.match(line.strip()):
                current, error, card_length = [line.strip()], "", 0
            continue
        if line[:1] in (" ", "\t"):  # folded: the rest of the line above
            if dropping or error:
                continue
            property_length += len(line) - 1
            card_length += len(line) - 1
            if property_length > cell:
                error, current = _too_long_error(property_name), []
            elif card_length > card_limit:
                error, current = _card_too_long_error(), []
            else:
                current.append(line)
            continue
        dropping = bool(DROPPED.match(line))
        if dropping:
            continue
        if BEGIN.match(line.strip()):
            # A card opened before the previous one was closed.
            yield current, error
            current, error, card_length = [line.strip()], "", 0
            continue
        if END.match(line.strip()):
            yield ([*current, line], "") if not error else ([], error)
            current = None
            continue
        if error:
            continue
        property_name = re.split(r"[;:]", line, maxsplit=1)[0].strip()
        property_length = len(line)
        card_length += len(line)
        if property_length > cell:
            error, current = _too_long_error(property_name), []
        elif card_length > card_limit:
            error, current = _card_too_long_error(), []
        else:
            current.append(line)
    if current is not None:
        yield current, error


def _card_row(number: int, lines: list[str]) -> ParsedRow:
    try:
        card = next(vobject.readComponents("\r\n".join(lines) + "\r\n"))
        values = _card_values(card)
    except Exception as error:  # vobject raises ParseError, binascii errors, ValueError…
        detail = getattr(error, "message", None) or str(error) or type(error).__name__
        return ParsedRow(
            position=number,
            values={},
            errors=(_("Cette fiche vCard est illisible (%(detail)s).") % {"detail": detail[:200]},),
        )
    return ParsedRow(position=number, values=values)


def _text(value) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(part) for part in value if _text(part))
    return str(value or "").strip()


def _types(line) -> set[str]:
    types: set[str] = set()
    for name, params in line.params.items():
        if name.upper() == "TYPE":
            for param in params:
                types.update(part.strip().casefold() for part in param.split(","))
        else:  # vCard 2.1 writes "TEL;CELL:"
            types.add(name.casefold())
    return types


def _card_values(card) -> dict[str, str]:
    contents = card.contents
    values: dict[str, str] = {}

    def first(name: str) -> str:
        for line in contents.get(name, []):
            text = _text(line.value)
            if text:
                return text
        return ""

    name_line = contents.get("n", [None])[0]
    if name_line is not None and not isinstance(name_line.value, str):
        values["last_name"] = _text(name_line.value.family)
        values["first_name"] = _text(name_line.value.given)
    if not values.get("last_name"):
        values["full_name"] = first("fn")
    organisation = contents.get("org", [None])[0]
    if organisation is not None:
        units = organisation.value if isinstance(organisation.value, list) else [organisation.value]
        values["company"] = _text(units[0]) if units else ""
    values["job_title"] = first("title") or first("role")
    values["email"] = first("email")
    phones = [line for line in contents.get("tel", []) if _text(line.value)]
    phones.sort(key=lambda line: not ({"cell", "mobile"} & _types(line)))
    if phones:
        values["phone"] = re.sub(r"^tel:", "", _text(phones[0].value), flags=re.IGNORECASE)
    values["link"] = first("url")
    values["notes"] = "\n".join(
        _text(line.value) for line in contents.get("note", []) if _text(line.value)
    )
    for name, field in EXTRA_PROPERTIES.items():
        values[field] = first(name)
    return {field: value for field, value in values.items() if value}


def vcard_write(cards: Iterable[dict]) -> str:
    """vCard 3.0 text, one card per dict: first_name, last_name, company, job_title, email,
    phone (E.164), link, notes, and the X-TISSER-* extras (sector, fiche, how_known,
    channel, introduced_by)."""
    return "".join(vcard_cards(cards))


def vcard_cards(cards: Iterable[dict]) -> Iterator[str]:
    """Each card of `vcard_write`, one at a time, built as text: the same bytes as
    `vobject`'s `serialize()` (its escaping, its property order, its folding at 75 octets),
    without building a vobject component per contact, which cost 2.6 ms a card (ADR 0030)."""
    for values in cards:
        full_name = " ".join(part for part in (values["first_name"], values["last_name"]) if part)
        lines = {
            "FN": "FN:" + _escape(full_name),
            "N": f"N:{_escape(values['last_name'])};{_escape(values['first_name'])};;;",
        }
        for name, field in (
            ("ORG", "company"),
            ("TITLE", "job_title"),
            ("EMAIL", "email"),
            ("URL", "link"),
            ("NOTE", "notes"),
        ):
            if values[field]:
                lines[name] = f"{name}:{_escape(values[field])}"
        if values["phone"]:
            lines["TEL"] = "TEL;TYPE=VOICE:" + _escape(values["phone"])
        for name, field in EXTRA_PROPERTIES.items():
            if values.get(field):
                lines[name.upper()] = f"{name.upper()}:{_escape(values[field])}"
        body = "".join(_fold(lines[name]) for name in sorted(lines))
        yield f"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Tisser//Contacts//FR\r\n{body}END:VCARD\r\n"


def _escape(text: str) -> str:
    """A text value as RFC 2426 (section 4) writes it: backslash, comma and semicolon
    backslashed, any line break as \\n."""
    return vobject.base.backslashEscape(text)


def _fold(line: str, limit: int = 75) -> str:
    """`line` folded as `vobject.base.foldOneLine` folds it: lines of at most `limit` UTF-8
    octets, a character never cut, the continuation starting with a space."""
    if len(line) < limit:
        return line + "\r\n"
    parts: list[str] = []
    counter = 0
    for char in line:
        size = len(char.encode())
        if counter + size > limit:
            parts.append("\r\n ")
            counter = 1
        parts.append(char)
        counter += size
    parts.append("\r\n")
    return "".join(parts)
