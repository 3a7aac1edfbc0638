"""The optional files of a ROME source: centres d'intérêt, secteurs d'activité, secteurs NAF and
thèmes, each a list of nodes and an ``arborescence`` linking fiches to them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext as _

from tisser.referentiel.importer.records import CodeLabel, Link
from tisser.referentiel.importer.rows import Row, source_rows
from tisser.referentiel.importer.schema import SPECS_BY_NAME
from tisser.referentiel.importer.source import SourceFile


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
            raise row.duplicate_error(key)
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
                raise row.unknown_error(code, key)
            labels[key] = CodeLabel(key, row.text(libelle, required=True))
        principal = "principal" in SPECS_BY_NAME[name].columns and row.flag("principal")
        link = Link(metier(row), key, principal=principal)
        if (link.code_rome, key) in seen:
            raise row.duplicate_error(f"{link.code_rome} → {key}")
        seen.add((link.code_rome, key))
        links.append(link)
    return links


def extras_parse(files: Mapping[str, SourceFile], metier: Callable[[Row], str]) -> dict[str, tuple]:
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
            raise row.duplicate_error(key)
        if secteurs and parent not in secteurs:
            raise row.unknown_error(_("secteur d'activité"), parent)
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
                    raise row.unknown_error(_("secteur d'activité"), code)
                secteurs[code] = CodeLabel(code, row.text(libelle, required=True), parent)
        code_rome = metier(row)
        if (code_rome, key, sub) in seen:
            raise row.duplicate_error(f"{code_rome} → {key}/{sub}")
        seen.add((code_rome, key, sub))
        metier_secteurs.append(
            Link(code_rome, key, sous_secteur=sub, principal=row.flag("principal"))
        )

    naf: dict[str, CodeLabel] = {}
    for row in source_rows(files["secteur_naf"]) if "secteur_naf" in files else ():
        key = row.text("code_secteur_naf", required=True)
        if key in naf:
            raise row.duplicate_error(key)
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
