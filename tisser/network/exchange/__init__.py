"""Contacts in and out of Tisser: CSV and vCard files read (`csv_read`, `vcard_read`,
`file_read`), imported (`contacts_import`) and exported (`contacts_export`)."""

from tisser.network.exchange.csv_format import csv_read
from tisser.network.exchange.export import ExportFile, contacts_export
from tisser.network.exchange.importer import ImportReport, RowProblem, contacts_import
from tisser.network.exchange.reading import ParsedFile, ParsedRow, UnreadableFile, file_read
from tisser.network.exchange.vcard_format import vcard_read

__all__ = [
    "ExportFile",
    "ImportReport",
    "ParsedFile",
    "ParsedRow",
    "RowProblem",
    "UnreadableFile",
    "contacts_export",
    "contacts_import",
    "csv_read",
    "file_read",
    "vcard_read",
]
