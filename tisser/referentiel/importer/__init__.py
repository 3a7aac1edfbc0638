"""Read, check and load the France Travail ROME 4.0 open data (a folder of CSVs or the zip).

Three steps, each usable alone:

- ``rome_source_read(path)`` finds the CSV files (``unix_<name>_v<NNN>_utf8.csv``) in a folder
  or a zip, at its root or one folder down, and reads their bytes;
- ``rome_parse(source)`` decodes and validates every file into plain records, raising
  ``RomeImportError`` (one French line naming the file and the line) at the first problem;
- ``rome_load(data)`` writes the records in one transaction.

Nothing is written before everything has been read and checked, so bad input leaves the
database as it was. Rows are upserted on their ROME codes, so ids survive an upgrade.

Quirks of the real files handled here: some files are not UTF-8 despite their name
(``unix_arborescence_secteur_naf`` is Windows-1252), some have blank lines between records,
quoted fields hold newlines, ``unix_texte`` doubles every apostrophe (``l''emploi``), and a few
UTF-8 texts carry C1 control characters that are Windows-1252 bytes decoded as Latin-1
(U+0092 for "’", U+009C for "œ").

By concept: ``schema`` (the files, their columns and coded values), ``source`` (finding,
reading or downloading them), ``rows`` (decoding and CSV records), ``records``, ``parse`` and
``parse_extras`` (the validated data), ``load`` and ``report`` (the write and what it changed),
``errors`` (``RomeImportError``).
"""

from tisser.referentiel.importer.errors import RomeImportError
from tisser.referentiel.importer.load import BATCH_SIZE, rome_import, rome_load
from tisser.referentiel.importer.parse import rome_parse
from tisser.referentiel.importer.records import (
    AppellationRecord,
    CodeLabel,
    CompetenceRecord,
    ContexteRecord,
    Link,
    MetierRecord,
    RomeData,
    SavoirRecord,
    VersionInfo,
)
from tisser.referentiel.importer.report import (
    EXAMPLES_SHOWN,
    Changes,
    ImportReport,
    ImportStatus,
    Renamed,
)
from tisser.referentiel.importer.rows import Row, source_decode, source_rows
from tisser.referentiel.importer.schema import (
    BLOC_COMPETENCES,
    BLOC_CONTEXTES,
    CATEGORIE,
    CLASSIFICATION,
    CODE_ROME,
    COEUR_METIER,
    FILE_NAME,
    FILE_SPECS,
    FLAGS,
    HOMOGENEITE,
    NATURE,
    RIASEC,
    RUBRIQUE_CATEGORIES,
    RUBRIQUE_SAVOIRS,
    SOUS_CATEGORIE,
    SPECS_BY_NAME,
    TRANSITION_ECO,
    FileSpec,
)
from tisser.referentiel.importer.source import (
    ROME_DOWNLOAD_URL_DEFAULT,
    RomeSource,
    SourceFile,
    rome_download_url,
    rome_source_download,
    rome_source_read,
)

__all__ = [
    "BATCH_SIZE",
    "BLOC_COMPETENCES",
    "BLOC_CONTEXTES",
    "CATEGORIE",
    "CLASSIFICATION",
    "CODE_ROME",
    "COEUR_METIER",
    "EXAMPLES_SHOWN",
    "FILE_NAME",
    "FILE_SPECS",
    "FLAGS",
    "HOMOGENEITE",
    "NATURE",
    "RIASEC",
    "ROME_DOWNLOAD_URL_DEFAULT",
    "RUBRIQUE_CATEGORIES",
    "RUBRIQUE_SAVOIRS",
    "SOUS_CATEGORIE",
    "SPECS_BY_NAME",
    "TRANSITION_ECO",
    "AppellationRecord",
    "Changes",
    "CodeLabel",
    "CompetenceRecord",
    "ContexteRecord",
    "FileSpec",
    "ImportReport",
    "ImportStatus",
    "Link",
    "MetierRecord",
    "Renamed",
    "RomeData",
    "RomeImportError",
    "RomeSource",
    "Row",
    "SavoirRecord",
    "SourceFile",
    "VersionInfo",
    "rome_download_url",
    "rome_import",
    "rome_load",
    "rome_parse",
    "rome_source_download",
    "rome_source_read",
    "source_decode",
    "source_rows",
]
