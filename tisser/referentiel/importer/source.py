"""Where a ROME source comes from: its CSV files found in a folder or a zip (at its root or one
folder down), or the official zip downloaded from France Travail."""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from tisser.referentiel.importer.errors import RomeImportError
from tisser.referentiel.importer.schema import FILE_NAME, FILE_SPECS

ROME_DOWNLOAD_URL_DEFAULT = "https://api.francetravail.fr/api-nomenclatureemploi/v1/open-data/csv"


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
