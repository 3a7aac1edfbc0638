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
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
import shutil
import time
import unicodedata
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.referentiel import models as m

BATCH_SIZE = 2000
ROME_DOWNLOAD_URL_DEFAULT = "https://api.francetravail.fr/api-nomenclatureemploi/v1/open-data/csv"
FILE_NAME = re.compile(r"^unix_(?P<name>[a-z_]+?)_v(?P<version>\d+)_utf8\.csv$", re.IGNORECASE)
CODE_ROME = re.compile(r"^[A-Z]\d{4}$")
EXAMPLES_SHOWN = 3
T = TypeVar("T")


class RomeImportError(Exception):
    """Bad ROME input or a refused import; ``str()`` is one French line naming file and line."""

    def __init__(self, message: str, *, filename: str | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())
        self.filename = filename
        self.line = line
        super().__init__(self.render())

    def render(self) -> str:
        if self.filename and self.line:
            return _("%(file)s, ligne %(line)d : %(message)s") % {
                "file": self.filename,
                "line": self.line,
                "message": self.message,
            }
        if self.filename:
            return _("%(file)s : %(message)s") % {"file": self.filename, "message": self.message}
        return self.message


# --- the files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileSpec:
    """A CSV file of the open data and the columns the importer reads from it."""

    name: str
    columns: tuple[str, ...]
    required: bool = True


def _spec(name: str, columns: str, *, required: bool = True) -> FileSpec:
    return FileSpec(name, tuple(columns.split()), required)


# Also published, and not needed: ``composition_bloc`` and ``descriptif_rubrique`` (the bloc
# and rubrique codes are fixed below), ``item`` (repeats the referentiels), ``cr_gd_dp`` and
# ``cr_gd_dp_appellations`` (repeat the tree), ``type_referentiel`` (empty).
FILE_SPECS: tuple[FileSpec, ...] = (
    _spec("grand_domaine", "code_grand_domaine libelle_grand_domaine"),
    _spec("domaine_professionnel", "code_domaine_professionnel libelle_domaine_professionnel"),
    _spec(
        "referentiel_code_rome",
        "code_rome code_fiche_metier code_ogr libelle_rome transition_eco transition_num "
        "transition_demo emploi_reglemente emploi_cadre code_rome_parent",
    ),
    _spec("referentiel_code_rome_riasec", "code_rome riasec_majeur riasec_mineur"),
    _spec("texte", "code_rome libelle_type_texte position_phrase libelle_texte"),
    _spec(
        "referentiel_appellation",
        "code_ogr libelle_appellation_long libelle_appellation_court code_rome transition_eco "
        "transition_num transition_demo emploi_reglemente emploi_cadre classification peu_usite",
    ),
    _spec(
        "referentiel_competence",
        "code_ogr nature libelle_competence definition code_ogr_macro_comp code_macro_comp "
        "cat_comp sous_cat_comp transition_eco transition_num libelle_heterogeneite "
        "libelle_origine",
    ),
    _spec("referentiel_macro_competence_riasec", "code_ogr riasec_majeur riasec_mineur"),
    _spec(
        "referentiel_savoir",
        "code_ogr_savoir libelle_savoir categorie_savoir sous_categorie_savoir transition_eco "
        "transition_num",
    ),
    _spec(
        "referentiel_contexte_travail",
        "code_ogr libelle_cont_travail code_type_cont_trav libelle_type_cont_trav",
    ),
    _spec("liens_rome_referentiels", "code_rome code_compo_bloc code_rubrique code_ogr"),
    _spec("coherence_item", "code_rome code_ogr coeur_metier"),
    _spec("rubrique_mobilite", "code_rome code_rome_cible numero_ordre"),
    _spec(
        "centre_interet",
        "code_centre_interet libelle_centre_interet definition_centre_interet",
        required=False,
    ),
    _spec(
        "arborescence_centre_interet",
        "code_centre_interet libelle_centre_interet code_rome principal",
        required=False,
    ),
    _spec(
        "secteur_activite",
        "code_sect_activite libelle_sect_activite definition_sect_activite",
        required=False,
    ),
    _spec(
        "sous_secteur_activite",
        "code_ss_sect_activite libelle_ss_sect_activite definition_ss_sect_activite "
        "code_sect_activite",
        required=False,
    ),
    _spec(
        "arborescence_secteur_activite",
        "code_sect_activite libelle_sect_activite code_ss_sect_activite "
        "libelle_ss_sect_activite code_rome principal",
        required=False,
    ),
    _spec(
        "secteur_naf",
        "code_tech_secteur_naf code_secteur_naf libelle_secteur_naf",
        required=False,
    ),
    _spec(
        "arborescence_secteur_naf",
        "code_secteur_naf libelle_secteur_naf code_rome",
        required=False,
    ),
    _spec("themes", "code_theme libelle_theme definition_theme", required=False),
    _spec("arborescence_thematique", "code_theme libelle_theme code_rome", required=False),
)
SPECS_BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in FILE_SPECS}

# Blocs and rubriques of a fiche (unix_composition_bloc, unix_descriptif_rubrique).
BLOC_COMPETENCES = "5"
BLOC_CONTEXTES = "6"
RUBRIQUE_CATEGORIES = {
    "1": m.CompetenceCategorie.SAVOIR_FAIRE,
    "2": m.CompetenceCategorie.SAVOIR_ETRE,
}
RUBRIQUE_SAVOIRS = "3"


@dataclass(frozen=True)
class SourceFile:
    """The bytes of one CSV file of a ROME source."""

    name: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class RomeSource:
    """The files found in a folder or zip, not yet decoded."""

    location: str
    files: Mapping[str, SourceFile]
    version_file: SourceFile | None
    file_version: str
    missing_optional: tuple[str, ...]


def rome_source_read(path: Path | str) -> RomeSource:
    """Find and read the ROME CSV files in a folder or a zip (at its root or one level down)."""
    path = Path(path)
    if not path.exists():
        raise RomeImportError(_("Source ROME introuvable : %(path)s") % {"path": path})
    if path.is_dir():
        entries = {
            file.relative_to(path).as_posix(): file
            for pattern in ("*", "*/*")
            for file in path.glob(pattern)
            if file.is_file()
        }
        return _source_select(str(path), list(entries), lambda rel: entries[rel].read_bytes())
    if not zipfile.is_zipfile(path):
        raise RomeImportError(
            _("%(path)s n'est ni un dossier ni une archive zip des CSV du ROME.") % {"path": path}
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = [
                info.filename
                for info in archive.infolist()
                if not info.is_dir() and info.filename.count("/") <= 2
            ]
            return _source_select(str(path), names, archive.read)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RomeImportError(
            _("Archive zip illisible : %(path)s (%(error)s)") % {"path": path, "error": exc}
        ) from exc


def _source_select(location: str, names: list[str], read: Callable[[str], bytes]) -> RomeSource:
    by_folder: dict[PurePosixPath, dict[str, str]] = {}
    versions_by_folder: dict[PurePosixPath, set[str]] = {}
    for name in names:
        pure = PurePosixPath(name)
        if "__MACOSX" in pure.parts or pure.name.startswith("."):
            continue
        match = FILE_NAME.match(pure.name)
        if match:
            by_folder.setdefault(pure.parent, {})[match["name"].lower()] = name
            versions_by_folder.setdefault(pure.parent, set()).add(match["version"])
    folders = [folder for folder, files in by_folder.items() if "referentiel_code_rome" in files]
    if not folders:
        raise RomeImportError(
            _(
                "Aucun fichier unix_referentiel_code_rome_v…_utf8.csv dans %(location)s : "
                "ce n'est pas le dossier ou le zip des CSV du ROME 4.0."
            )
            % {"location": location}
        )
    if len(folders) > 1:
        raise RomeImportError(
            _("Plusieurs jeux de fichiers ROME dans %(location)s : %(folders)s")
            % {"location": location, "folders": ", ".join(sorted(str(f) for f in folders))}
        )
    folder = folders[0]
    found = by_folder[folder]
    versions = versions_by_folder[folder]
    if len(versions) > 1:
        raise RomeImportError(
            _("Les fichiers de %(location)s mélangent plusieurs versions : %(versions)s")
            % {"location": location, "versions": ", ".join(sorted(versions))}
        )
    file_version = versions.pop()
    files: dict[str, SourceFile] = {}
    missing_optional: list[str] = []
    for spec in FILE_SPECS:
        filename = f"unix_{spec.name}_v{file_version}_utf8.csv"
        if spec.name in found:
            rel = found[spec.name]
            files[spec.name] = SourceFile(spec.name, PurePosixPath(rel).name, read(rel))
        elif spec.required:
            raise RomeImportError(
                _("Fichier obligatoire manquant : %(file)s (dans %(location)s)")
                % {"file": filename, "location": location}
            )
        else:
            missing_optional.append(filename)
    version_file = None
    for name in names:
        pure = PurePosixPath(name)
        if pure.parent == folder and pure.name.lower() == "version.txt":
            version_file = SourceFile("version", pure.name, read(name))
    return RomeSource(location, files, version_file, file_version, tuple(missing_optional))


def rome_download_url() -> str:
    """``settings.ROME_DOWNLOAD_URL``, else env ``ROME_DOWNLOAD_URL``, else France Travail's."""
    return (
        getattr(settings, "ROME_DOWNLOAD_URL", "")
        or os.environ.get("ROME_DOWNLOAD_URL", "")
        or ROME_DOWNLOAD_URL_DEFAULT
    )


def rome_source_download(dest_dir: Path, *, url: str | None = None, timeout: float = 60) -> Path:
    """Download the official ROME 4.0 CSV zip into ``dest_dir`` and return the zip's path.

    The default URL is the "Toutes les données du ROME (CSV)" export of France Travail listed
    on data.gouv.fr; only HTTPS is accepted. Any failure is one clear ``RomeImportError``.
    """
    url = url or rome_download_url()
    if urlsplit(url).scheme != "https":
        raise RomeImportError(
            _("Téléchargement refusé : %(url)s n'est pas une adresse HTTPS.") % {"url": url}
        )
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / "RefRomeCsv.zip"
    request = urllib.request.Request(url, headers={"User-Agent": "Tisser (import ROME 4.0)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if urlsplit(response.geturl()).scheme != "https":
                raise urllib.error.URLError(_("redirection hors HTTPS refusée"))
            with target.open("wb") as out:
                shutil.copyfileobj(response, out, 1 << 20)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        target.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise RomeImportError(
            _(
                "Téléchargement du ROME impossible depuis %(url)s (%(reason)s). Téléchargez le "
                "zip des CSV sur data.gouv.fr et passez son chemin à import_rome."
            )
            % {"url": url, "reason": reason}
        ) from exc
    if not zipfile.is_zipfile(target):
        target.unlink(missing_ok=True)
        raise RomeImportError(
            _("Le fichier reçu de %(url)s n'est pas une archive zip.") % {"url": url}
        )
    return target


# --- decoding and reading rows --------------------------------------------------------------

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
        key = _fold(value)
        if key not in mapping:
            raise self.error(
                _("valeur « %(value)s » inconnue dans la colonne %(column)s")
                % {"value": value, "column": column}
            )
        return mapping[key]

    def flag(self, column: str) -> bool:
        """The tags say "O", "N" or nothing (not assessed yet): only "O" is True."""
        return self.choice(column, FLAGS)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


FLAGS = {"o": True, "oui": True, "n": False, "non": False, "": False}
RIASEC = {_fold(code): code for code in m.Riasec.values} | {"": ""}
TRANSITION_ECO = {
    "": "",
    "emploi blanc": m.TransitionEcologique.BLANC,
    "emploi vert": m.TransitionEcologique.VERT,
    "emploi brun": m.TransitionEcologique.BRUN,
    "emploi strategique pour la transition ecologique": m.TransitionEcologique.STRATEGIQUE,
}
CLASSIFICATION = {
    "principale": m.AppellationClassification.PRINCIPALE,
    "synonyme": m.AppellationClassification.SYNONYME,
}
NATURE = {"competence": m.CompetenceNature.COMPETENCE, "macro-competence": m.CompetenceNature.MACRO}
CATEGORIE = {
    "savoir-faire": m.CompetenceCategorie.SAVOIR_FAIRE,
    "savoir-etre professionnel": m.CompetenceCategorie.SAVOIR_ETRE,
    "savoir-etre professionnels": m.CompetenceCategorie.SAVOIR_ETRE,
}
SOUS_CATEGORIE = {
    "": "",
    "technique": m.CompetenceSousCategorie.TECHNIQUE,
    "technique expert": m.CompetenceSousCategorie.TECHNIQUE_EXPERT,
    "transverse": m.CompetenceSousCategorie.TRANSVERSE,
}
HOMOGENEITE = {
    "": "",
    "tres homogene": m.Homogeneite.TRES_HOMOGENE,
    "homogene": m.Homogeneite.HOMOGENE,
    "heterogene": m.Homogeneite.HETEROGENE,
}
COEUR_METIER = {
    "": "",
    "principale": m.CoeurMetier.PRINCIPALE,
    "emergente": m.CoeurMetier.EMERGENTE,
}


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
                    _("colonne(s) manquante(s) : %(columns)s") % {"columns": ", ".join(missing)},
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


# --- parsed records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionInfo:
    number: int
    published_on: date | None = None
    validated_on: date | None = None
    title: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class CodeLabel:
    code: str
    libelle: str
    parent: str = ""
    definition: str = ""


@dataclass(frozen=True, slots=True)
class MetierRecord:
    code_rome: str
    code_ogr: int
    code_fiche: int | None
    libelle: str
    parent: str
    transition_eco: str
    transition_num: bool
    transition_demo: bool
    emploi_cadre: bool
    emploi_reglemente: bool
    riasec_majeur: str = ""
    riasec_mineur: str = ""
    definition: str = ""
    acces: str = ""


@dataclass(frozen=True, slots=True)
class AppellationRecord:
    code_ogr: int
    code_rome: str
    libelle: str
    libelle_court: str
    classification: str
    transition_eco: str
    transition_num: bool
    transition_demo: bool
    emploi_cadre: bool
    emploi_reglemente: bool
    peu_usite: bool


@dataclass(frozen=True, slots=True)
class CompetenceRecord:
    code_ogr: int
    nature: str
    libelle: str
    definition: str
    macro: int | None
    code_macro: str
    categorie: str
    sous_categorie: str
    transition_eco: bool
    transition_num: bool
    homogeneite: str
    origine: str
    riasec_majeur: str = ""
    riasec_mineur: str = ""


@dataclass(frozen=True, slots=True)
class SavoirRecord:
    code_ogr: int
    libelle: str
    categorie: str
    sous_categorie: str
    transition_eco: bool
    transition_num: bool


@dataclass(frozen=True, slots=True)
class ContexteRecord:
    code_ogr: int
    libelle: str
    type_code: int
    type_libelle: str


@dataclass(frozen=True, slots=True)
class Link:
    """A fiche → item pair, with what the source says about it."""

    code_rome: str
    item: str
    categorie: str = ""  # rubrique of a compétence
    coeur: str = ""  # cœur de métier mark
    rank: int = 0  # order of a mobilité
    principal: bool = False  # main centre d'intérêt / secteur of the fiche
    sous_secteur: str = ""


@dataclass(frozen=True)
class RomeData:
    """Everything a ROME source holds, validated, ready to load."""

    version: VersionInfo
    checksum: str
    missing_optional: tuple[str, ...]
    grands_domaines: tuple[CodeLabel, ...]
    domaines: tuple[CodeLabel, ...]
    metiers: tuple[MetierRecord, ...]
    appellations: tuple[AppellationRecord, ...]
    competences: tuple[CompetenceRecord, ...]
    savoirs: tuple[SavoirRecord, ...]
    contextes: tuple[ContexteRecord, ...]
    metier_competences: tuple[Link, ...]
    metier_savoirs: tuple[Link, ...]
    metier_contextes: tuple[Link, ...]
    mobilites: tuple[Link, ...]
    centres_interet: tuple[CodeLabel, ...] = ()
    metier_centres_interet: tuple[Link, ...] = ()
    secteurs: tuple[CodeLabel, ...] = ()
    metier_secteurs: tuple[Link, ...] = ()
    secteurs_naf: tuple[CodeLabel, ...] = ()
    metier_secteurs_naf: tuple[Link, ...] = ()
    themes: tuple[CodeLabel, ...] = ()
    metier_themes: tuple[Link, ...] = ()

    def counts(self) -> dict[str, int]:
        macros = sum(c.nature == m.CompetenceNature.MACRO for c in self.competences)
        return {
            "grands_domaines": len(self.grands_domaines),
            "domaines": len(self.domaines),
            "metiers": len(self.metiers),
            "appellations": len(self.appellations),
            "macro_competences": macros,
            "competences": len(self.competences) - macros,
            "savoirs": len(self.savoirs),
            "contextes": len(self.contextes),
            "metier_competences": len(self.metier_competences),
            "metier_savoirs": len(self.metier_savoirs),
            "metier_contextes": len(self.metier_contextes),
            "mobilites": len(self.mobilites),
            "centres_interet": len(self.centres_interet),
            "metier_centres_interet": len(self.metier_centres_interet),
            "secteurs": len(self.secteurs),
            "metier_secteurs": len(self.metier_secteurs),
            "secteurs_naf": len(self.secteurs_naf),
            "metier_secteurs_naf": len(self.metier_secteurs_naf),
            "themes": len(self.themes),
            "metier_themes": len(self.metier_themes),
        }


# --- parsing ------------------------------------------------------------------------------------


def _duplicate(row: Row, key: object) -> RomeImportError:
    return row.error(_("%(key)s figure deux fois") % {"key": key})


def _unknown(row: Row, what: str, key: object) -> RomeImportError:
    return row.error(_("référence inconnue : %(what)s %(key)s") % {"what": what, "key": key})


def _version_parse(source: RomeSource) -> VersionInfo:
    if source.version_file is None:
        # "v460" is ROME 4 + version 60.
        token = source.file_version
        if len(token) == 3 and token.startswith("4"):
            return VersionInfo(number=int(token[1:]))
        raise RomeImportError(
            _("version.txt absent et version illisible dans les noms de fichiers (v%(token)s)")
            % {"token": token}
        )
    filename = source.version_file.filename
    text = source_decode(filename, source.version_file.data)
    number = re.search(r"num[ée]ro de version\s*:\s*(\d+)", text, re.IGNORECASE)
    if not number:
        raise RomeImportError(_("« Numero de version : N » introuvable"), filename=filename)

    def _date(label: str) -> date | None:
        found = re.search(label + r"\s*:\s*(\d{2})/(\d{2})/(\d{4})", text, re.IGNORECASE)
        if not found:
            return None
        day, month, year = (int(part) for part in found.groups())
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise RomeImportError(
                _("date invalide : %(date)s") % {"date": found.group(0)}, filename=filename
            ) from exc

    title = re.search(r"titre(?:/commentaire)?\s*:\s*(.*)", text, re.IGNORECASE)
    description = re.search(r"description\s*:\s*(.*)", text, re.IGNORECASE | re.DOTALL)
    return VersionInfo(
        number=int(number.group(1)),
        published_on=_date("date de publication"),
        validated_on=_date("date de validation"),
        title=title.group(1).strip()[:255] if title else "",
        description=description.group(1).strip() if description else "",
    )


def _checksum(source: RomeSource) -> str:
    digest = hashlib.sha256()
    files = [source.files[name] for name in sorted(source.files)]
    if source.version_file:
        files.append(source.version_file)
    for file in files:
        digest.update(file.name.encode() + b"\0" + hashlib.sha256(file.data).digest())
    return digest.hexdigest()


def _texte_clean(value: str) -> str:
    # unix_texte doubles every apostrophe (an SQL export artefact) and uses tabs after
    # list markers ("1.\tNe pas…").
    return re.sub(r"[ \t]+", " ", value.replace("''", "'")).strip()


def rome_parse(source: RomeSource) -> RomeData:
    """Decode and check every file of ``source``; ``RomeImportError`` at the first fault."""
    version = _version_parse(source)
    files = source.files

    grands: dict[str, CodeLabel] = {}
    for row in source_rows(files["grand_domaine"]):
        code = row.text("code_grand_domaine", required=True).upper()
        if code in grands:
            raise _duplicate(row, code)
        grands[code] = CodeLabel(code, row.text("libelle_grand_domaine", required=True))

    domaines: dict[str, CodeLabel] = {}
    for row in source_rows(files["domaine_professionnel"]):
        code = row.text("code_domaine_professionnel", required=True).upper()
        if code in domaines:
            raise _duplicate(row, code)
        if code[:1] not in grands:
            raise _unknown(row, _("grand domaine"), code[:1])
        domaines[code] = CodeLabel(
            code, row.text("libelle_domaine_professionnel", required=True), parent=code[:1]
        )

    metier_rows: dict[str, tuple[Row, dict]] = {}
    for row in source_rows(files["referentiel_code_rome"]):
        code = row.code_rome()
        if code in metier_rows:
            raise _duplicate(row, code)
        if code[:3] not in domaines:
            raise _unknown(row, _("domaine professionnel"), code[:3])
        metier_rows[code] = (
            row,
            {
                "code_rome": code,
                "code_ogr": row.integer("code_ogr"),
                "code_fiche": row.optional_integer("code_fiche_metier"),
                "libelle": row.text("libelle_rome", required=True),
                "parent": row.text("code_rome_parent").upper(),
                "transition_eco": row.choice("transition_eco", TRANSITION_ECO),
                "transition_num": row.flag("transition_num"),
                "transition_demo": row.flag("transition_demo"),
                "emploi_cadre": row.flag("emploi_cadre"),
                "emploi_reglemente": row.flag("emploi_reglemente"),
            },
        )
    for code, (row, values) in metier_rows.items():
        parent = values["parent"]
        if parent and parent not in metier_rows:
            raise _unknown(row, _("fiche parente"), parent)
        if parent == code:
            values["parent"] = ""

    def _metier(row: Row, column: str = "code_rome") -> str:
        code = row.code_rome(column)
        if code not in metier_rows:
            raise _unknown(row, _("fiche"), code)
        return code

    for row in source_rows(files["referentiel_code_rome_riasec"]):
        values = metier_rows[_metier(row)][1]
        values["riasec_majeur"] = row.choice("riasec_majeur", RIASEC)
        values["riasec_mineur"] = row.choice("riasec_mineur", RIASEC)

    texts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row in source_rows(files["texte"]):
        kind = row.text("libelle_type_texte").lower()
        if kind not in ("definition", "acces_metier"):
            continue  # a text type this version of the importer does not show
        texts.setdefault((_metier(row), kind), []).append(
            (row.integer("position_phrase"), _texte_clean(row.values["libelle_texte"]))
        )
    for (code, kind), phrases in texts.items():
        paragraphs = "\n".join(text for _position, text in sorted(phrases) if text)
        metier_rows[code][1]["definition" if kind == "definition" else "acces"] = paragraphs
    metiers = tuple(MetierRecord(**values) for _row, values in metier_rows.values())

    appellations: dict[int, AppellationRecord] = {}
    for row in source_rows(files["referentiel_appellation"]):
        code_ogr = row.integer("code_ogr")
        if code_ogr in appellations:
            raise _duplicate(row, code_ogr)
        appellations[code_ogr] = AppellationRecord(
            code_ogr=code_ogr,
            code_rome=_metier(row),
            libelle=row.text("libelle_appellation_long", required=True),
            libelle_court=row.text("libelle_appellation_court"),
            classification=row.choice("classification", CLASSIFICATION),
            transition_eco=row.choice("transition_eco", TRANSITION_ECO),
            transition_num=row.flag("transition_num"),
            transition_demo=row.flag("transition_demo"),
            emploi_cadre=row.flag("emploi_cadre"),
            emploi_reglemente=row.flag("emploi_reglemente"),
            peu_usite=row.flag("peu_usite"),
        )

    competences = _competences_parse(files)
    savoirs: dict[int, SavoirRecord] = {}
    for row in source_rows(files["referentiel_savoir"]):
        code_ogr = row.integer("code_ogr_savoir")
        if code_ogr in savoirs:
            raise _duplicate(row, code_ogr)
        savoirs[code_ogr] = SavoirRecord(
            code_ogr=code_ogr,
            libelle=row.text("libelle_savoir", required=True),
            categorie=row.text("categorie_savoir", required=True),
            sous_categorie=row.text("sous_categorie_savoir"),
            transition_eco=row.flag("transition_eco"),
            transition_num=row.flag("transition_num"),
        )
    contextes: dict[int, ContexteRecord] = {}
    for row in source_rows(files["referentiel_contexte_travail"]):
        code_ogr = row.integer("code_ogr")
        if code_ogr in contextes:
            raise _duplicate(row, code_ogr)
        contextes[code_ogr] = ContexteRecord(
            code_ogr=code_ogr,
            libelle=row.text("libelle_cont_travail", required=True),
            type_code=row.integer("code_type_cont_trav"),
            type_libelle=row.text("libelle_type_cont_trav", required=True),
        )

    coeur: dict[tuple[str, int], str] = {}
    for row in source_rows(files["coherence_item"]):
        coeur[(_metier(row), row.integer("code_ogr"))] = row.choice("coeur_metier", COEUR_METIER)

    metier_competences: list[Link] = []
    metier_savoirs: list[Link] = []
    metier_contextes: list[Link] = []
    seen: set[tuple[str, int]] = set()
    for row in source_rows(files["liens_rome_referentiels"]):
        bloc = row.text("code_compo_bloc")
        if bloc not in (BLOC_COMPETENCES, BLOC_CONTEXTES):
            continue  # the fiche itself, its appellations: already known from their own files
        code, code_ogr = _metier(row), row.integer("code_ogr")
        if (code, code_ogr) in seen:
            raise _duplicate(row, f"{code} → {code_ogr}")
        seen.add((code, code_ogr))
        rubrique = row.text("code_rubrique")
        if bloc == BLOC_CONTEXTES:
            if code_ogr not in contextes:
                raise _unknown(row, _("contexte de travail"), code_ogr)
            metier_contextes.append(Link(code, str(code_ogr)))
        elif rubrique == RUBRIQUE_SAVOIRS:
            if code_ogr not in savoirs:
                raise _unknown(row, _("savoir"), code_ogr)
            metier_savoirs.append(Link(code, str(code_ogr), coeur=coeur.get((code, code_ogr), "")))
        elif rubrique in RUBRIQUE_CATEGORIES:
            if code_ogr not in competences:
                raise _unknown(row, _("compétence"), code_ogr)
            metier_competences.append(
                Link(
                    code,
                    str(code_ogr),
                    categorie=RUBRIQUE_CATEGORIES[rubrique],
                    coeur=coeur.get((code, code_ogr), ""),
                )
            )
        else:
            raise row.error(_("rubrique « %(rubrique)s » inconnue") % {"rubrique": rubrique})

    mobilites: list[Link] = []
    seen = set()
    for row in source_rows(files["rubrique_mobilite"]):
        code, cible = _metier(row), _metier(row, "code_rome_cible")
        if (code, cible) in seen:
            raise _duplicate(row, f"{code} → {cible}")
        seen.add((code, cible))
        mobilites.append(Link(code, cible, rank=row.integer("numero_ordre")))

    return RomeData(
        version=version,
        checksum=_checksum(source),
        missing_optional=source.missing_optional,
        grands_domaines=tuple(grands.values()),
        domaines=tuple(domaines.values()),
        metiers=metiers,
        appellations=tuple(appellations.values()),
        competences=tuple(competences.values()),
        savoirs=tuple(savoirs.values()),
        contextes=tuple(contextes.values()),
        metier_competences=tuple(metier_competences),
        metier_savoirs=tuple(metier_savoirs),
        metier_contextes=tuple(metier_contextes),
        mobilites=tuple(mobilites),
        **_extras_parse(files, _metier),
    )


def _competences_parse(files: Mapping[str, SourceFile]) -> dict[int, CompetenceRecord]:
    rows: dict[int, tuple[Row, dict]] = {}
    for row in source_rows(files["referentiel_competence"]):
        code_ogr = row.integer("code_ogr")
        if code_ogr in rows:
            raise _duplicate(row, code_ogr)
        rows[code_ogr] = (
            row,
            {
                "code_ogr": code_ogr,
                "nature": row.choice("nature", NATURE),
                "libelle": row.text("libelle_competence", required=True),
                "definition": row.text("definition"),
                "macro": row.optional_integer("code_ogr_macro_comp"),
                "code_macro": row.text("code_macro_comp"),
                "categorie": row.choice("cat_comp", CATEGORIE),
                "sous_categorie": row.choice("sous_cat_comp", SOUS_CATEGORIE),
                "transition_eco": row.flag("transition_eco"),
                "transition_num": row.flag("transition_num"),
                "homogeneite": row.choice("libelle_heterogeneite", HOMOGENEITE),
                "origine": row.text("libelle_origine"),
            },
        )
    for row, values in rows.values():
        macro = values["macro"]
        if macro is not None and (
            macro not in rows or rows[macro][1]["nature"] != m.CompetenceNature.MACRO
        ):
            raise _unknown(row, _("macro-compétence"), macro)
    for row in source_rows(files["referentiel_macro_competence_riasec"]):
        code_ogr = row.integer("code_ogr")
        if code_ogr not in rows:
            raise _unknown(row, _("macro-compétence"), code_ogr)
        rows[code_ogr][1]["riasec_majeur"] = row.choice("riasec_majeur", RIASEC)
        rows[code_ogr][1]["riasec_mineur"] = row.choice("riasec_mineur", RIASEC)
    return {code: CompetenceRecord(**values) for code, (_row, values) in rows.items()}


def _node_code(row: Row, column: str, *, numeric: bool) -> str:
    return str(row.integer(column)) if numeric else row.text(column, required=True)


def _labels_parse(
    files: Mapping[str, SourceFile],
    name: str,
    columns: tuple[str, str, str],
    *,
    numeric: bool,
) -> dict[str, CodeLabel]:
    """The nodes listed by an optional file (code, libellé, definition columns)."""
    code, libelle, definition = columns
    labels: dict[str, CodeLabel] = {}
    for row in source_rows(files[name]) if name in files else ():
        key = _node_code(row, code, numeric=numeric)
        if key in labels:
            raise _duplicate(row, key)
        labels[key] = CodeLabel(
            key, row.text(libelle, required=True), definition=row.text(definition)
        )
    return labels


def _tree_parse(
    files: Mapping[str, SourceFile],
    name: str,
    labels: dict[str, CodeLabel],
    columns: tuple[str, str],
    metier: Callable[[Row], str],
    *,
    numeric: bool,
) -> list[Link]:
    """Fiche links of an ``arborescence`` file; it also names the nodes when the file that
    lists them is absent (the labels are the same in both)."""
    code, libelle = columns
    links: list[Link] = []
    listed = bool(labels)
    seen: set[tuple[str, str]] = set()
    for row in source_rows(files[name]) if name in files else ():
        key = _node_code(row, code, numeric=numeric)
        if key not in labels:
            if listed:
                raise _unknown(row, code, key)
            labels[key] = CodeLabel(key, row.text(libelle, required=True))
        principal = "principal" in SPECS_BY_NAME[name].columns and row.flag("principal")
        link = Link(metier(row), key, principal=principal)
        if (link.code_rome, key) in seen:
            raise _duplicate(row, f"{link.code_rome} → {key}")
        seen.add((link.code_rome, key))
        links.append(link)
    return links


def _extras_parse(
    files: Mapping[str, SourceFile], metier: Callable[[Row], str]
) -> dict[str, tuple]:
    """Centres d'intérêt, secteurs d'activité, secteurs NAF and thèmes: all optional."""
    centres = _labels_parse(
        files,
        "centre_interet",
        ("code_centre_interet", "libelle_centre_interet", "definition_centre_interet"),
        numeric=True,
    )
    metier_centres = _tree_parse(
        files,
        "arborescence_centre_interet",
        centres,
        ("code_centre_interet", "libelle_centre_interet"),
        metier,
        numeric=True,
    )

    secteurs = _labels_parse(
        files,
        "secteur_activite",
        ("code_sect_activite", "libelle_sect_activite", "definition_sect_activite"),
        numeric=True,
    )
    for row in (
        source_rows(files["sous_secteur_activite"]) if "sous_secteur_activite" in files else ()
    ):
        key = _node_code(row, "code_ss_sect_activite", numeric=True)
        parent = _node_code(row, "code_sect_activite", numeric=True)
        if key in secteurs:
            raise _duplicate(row, key)
        if secteurs and parent not in secteurs:
            raise _unknown(row, _("secteur d'activité"), parent)
        secteurs[key] = CodeLabel(
            key,
            row.text("libelle_ss_sect_activite", required=True),
            parent=parent,
            definition=row.text("definition_ss_sect_activite"),
        )
    metier_secteurs: list[Link] = []
    listed = bool(secteurs)
    seen: set[tuple[str, str, str]] = set()
    name = "arborescence_secteur_activite"
    for row in source_rows(files[name]) if name in files else ():
        key = _node_code(row, "code_sect_activite", numeric=True)
        sub = str(row.integer("code_ss_sect_activite")) if row.text("code_ss_sect_activite") else ""
        for code, libelle, parent in (
            (key, "libelle_sect_activite", ""),
            (sub, "libelle_ss_sect_activite", key),
        ):
            if code and code not in secteurs:
                if listed:
                    raise _unknown(row, _("secteur d'activité"), code)
                secteurs[code] = CodeLabel(code, row.text(libelle, required=True), parent)
        code_rome = metier(row)
        if (code_rome, key, sub) in seen:
            raise _duplicate(row, f"{code_rome} → {key}/{sub}")
        seen.add((code_rome, key, sub))
        metier_secteurs.append(
            Link(code_rome, key, sous_secteur=sub, principal=row.flag("principal"))
        )

    naf: dict[str, CodeLabel] = {}
    for row in source_rows(files["secteur_naf"]) if "secteur_naf" in files else ():
        key = row.text("code_secteur_naf", required=True)
        if key in naf:
            raise _duplicate(row, key)
        technique = row.optional_integer("code_tech_secteur_naf")
        naf[key] = CodeLabel(
            key,
            row.text("libelle_secteur_naf", required=True),
            parent=str(technique) if technique is not None else "",
        )
    metier_naf = _tree_parse(
        files,
        "arborescence_secteur_naf",
        naf,
        ("code_secteur_naf", "libelle_secteur_naf"),
        metier,
        numeric=False,
    )
    themes = _labels_parse(
        files, "themes", ("code_theme", "libelle_theme", "definition_theme"), numeric=False
    )
    metier_themes = _tree_parse(
        files,
        "arborescence_thematique",
        themes,
        ("code_theme", "libelle_theme"),
        metier,
        numeric=False,
    )
    return {
        "centres_interet": tuple(centres.values()),
        "metier_centres_interet": tuple(metier_centres),
        "secteurs": tuple(secteurs.values()),
        "metier_secteurs": tuple(metier_secteurs),
        "secteurs_naf": tuple(naf.values()),
        "metier_secteurs_naf": tuple(metier_naf),
        "themes": tuple(themes.values()),
        "metier_themes": tuple(metier_themes),
    }


# --- loading ------------------------------------------------------------------------------------


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Renamed:
    code: str
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    """What changed in one entity between the previous load and this one."""

    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    renamed: tuple[Renamed, ...] = ()


def _changes(before: Mapping[str, str], after: Mapping[str, str]) -> Changes:
    return Changes(
        added=tuple(sorted((code, after[code]) for code in after.keys() - before.keys())),
        removed=tuple(sorted((code, before[code]) for code in before.keys() - after.keys())),
        renamed=tuple(
            Renamed(code, before[code], after[code])
            for code in sorted(before.keys() & after.keys())
            if before[code] != after[code]
        ),
    )


@dataclass(frozen=True)
class ImportReport:
    """The outcome of ``rome_load``; the command prints it."""

    status: ImportStatus
    version: VersionInfo
    previous_version: int | None
    counts: Mapping[str, int]
    metiers: Changes = field(default_factory=Changes)
    appellations: Changes = field(default_factory=Changes)
    missing_optional: tuple[str, ...] = ()
    seconds: float = 0.0


@transaction.atomic
def rome_load(data: RomeData, *, source: str = "", force: bool = False) -> ImportReport:
    """Make ``data`` the current référentiel, in one transaction.

    Same version and same content as the current one: nothing is written. An older version
    than the current one is refused unless ``force``. Otherwise rows are upserted on their ROME
    codes (ids of unchanged fiches, appellations… are kept), rows absent from ``data`` are
    deleted, and the fiche ↔ item links are rebuilt.
    """
    current = m.RomeVersion.objects.select_for_update().filter(is_current=True).first()
    previous = current.number if current else None
    if current and current.number == data.version.number and current.checksum == data.checksum:
        return ImportReport(
            ImportStatus.UNCHANGED,
            data.version,
            previous,
            current.counts,
            missing_optional=data.missing_optional,
        )
    if current and data.version.number < current.number and not force:
        raise RomeImportError(
            _(
                "La version %(new)d est plus ancienne que la version courante %(current)d : "
                "import refusé (--force pour l'imposer)."
            )
            % {"new": data.version.number, "current": current.number}
        )
    metiers_before = dict(m.Metier.objects.values_list("code_rome", "libelle"))
    appellations_before = {
        str(code): libelle
        for code, libelle in m.Appellation.objects.values_list("code_ogr", "libelle")
    }
    _write(data)
    counts = data.counts()
    m.RomeVersion.objects.filter(is_current=True).update(is_current=False)
    # A new row even when re-importing a number: caches keyed on the current version's id
    # (the search index) then see the change.
    m.RomeVersion.objects.filter(number=data.version.number).delete()
    m.RomeVersion.objects.create(
        number=data.version.number,
        published_on=data.version.published_on,
        validated_on=data.version.validated_on,
        title=data.version.title,
        description=data.version.description,
        source=source[:1000],
        checksum=data.checksum,
        counts=counts,
        imported_at=timezone.now(),
        is_current=True,
    )
    return ImportReport(
        ImportStatus.IMPORTED,
        data.version,
        previous,
        counts,
        metiers=_changes(metiers_before, {r.code_rome: r.libelle for r in data.metiers}),
        appellations=_changes(
            appellations_before, {str(r.code_ogr): r.libelle for r in data.appellations}
        ),
        missing_optional=data.missing_optional,
    )


def rome_import(path: Path | str, *, force: bool = False) -> ImportReport:
    """Read, check and load the ROME source at ``path`` (folder or zip)."""
    started = time.perf_counter()
    source = rome_source_read(path)
    data = rome_parse(source)
    report = rome_load(data, source=str(path), force=force)
    return dataclasses.replace(report, seconds=time.perf_counter() - started)


class _Writer:
    """Upserts rows keyed on their code; remembers the rows the new data no longer has."""

    def __init__(self) -> None:
        self.stale: dict[type[models.Model], list[int]] = {}

    def upsert(self, model: type[models.Model], key: str, objects: list) -> dict:
        """Insert or update ``objects`` on ``key``; return the id of every row by key."""
        if objects:
            model._default_manager.bulk_create(
                objects,
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=[key],
                update_fields=[
                    f.name
                    for f in model._meta.concrete_fields
                    if not f.primary_key and f.name != key
                ],
            )
        return dict(model._default_manager.values_list(key, "id"))

    def keep_only(self, model: type[models.Model], ids: Mapping, keep: set) -> None:
        self.stale[model] = [pk for code, pk in ids.items() if code not in keep]

    def delete_stale(self, order: list[type[models.Model]]) -> None:
        for model in order:
            ids = self.stale.get(model, [])
            for start in range(0, len(ids), BATCH_SIZE):
                try:
                    model._default_manager.filter(id__in=ids[start : start + BATCH_SIZE]).delete()
                except ProtectedError as exc:
                    raise RomeImportError(
                        _(
                            "des %(model)s absent(e)s de la nouvelle version sont encore "
                            "utilisé(e)s ailleurs : import annulé (%(error)s)."
                        )
                        % {"model": model._meta.verbose_name_plural, "error": exc.args[0]}
                    ) from exc


def _fields(record: object, *exclude: str) -> dict:
    """The fields of a record that are also fields of its model."""
    return {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)  # type: ignore[arg-type]
        if f.name not in exclude
    }


def _write(data: RomeData) -> None:
    links = [
        m.MetierCompetence,
        m.MetierSavoir,
        m.MetierContexte,
        m.Mobilite,
        m.MetierCentreInteret,
        m.MetierSecteur,
        m.Metier.themes.through,
        m.Metier.secteurs_naf.through,
    ]
    for model in links:
        # Nothing points at link rows: rebuilding them is simpler and as fast as diffing.
        model._default_manager.all().delete()
    writer = _Writer()

    grand_ids = writer.upsert(
        m.GrandDomaine,
        "code",
        [m.GrandDomaine(code=r.code, libelle=r.libelle) for r in data.grands_domaines],
    )
    writer.keep_only(m.GrandDomaine, grand_ids, {r.code for r in data.grands_domaines})
    domaine_ids = writer.upsert(
        m.DomaineProfessionnel,
        "code",
        [
            m.DomaineProfessionnel(
                code=r.code, libelle=r.libelle, grand_domaine_id=grand_ids[r.parent]
            )
            for r in data.domaines
        ],
    )
    writer.keep_only(m.DomaineProfessionnel, domaine_ids, {r.code for r in data.domaines})

    metier_ids = writer.upsert(
        m.Metier,
        "code_rome",
        [
            m.Metier(domaine_id=domaine_ids[r.code_rome[:3]], **_fields(r, "parent"))
            for r in data.metiers
        ],
    )
    writer.keep_only(m.Metier, metier_ids, {r.code_rome for r in data.metiers})
    # A parent may be a fiche created by this very import: link parents once all have ids.
    m.Metier.objects.bulk_update(
        [
            m.Metier(id=metier_ids[r.code_rome], parent_id=metier_ids.get(r.parent))
            for r in data.metiers
        ],
        ["parent"],
        batch_size=500,
    )
    appellation_ids = writer.upsert(
        m.Appellation,
        "code_ogr",
        [
            m.Appellation(metier_id=metier_ids[r.code_rome], **_fields(r, "code_rome"))
            for r in data.appellations
        ],
    )
    writer.keep_only(m.Appellation, appellation_ids, {r.code_ogr for r in data.appellations})

    # Macro-compétences first: the compétences point at them.
    macros = [r for r in data.competences if r.nature == m.CompetenceNature.MACRO]
    macro_ids = writer.upsert(
        m.Competence, "code_ogr", [m.Competence(**_fields(r, "macro")) for r in macros]
    )
    competence_ids = writer.upsert(
        m.Competence,
        "code_ogr",
        [
            m.Competence(macro_id=macro_ids.get(r.macro), **_fields(r, "macro"))
            for r in data.competences
            if r.nature != m.CompetenceNature.MACRO
        ],
    )
    writer.keep_only(m.Competence, competence_ids, {r.code_ogr for r in data.competences})
    savoir_ids = writer.upsert(m.Savoir, "code_ogr", [m.Savoir(**_fields(r)) for r in data.savoirs])
    writer.keep_only(m.Savoir, savoir_ids, {r.code_ogr for r in data.savoirs})
    contexte_ids = writer.upsert(
        m.ContexteTravail, "code_ogr", [m.ContexteTravail(**_fields(r)) for r in data.contextes]
    )
    writer.keep_only(m.ContexteTravail, contexte_ids, {r.code_ogr for r in data.contextes})

    centre_ids = writer.upsert(
        m.CentreInteret,
        "code",
        [
            m.CentreInteret(code=int(r.code), libelle=r.libelle, definition=r.definition)
            for r in data.centres_interet
        ],
    )
    writer.keep_only(m.CentreInteret, centre_ids, {int(r.code) for r in data.centres_interet})
    secteur_ids: dict = {}
    for roots in (True, False):  # secteurs, then the sous-secteurs that point at them
        secteur_ids = writer.upsert(
            m.SecteurActivite,
            "code",
            [
                m.SecteurActivite(
                    code=int(r.code),
                    libelle=r.libelle,
                    definition=r.definition,
                    parent_id=secteur_ids[int(r.parent)] if r.parent else None,
                )
                for r in data.secteurs
                if bool(r.parent) != roots
            ],
        )
    writer.keep_only(m.SecteurActivite, secteur_ids, {int(r.code) for r in data.secteurs})
    naf_ids = writer.upsert(
        m.SecteurNaf,
        "code",
        [
            m.SecteurNaf(
                code=r.code, libelle=r.libelle, code_technique=int(r.parent) if r.parent else None
            )
            for r in data.secteurs_naf
        ],
    )
    writer.keep_only(m.SecteurNaf, naf_ids, {r.code for r in data.secteurs_naf})
    theme_ids = writer.upsert(
        m.Theme,
        "code",
        [m.Theme(code=r.code, libelle=r.libelle, definition=r.definition) for r in data.themes],
    )
    writer.keep_only(m.Theme, theme_ids, {r.code for r in data.themes})

    themes_through = m.Metier.themes.through
    naf_through = m.Metier.secteurs_naf.through
    created = {
        m.MetierCompetence: [
            m.MetierCompetence(
                metier_id=metier_ids[link.code_rome],
                competence_id=competence_ids[int(link.item)],
                categorie=link.categorie,
                coeur_metier=link.coeur,
            )
            for link in data.metier_competences
        ],
        m.MetierSavoir: [
            m.MetierSavoir(
                metier_id=metier_ids[link.code_rome],
                savoir_id=savoir_ids[int(link.item)],
                coeur_metier=link.coeur,
            )
            for link in data.metier_savoirs
        ],
        m.MetierContexte: [
            m.MetierContexte(
                metier_id=metier_ids[link.code_rome], contexte_id=contexte_ids[int(link.item)]
            )
            for link in data.metier_contextes
        ],
        m.Mobilite: [
            m.Mobilite(
                metier_id=metier_ids[link.code_rome],
                cible_id=metier_ids[link.item],
                rang=link.rank,
            )
            for link in data.mobilites
        ],
        m.MetierCentreInteret: [
            m.MetierCentreInteret(
                metier_id=metier_ids[link.code_rome],
                centre_interet_id=centre_ids[int(link.item)],
                principal=link.principal,
            )
            for link in data.metier_centres_interet
        ],
        m.MetierSecteur: [
            m.MetierSecteur(
                metier_id=metier_ids[link.code_rome],
                secteur_id=secteur_ids[int(link.item)],
                sous_secteur_id=secteur_ids[int(link.sous_secteur)] if link.sous_secteur else None,
                principal=link.principal,
            )
            for link in data.metier_secteurs
        ],
        themes_through: [
            themes_through(metier_id=metier_ids[link.code_rome], theme_id=theme_ids[link.item])
            for link in data.metier_themes
        ],
        naf_through: [
            naf_through(metier_id=metier_ids[link.code_rome], secteurnaf_id=naf_ids[link.item])
            for link in data.metier_secteurs_naf
        ],
    }
    for model, objects in created.items():
        model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    # What a row points at goes after the row.
    writer.delete_stale(
        [
            m.Appellation,
            m.Metier,
            m.DomaineProfessionnel,
            m.GrandDomaine,
            m.Competence,
            m.Savoir,
            m.ContexteTravail,
            m.CentreInteret,
            m.SecteurActivite,
            m.SecteurNaf,
            m.Theme,
        ]
    )
