"""What a contacts file holds once read, before anything is checked or stored; how its bytes
become text.

Encodings are decided, never guessed silently: a byte-order mark says UTF-8 (or UTF-16);
otherwise text that decodes as UTF-8 is UTF-8; otherwise it is read as Windows-1252, what
French Excel writes — and `ParsedFile.encoding` says which one was used, for the report. A
file whose lines mix both (two exports pasted together) is refused with the lines that show
it, rather than read with half its accents garbled.

Bounded (docs/adr/0012-bounded-imports.md): the bytes are checked in chunks and decoded as a
stream, never as one whole string; readers stop past `max_rows()` rows and refuse a cell
longer than `max_cell()` characters, so that the work of one file does not grow with what
it holds."""

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHUNK = 64 * 1024


class UnreadableFile(Exception):
    """The file as a whole cannot be read (or imported): nothing is imported. `message` is
    one French line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedRow:
    """One CSV line or one vCard. `position` is the line as a spreadsheet numbers it (the
    header is line 1) or the card's number in the file; `values` maps the fields of
    `columns.COLUMNS` to the text read; `errors` are French reasons the card could not be
    read at all (vCard only)."""

    position: int
    values: dict[str, str]
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    format: str  # "csv" or "vcard"
    encoding: str  # a label for people: "UTF-8", "UTF-8 (avec BOM)", "Windows-1252"…
    rows: list[ParsedRow]
    delimiter: str = ""
    # header → field for the columns used, and the headers left aside (CSV only)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)


ENCODING_LABELS = {
    "utf-8-sig": gettext_lazy("UTF-8 (avec BOM)"),
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": gettext_lazy("Windows-1252 (Excel)"),
}

# Kinds of files people pick by mistake, recognised by their first bytes.
BINARY_SIGNATURES = (
    (b"PK\x03\x04", gettext_lazy("un classeur Excel ou un fichier compressé")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("un ancien classeur Excel (.xls)")),
    (b"%PDF", gettext_lazy("un PDF")),
    (b"\x89PNG", gettext_lazy("une image")),
    (b"\xff\xd8\xff", gettext_lazy("une image")),
)


def max_rows() -> int:
    return settings.TISSER_IMPORT_MAX_ROWS


def max_cell() -> int:
    return settings.TISSER_IMPORT_MAX_CELL_CHARS


def figure(value: int) -> str:
    """5000 as French writes it: "5 000"."""
    return number_format(value, force_grouping=True)


def too_many_rows(unit: str) -> UnreadableFile:
    """The file holds more rows (or cards) than one import reads."""
    if unit == "vcard":
        message = _(
            "Le fichier dépasse %(limit)s fiches vCard : découpez-le en plusieurs fichiers "
            "de %(limit)s fiches au plus ; aucun contact n'a été importé."
        )
    else:
        message = _(
            "Le fichier dépasse %(limit)s lignes de contacts : découpez-le en plusieurs "
            "fichiers de %(limit)s lignes au plus ; aucun contact n'a été importé."
        )
    return UnreadableFile(message % {"limit": figure(max_rows())})


def as_source(raw: bytes | BinaryIO) -> BinaryIO:
    """A seekable binary file over the upload: bytes are wrapped, not copied."""
    if isinstance(raw, bytes | bytearray | memoryview):
        return io.BytesIO(raw)
    return raw


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    source.seek(0)
    while chunk := source.read(CHUNK):
        yield chunk


def text_decode(raw: bytes | BinaryIO) -> tuple[str, str]:
    """The file's whole text and the codec used to read it; UnreadableFile for an empty,
    binary or mixed file. For small texts only: readers stream with `encoding_detect` and
    `text_open` instead."""
    source = as_source(raw)
    codec = encoding_detect(source)
    with text_open(source, codec) as stream:
        return stream.read(), codec


def encoding_detect(source: BinaryIO) -> str:
    """The codec to read `source` with, decided in one streaming pass over its bytes;
    UnreadableFile when it is empty, binary, or mixes UTF-8 and Windows-1252 lines."""
    source.seek(0)
    head = source.read(4096)
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise UnreadableFile(
                _(
                    "Ce fichier est %(kind)s, pas un fichier CSV ni vCard : depuis votre "
                    "tableur, choisissez « Enregistrer sous » puis le format CSV."
                )
                % {"kind": kind}
            )
    if head.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = "utf-8"
    decoder = codecs.getincrementaldecoder(codec)()
    blank = True
    try:
        for chunk in _chunks(source):
            if codec == "utf-8" and b"\x00" in chunk:
                raise UnreadableFile(_not_text())
            blank = blank and not decoder.decode(chunk).strip()
        blank = blank and not decoder.decode(b"", final=True).strip()
    except UnicodeDecodeError:
        if codec != "utf-8":
            raise UnreadableFile(_not_text()) from None
        codec, blank = "cp1252", False
        try:
            for chunk in _chunks(source):
                if b"\x00" in chunk:
                    raise UnreadableFile(_not_text())
                chunk.decode(codec)  # one byte per character: a chunk never splits one
        except UnicodeDecodeError:
            raise UnreadableFile(_not_text()) from None
    if blank:
        raise UnreadableFile(_("Le fichier est vide : il n'y a aucun contact à importer."))
    if _mostly_control_characters(head.decode(codec, errors="ignore")):
        raise UnreadableFile(_not_text())
    if codec == "cp1252":
        _mixed_refuse(source)
    return codec


def _looks_utf8(line: bytes) -> bool:
    """A line written as UTF-8 by a program, not Windows-1252 that happens to decode: it
    holds a Western letter or sign in UTF-8 (é is C3 A9, ’ is E2 80 99), which read as
    Windows-1252 would be "Ã©" or "â€™" — what French text never holds."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any("\u00a0" <= char <= "\u017f" or "\u2000" <= char <= "\u20ac" for char in text)


def _mixed_refuse(source: BinaryIO) -> None:
    """UnreadableFile when some lines are UTF-8 and others Windows-1252 (the file as a whole
    does not decode as UTF-8)."""
    source.seek(0)
    utf8_line = cp1252_line = 0
    for number, line in enumerate(source, start=1):
        if line.isascii():
            continue
        if _looks_utf8(line):
            utf8_line = utf8_line or number
        else:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                cp1252_line = cp1252_line or number
        if utf8_line and cp1252_line:
            raise UnreadableFile(
                _(
                    "Ce fichier mélange deux encodages (UTF-8 à la ligne %(utf8)s, "
                    "Windows-1252 à la ligne %(cp1252)s) : ses accents seraient déformés. "
                    "Enregistrez-le de nouveau en « CSV UTF-8 » depuis votre tableur, puis "
                    "importez-le ; aucun contact n'a été importé."
                )
                % {"utf8": utf8_line, "cp1252": cp1252_line}
            )


@contextmanager
def text_open(source: BinaryIO, codec: str) -> Iterator[TextIO]:
    """`source` as text, decoded while it is read; lines keep their own ends (as `csv`
    wants). The upload itself stays open for the caller."""
    source.seek(0)
    stream = io.TextIOWrapper(source, encoding=codec, newline="")
    try:
        yield stream
    finally:
        stream.detach()


def _not_text() -> str:
    return _(
        "Ce fichier n'est pas un fichier texte : importez un fichier CSV (exporté d'un tableur "
        "ou d'une messagerie) ou vCard (.vcf)."
    )


def _mostly_control_characters(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t\f")
    return controls > len(sample) // 100


def file_read(raw: bytes | BinaryIO) -> ParsedFile:
    """Read a contacts file, CSV or vCard (told apart by content, not by name)."""
    # Imported here: both formats import this module's reading tools.
    from tisser.network.exchange.csv_format import csv_stream_read
    from tisser.network.exchange.vcard_format import vcard_stream_read

    source = as_source(raw)
    codec = encoding_detect(source)
    with text_open(source, codec) as stream:
        start = stream.read(4096)
    first_line = start.lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip().upper()
    if first_line.startswith("BEGIN:VCARD"):
        return vcard_stream_read(source, codec)
    return csv_stream_read(source, codec)
