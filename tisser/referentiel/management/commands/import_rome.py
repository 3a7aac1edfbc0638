"""``manage.py import_rome [SOURCE]``: load the ROME 4.0 open data (folder of CSVs or zip)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tisser.core.dates import french_date
from tisser.referentiel.importer import (
    EXAMPLES_SHOWN,
    Changes,
    ImportReport,
    ImportStatus,
    RomeImportError,
    rome_download_url,
    rome_import,
    rome_source_download,
)

COUNT_LABELS = {
    "grands_domaines": gettext_lazy("Grands domaines"),
    "domaines": gettext_lazy("Domaines professionnels"),
    "metiers": gettext_lazy("Fiches métier"),
    "appellations": gettext_lazy("Appellations"),
    "macro_competences": gettext_lazy("Macro-compétences"),
    "competences": gettext_lazy("Compétences"),
    "savoirs": gettext_lazy("Savoirs"),
    "contextes": gettext_lazy("Contextes de travail"),
    "metier_competences": gettext_lazy("Compétences des fiches"),
    "metier_savoirs": gettext_lazy("Savoirs des fiches"),
    "metier_contextes": gettext_lazy("Contextes de travail des fiches"),
    "mobilites": gettext_lazy("Mobilités"),
    "centres_interet": gettext_lazy("Centres d'intérêt"),
    "metier_centres_interet": gettext_lazy("Centres d'intérêt des fiches"),
    "secteurs": gettext_lazy("Secteurs et sous-secteurs d'activité"),
    "metier_secteurs": gettext_lazy("Secteurs d'activité des fiches"),
    "secteurs_naf": gettext_lazy("Secteurs NAF"),
    "metier_secteurs_naf": gettext_lazy("Secteurs NAF des fiches"),
    "themes": gettext_lazy("Thèmes"),
    "metier_themes": gettext_lazy("Thèmes des fiches"),
}


class Command(BaseCommand):
    # A plain str: argparse cannot format a lazy translation.
    help = (
        "Importe le référentiel ROME 4.0 de France Travail depuis le dossier des CSV ou le zip "
        "officiel (par défaut settings.ROME_SOURCE, téléchargé s'il est absent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            help=_("dossier des CSV ou zip officiel (défaut : settings.ROME_SOURCE)"),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("importer même une version plus ancienne que la version courante"),
        )
        parser.add_argument(
            "--download",
            action="store_true",
            help=_("télécharger le zip officiel (settings/env ROME_DOWNLOAD_URL)"),
        )

    def handle(self, *args, source=None, force=False, download=False, **options):
        try:
            with tempfile.TemporaryDirectory(prefix="rome-") as tmp:
                path = self._source(source, download, Path(tmp))
                report = rome_import(path, force=force)
        except RomeImportError as exc:
            raise CommandError(str(exc)) from exc
        self._report(path, report)

    def _source(self, source: str | None, download: bool, tmp: Path) -> Path:
        if source and not download:
            return Path(source)
        if not download and Path(settings.ROME_SOURCE).exists():
            return Path(settings.ROME_SOURCE)
        self.stdout.write(
            _("Téléchargement du ROME depuis %(url)s…") % {"url": rome_download_url()}
        )
        return rome_source_download(tmp)

    def _report(self, path: Path, report: ImportReport) -> None:
        version = report.version
        published = (
            _(", publiée le %(date)s") % {"date": french_date(version.published_on)}
            if version.published_on
            else ""
        )
        self.stdout.write(
            _("Source : %(path)s (ROME 4.0 version %(number)d%(published)s)")
            % {"path": path, "number": version.number, "published": published}
        )
        for filename in report.missing_optional:
            self.stdout.write(_("Fichier facultatif absent : %(file)s") % {"file": filename})
        if report.status == ImportStatus.UNCHANGED:
            self.stdout.write(
                self.style.SUCCESS(
                    _("La version %(number)d est déjà importée à l'identique : aucun changement.")
                    % {"number": version.number}
                )
            )
        else:
            if report.previous_version is None:
                summary = _("Version %(number)d importée (premier import).")
            elif report.previous_version == version.number:
                summary = _("Version %(number)d réimportée (contenu modifié).")
            else:
                summary = _("Version %(number)d importée, elle remplace la version %(previous)d.")
            self.stdout.write(
                self.style.SUCCESS(
                    summary % {"number": version.number, "previous": report.previous_version}
                )
            )
            if report.previous_version is not None:
                self._changes(_("Fiches métier"), report.metiers)
                self._changes(_("Appellations"), report.appellations)
        self.stdout.write(_("Effectifs :"))
        for key, label in COUNT_LABELS.items():
            self.stdout.write(f"  {label} : {report.counts.get(key, 0)}")
        self.stdout.write(_("Durée : %(seconds).1f s") % {"seconds": report.seconds})

    def _changes(self, label: str, changes: Changes) -> None:
        self.stdout.write(
            _("%(label)s : %(added)s, %(removed)s, %(renamed)s")
            % {
                "label": label,
                "added": ngettext("%(count)d ajoutée", "%(count)d ajoutées", len(changes.added))
                % {"count": len(changes.added)},
                "removed": ngettext(
                    "%(count)d supprimée", "%(count)d supprimées", len(changes.removed)
                )
                % {"count": len(changes.removed)},
                "renamed": ngettext(
                    "%(count)d renommée", "%(count)d renommées", len(changes.renamed)
                )
                % {"count": len(changes.renamed)},
            }
        )
        for code, libelle in changes.added[:EXAMPLES_SHOWN]:
            self.stdout.write(f"  + {code} {libelle}")
        for code, libelle in changes.removed[:EXAMPLES_SHOWN]:
            self.stdout.write(f"  - {code} {libelle}")
        for renamed in changes.renamed[:EXAMPLES_SHOWN]:
            self.stdout.write(f"  ~ {renamed.code} « {renamed.before} » → « {renamed.after} »")
