"""The reading engine of the current ROME version: built from the database once per
process, kept on disk per version (``TISSER_CACHE_DIR``) so that the next process only
loads it."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from tisser.referentiel.understanding.engine import ENGINE_VERSION, Understanding
from tisser.referentiel.versioned import PerVersion

logger = logging.getLogger(__name__)


def _cache_folder(version) -> Path:
    from django.conf import settings

    stamp = version.imported_at.strftime("%Y%m%d%H%M%S")
    name = f"understanding-e{ENGINE_VERSION}-rome{version.number}-{version.checksum[:16]}-{stamp}"
    return Path(settings.TISSER_CACHE_DIR) / name


def _load_or_build(version) -> Understanding:
    from tisser.referentiel.understanding.rows import rome_text_from_database

    folder = _cache_folder(version)
    if (folder / "lists.json").exists():
        try:
            return Understanding.load(folder)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            # A damaged cache is removed, then rebuilt and written again below.
            logger.warning("Cache of the reading engine unreadable (%s): rebuilt.", error)
            shutil.rmtree(folder, ignore_errors=True)
    engine = Understanding.build(rome_text_from_database())
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
        engine.save(staging)
        try:
            os.replace(staging, folder)
        except OSError:  # another process got there first
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        logger.warning("Cache of the reading engine not written (%s).", error)
    return engine


_engine: PerVersion[Understanding | None] = PerVersion(
    lambda version: _load_or_build(version) if version is not None else None
)


def get_understanding() -> Understanding | None:
    """The engine of the current ROME version (None when no référentiel is loaded)."""
    return _engine.get()


def clear_understanding_cache() -> None:
    """Forget the engine held in memory (tests; the disk cache is keyed by version)."""
    _engine.clear()
