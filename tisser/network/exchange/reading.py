"""What a contacts file holds once read, before anything is checked or stored; how its bytes
become text.

Encodings are decided, never guessed silently: a byte-order mark says UTF-8 (or UTF-16);
otherwise text that decodes as UTF-8 is UTF-8; otherwise it is read as Windows-1252, what
French Excel writes — and `ParsedFile.encoding` says which one was used, for the report."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class UnreadableFile(Exception):
    """The file as a whole cannot be read: nothing is imported. `message` is one French line."""

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


def text_decode(raw: bytes) -> tuple[str, str]:
    """The file's text and the codec used to read it; UnreadableFile for an empty or binary
    file."""
    if not raw.strip():
        raise UnreadableFile(_("Le fichier est vide : il n'y a aucun contact à importer."))
    for signature, kind in BINARY_SIGNATURES:
        if raw.startswith(signature):
            raise UnreadableFile(
                _(
                    "Ce fichier est %(kind)s, pas un fichier CSV ni vCard : depuis votre "
                    "tableur, choisissez « Enregistrer sous » puis le format CSV."
                )
                % {"kind": kind}
            )
    if raw.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif b"\x00" in raw:
        raise UnreadableFile(_not_text())
    else:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            codec = "cp1252"
        else:
            codec = "utf-8"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise UnreadableFile(_not_text()) from None
    if _mostly_control_characters(text):
        raise UnreadableFile(_not_text())
    return text, codec


def _not_text() -> str:
    return _(
        "Ce fichier n'est pas un fichier texte : importez un fichier CSV (exporté d'un tableur "
        "ou d'une messagerie) ou vCard (.vcf)."
    )


def _mostly_control_characters(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t\f")
    return controls > len(sample) // 100


def file_read(raw: bytes) -> ParsedFile:
    """Read a contacts file, CSV or vCard (told apart by content, not by name)."""
    from tisser.network.exchange.csv_format import csv_text_read
    from tisser.network.exchange.vcard_format import vcard_text_read

    text, codec = text_decode(raw)
    first_line = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip().upper()
    if first_line.startswith("BEGIN:VCARD"):
        return vcard_text_read(text, encoding=str(ENCODING_LABELS[codec]))
    return csv_text_read(text, encoding=str(ENCODING_LABELS[codec]))
