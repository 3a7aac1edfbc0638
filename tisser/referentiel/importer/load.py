"""Write validated ROME data to the database in one transaction (``rome_load``), and the whole
import from a folder or zip (``rome_import``)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from pathlib import Path

from django.db import connection, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.referentiel import models as m
from tisser.referentiel.context_processors import rome_number_forget
from tisser.referentiel.importer.errors import RomeImportError
from tisser.referentiel.importer.parse import rome_parse, source_checksum, version_parse
from tisser.referentiel.importer.records import RomeData
from tisser.referentiel.importer.report import ImportReport, ImportStatus, changes_between
from tisser.referentiel.importer.source import RomeSource, rome_source_read

BATCH_SIZE = 2000


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
    rome_number_forget()
    return ImportReport(
        ImportStatus.IMPORTED,
        data.version,
        previous,
        counts,
        metiers=changes_between(metiers_before, {r.code_rome: r.libelle for r in data.metiers}),
        appellations=changes_between(
            appellations_before, {str(r.code_ogr): r.libelle for r in data.appellations}
        ),
        missing_optional=data.missing_optional,
    )


def rome_import(path: Path | str, *, force: bool = False) -> ImportReport:
    """Read, check and load the ROME source at ``path`` (folder or zip)."""
    started = time.perf_counter()
    source = rome_source_read(path)
    report = _unchanged(source)
    if report is None:
        report = rome_load(rome_parse(source), source=str(path), force=force)
    return dataclasses.replace(report, seconds=time.perf_counter() - started)


def _unchanged(source: RomeSource) -> ImportReport | None:
    """The report of a source whose files are byte for byte those of the current version.

    Checked before parsing: every ``make run`` imports the ROME, and parsing the real files
    takes seconds. Any other source goes through ``rome_load``, which decides under its lock.
    """
    current = m.RomeVersion.objects.filter(is_current=True).first()
    if current is None or current.checksum != source_checksum(source):
        return None
    version = version_parse(source)
    if version.number != current.number:
        return None
    return ImportReport(
        ImportStatus.UNCHANGED,
        version,
        current.number,
        current.counts,
        missing_optional=source.missing_optional,
    )


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
                            "des éléments « %(model)s » absents de la nouvelle version sont "
                            "encore utilisés ailleurs : import annulé (%(error)s)."
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

    # Link rows: plain INSERTs of tuples. Nothing points at them and no id is read back, so
    # building 180,000 model instances (what bulk_create needs) would only cost time.
    _insert(
        m.MetierCompetence,
        ["metier", "competence", "categorie", "coeur_metier"],
        [
            (
                metier_ids[link.code_rome],
                competence_ids[int(link.item)],
                str(link.categorie),
                str(link.coeur),
            )
            for link in data.metier_competences
        ],
    )
    _insert(
        m.MetierSavoir,
        ["metier", "savoir", "coeur_metier"],
        [
            (metier_ids[link.code_rome], savoir_ids[int(link.item)], str(link.coeur))
            for link in data.metier_savoirs
        ],
    )
    _insert(
        m.MetierContexte,
        ["metier", "contexte"],
        [
            (metier_ids[link.code_rome], contexte_ids[int(link.item)])
            for link in data.metier_contextes
        ],
    )
    _insert(
        m.Mobilite,
        ["metier", "cible", "rang"],
        [(metier_ids[link.code_rome], metier_ids[link.item], link.rank) for link in data.mobilites],
    )
    _insert(
        m.MetierCentreInteret,
        ["metier", "centre_interet", "principal"],
        [
            (metier_ids[link.code_rome], centre_ids[int(link.item)], bool(link.principal))
            for link in data.metier_centres_interet
        ],
    )
    _insert(
        m.MetierSecteur,
        ["metier", "secteur", "sous_secteur", "principal"],
        [
            (
                metier_ids[link.code_rome],
                secteur_ids[int(link.item)],
                secteur_ids[int(link.sous_secteur)] if link.sous_secteur else None,
                bool(link.principal),
            )
            for link in data.metier_secteurs
        ],
    )
    _insert(
        m.Metier.themes.through,
        ["metier", "theme"],
        [(metier_ids[link.code_rome], theme_ids[link.item]) for link in data.metier_themes],
    )
    _insert(
        m.Metier.secteurs_naf.through,
        ["metier", "secteurnaf"],
        [(metier_ids[link.code_rome], naf_ids[link.item]) for link in data.metier_secteurs_naf],
    )
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


def _insert(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values of ``fields``, in order) into ``model``'s table, in batches."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), columns, ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])
