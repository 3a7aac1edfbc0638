"""Contacts as CSV, the way spreadsheets and address books write it.

Reading: `,`, `;` (French Excel) or tab between columns, told by `csv.Sniffer` restricted to
those three and confirmed by the header (the separator under which one of the first ten lines
names a name column wins); quoted cells may hold line breaks (notes). Lines are numbered as a
spreadsheet shows them: the header is line 1, and a note over three lines is still one line.

Writing: UTF-8 with a byte-order mark and `;` so that French Excel opens it with its accents
and columns right; a French header that reading maps back to the same fields."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.utils.translation import gettext as _

from tisser.network.exchange.columns import (
    GOOGLE_PHONE_TYPE,
    GOOGLE_PHONE_VALUE,
    HEADER_FIELDS,
    NAME_FIELDS,
    header_key,
)
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

DELIMITERS = ",;\t"
SNIFF_SAMPLE = 64 * 1024
HEADER_SEARCH_LINES = 10

# A cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(…)", but also
# "+33 6…" read as a number): the export writes it after an apostrophe, which spreadsheets
# hide, and the import removes that apostrophe again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_read(raw: bytes | BinaryIO) -> ParsedFile:
    """Read the bytes of a CSV file; UnreadableFile (one French line) when it cannot be."""
    source = as_source(raw)
    return csv_stream_read(source, encoding_detect(source))


def csv_stream_read(source: BinaryIO, codec: str) -> ParsedFile:
    """Read `source` decoded with `codec`, one record at a time: the header is found in the
    first 64 KiB, then rows are kept (mapped to fields) up to the row limit."""
    with text_open(source, codec) as stream:
        sample = stream.read(SNIFF_SAMPLE + 1).lstrip("\ufeff")
    if len(sample) > SNIFF_SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    for delimiter in _delimiter_candidates(sample):
        header_index, header, mapping = _find_header(sample, delimiter)
        if mapping is not None:
            break
    else:
        raise UnreadableFile(
            _(
                "Aucune colonne de nom n'a été trouvée : la première ligne du fichier doit "
                "nommer les colonnes, dont « Nom » (ou « Last Name », « Nom complet »…)."
            )
        )
    rows: list[ParsedRow] = []
    phone_types = _google_phone_types(header)
    limit = max_rows()
    with text_open(source, codec) as stream:
        for index, cells in _records(stream, delimiter):
            if index <= header_index or not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= limit:
                raise too_many_rows("csv")
            rows.append(
                ParsedRow(position=index + 1, values=_row_values(cells, mapping, phone_types))
            )
    used = {header[column]: field for field, columns in mapping.items() for column in columns}
    ignored = [name for name in header if name.strip() and name not in used]
    return ParsedFile(
        format="csv",
        encoding=str(ENCODING_LABELS[codec]),
        delimiter=delimiter,
        rows=rows,
        columns=used,
        ignored_columns=ignored,
    )


def _delimiter_candidates(sample: str) -> list[str]:
    """The sniffer's choice first, then the others by how often they occur in the first line."""
    first_line = sample.split("\n", 1)[0]
    ordered = sorted(DELIMITERS, key=lambda delimiter: -first_line.count(delimiter))
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ordered
    return [sniffed, *(delimiter for delimiter in ordered if delimiter != sniffed)]


def _records(stream: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(index, cells) of each record, read as the stream goes; UnreadableFile at a broken
    quote or at a cell longer than `max_cell()` (named as such, not as a quote: `csv` stops a
    cell past its own limit with the same error as an unclosed quote)."""
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    index = -1
    limit = max_cell()
    try:
        for index, record in enumerate(reader):
            if any(len(cell) > limit for cell in record):
                raise _cell_too_long(index + 1)
            yield index, record
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _cell_too_long(index + 2) from error
        raise UnreadableFile(
            _(
                "Le fichier CSV est mal formé vers la ligne %(line)s (un guillemet n'est pas "
                "refermé ou est mal placé) : aucun contact n'a été importé."
            )
            % {"line": index + 2}
        ) from error


def _cell_too_long(line: int) -> UnreadableFile:
    return UnreadableFile(
        _(
            "La cellule de la ligne %(line)s dépasse %(limit)s caractères : raccourcissez-la "
            "puis importez de nouveau le fichier ; aucun contact n'a été importé."
        )
        % {"line": line, "limit": figure(max_cell())}
    )


def _find_header(sample: str, delimiter: str) -> tuple[int, list[str], dict | None]:
    """The header, its index and mapping: the first of the first records that names a name
    column (LinkedIn writes a few lines of notes before it); no mapping when none does under
    `delimiter`."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=True)
    try:
        for index, record in enumerate(reader):
            if index >= HEADER_SEARCH_LINES:
                break
            mapping = _mapping(record)
            if mapping is not None:
                return index, record, mapping
    except csv.Error:
        pass
    return 0, [], None


def _mapping(header: list[str]) -> dict[str, list[int]] | None:
    """For each field, the columns feeding it (preferred first); None when no column gives a
    name."""
    ranked: dict[str, list[tuple[int, int]]] = {}
    for column, name in enumerate(header):
        found = HEADER_FIELDS.get(header_key(name))
        if found is not None:
            field, rank = found
            ranked.setdefault(field, []).append((rank, column))
    if not NAME_FIELDS & ranked.keys():
        return None
    return {field: [column for _, column in sorted(pairs)] for field, pairs in ranked.items()}


def _google_phone_types(header: list[str]) -> dict[int, int]:
    """Google's "Phone N - Value" column → its "Phone N - Type" column."""
    keys = [header_key(name) for name in header]
    pairs = {}
    for column, key in enumerate(keys):
        match = GOOGLE_PHONE_TYPE.match(key)
        if match:
            value_key = GOOGLE_PHONE_VALUE.format(match.group(1))
            if value_key in keys:
                pairs[keys.index(value_key)] = column
    return pairs


def _cell(cells: list[str], column: int) -> str:
    value = cells[column].strip() if column < len(cells) else ""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        value = value[1:]
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _row_values(
    cells: list[str], mapping: dict[str, list[int]], phone_types: dict[int, int]
) -> dict[str, str]:
    values = {}
    for field, columns in mapping.items():
        if field == "phone" and phone_types:
            # A Google phone typed "Mobile" comes before its other phones.
            columns = sorted(
                columns,
                key=lambda column: (
                    column in phone_types
                    and "mobile" not in _cell(cells, phone_types[column]).casefold()
                ),
            )
        for column in columns:
            value = _cell(cells, column)
            if value:
                values[field] = value
                break
    return values


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_write(rows: Iterable[Iterable[str]]) -> str:
    """A French-Excel CSV (with its byte-order mark) of `rows`, the header first."""
    return "".join(csv_lines(rows))


def csv_lines(rows: Iterable[Iterable[str]]) -> Iterator[str]:
    """The text of `csv_write`, the byte-order mark then one piece per row, as `rows` are
    read."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(str(value)) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
