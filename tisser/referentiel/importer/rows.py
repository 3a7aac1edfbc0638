"""From the bytes of a file to its records: encoding detection, CSV reading, and rows that
know their file and line so that every error names them."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from typing import TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.referentiel.importer.errors import RomeImportError
from tisser.referentiel.importer.schema import CODE_ROME, FLAGS, SPECS_BY_NAME, fold
from tisser.referentiel.importer.source import SourceFile

T = TypeVar("T")

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_FORBIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_C1_CONTROL = re.compile(r"[\x80-\x9f]")


def _line_at(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def _c1_repair(match: re.Match[str]) -> str:
    try:
        return match.group().encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return ""


def source_decode(filename: str, data: bytes) -> str:
    """Decode strictly as UTF-8, else as Windows-1252; a file is wholly one or the other.

    A file that is not valid UTF-8 yet holds well-formed UTF-8 sequences mixes encodings (or
    is garbled): it is refused rather than turned into mojibake.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        if _UTF8_MULTIBYTE.search(data):
            raise RomeImportError(
                _("octets invalides dans un fichier par ailleurs en UTF-8 (fichier abîmé)"),
                filename=filename,
                line=_line_at(data, utf8_error.start),
            ) from utf8_error
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as cp1252_error:
            raise RomeImportError(
                _("octets illisibles, ni en UTF-8 ni en Windows-1252 (fichier abîmé)"),
                filename=filename,
                line=_line_at(data, cp1252_error.start),
            ) from cp1252_error
    control = _FORBIDDEN_CONTROL.search(text)
    if control:
        raise RomeImportError(
            _("caractère de contrôle U+%(code)04X inattendu (fichier abîmé ou binaire)")
            % {"code": ord(control.group())},
            filename=filename,
            line=_line_at(text, control.start()),
        )
    # "l\x92'étranger": the stray C1 quote doubles an apostrophe that is already there.
    return _C1_CONTROL.sub(_c1_repair, text.replace("\x92'", "'"))


class Row:
    """One CSV record with where it comes from, and typed accessors that fail with its line."""

    __slots__ = ("filename", "line", "values")

    def __init__(self, filename: str, line: int, values: dict[str, str]):
        self.filename = filename
        self.line = line
        self.values = values

    def error(self, message: str) -> RomeImportError:
        return RomeImportError(message, filename=self.filename, line=self.line)

    def duplicate_error(self, key: object) -> RomeImportError:
        return self.error(_("%(key)s figure deux fois") % {"key": key})

    def unknown_error(self, what: str, key: object) -> RomeImportError:
        return self.error(_("référence inconnue : %(what)s %(key)s") % {"what": what, "key": key})

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values[column].strip()
        if required and not value:
            raise self.error(_("colonne %(column)s vide") % {"column": column})
        return value

    def integer(self, column: str) -> int:
        value = self.values[column].strip()
        if not (value.isascii() and value.isdigit()):
            raise self.error(
                _("« %(value)s » n'est pas un entier (colonne %(column)s)")
                % {"value": value, "column": column}
            )
        return int(value)

    def optional_integer(self, column: str) -> int | None:
        return self.integer(column) if self.values[column].strip() else None

    def code_rome(self, column: str = "code_rome") -> str:
        value = self.text(column).upper()
        if not CODE_ROME.match(value):
            raise self.error(
                _("« %(value)s » n'est pas un code ROME (colonne %(column)s)")
                % {"value": value, "column": column}
            )
        return value

    def choice(self, column: str, mapping: Mapping[str, T]) -> T:
        value = self.values[column].strip()
        key = fold(value)
        if key not in mapping:
            raise self.error(
                _("valeur « %(value)s » inconnue dans la colonne %(column)s")
                % {"value": value, "column": column}
            )
        return mapping[key]

    def flag(self, column: str) -> bool:
        """The tags say "O", "N" or nothing (not assessed yet): only "O" is True."""
        return self.choice(column, FLAGS)


def source_rows(file: SourceFile) -> Iterator[Row]:
    """The records of one file, blank lines skipped, every record as wide as the header."""
    spec = SPECS_BY_NAME[file.name]
    reader = csv.reader(
        io.StringIO(source_decode(file.filename, file.data), newline=""), strict=True
    )
    header: list[str] | None = None
    records = 0
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "end of data" in str(exc):
                message = _("guillemet jamais refermé : fichier tronqué ?")
            elif "expected after" in str(exc):
                message = _("guillemet mal placé : un champ entre guillemets continue après eux")
            else:
                message = _("ligne mal formée (%(error)s)") % {"error": exc}
            raise RomeImportError(message, filename=file.filename, line=start) from exc
        if not record or record == [""]:
            continue
        if header is None:
            header = [name.strip().lstrip("\ufeff").lower() for name in record]
            missing = [column for column in spec.columns if column not in header]
            if missing:
                raise RomeImportError(
                    ngettext(
                        "colonne manquante : %(columns)s",
                        "colonnes manquantes : %(columns)s",
                        len(missing),
                    )
                    % {"columns": ", ".join(missing)},
                    filename=file.filename,
                    line=start,
                )
            positions = [(column, header.index(column)) for column in spec.columns]
            continue
        if len(record) != len(header):
            raise RomeImportError(
                _("%(found)d champs au lieu de %(expected)d")
                % {
                    "found": len(record),
                    "expected": len(header),
                },
                filename=file.filename,
                line=start,
            )
        records += 1
        yield Row(file.filename, start, {column: record[i] for column, i in positions})
    if header is None:
        raise RomeImportError(_("fichier vide"), filename=file.filename)
    if spec.required and not records:
        raise RomeImportError(
            _("aucune ligne de données (fichier tronqué ?)"), filename=file.filename
        )
