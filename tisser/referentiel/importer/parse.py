"""Turn the files of a ROME source into validated records (``rome_parse``), stopping at the
first fault with a ``RomeImportError`` that names the file and the line."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext as _

from tisser.referentiel import models as m
from tisser.referentiel.importer.errors import RomeImportError
from tisser.referentiel.importer.parse_extras import extras_parse
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
from tisser.referentiel.importer.rows import Row, source_decode, source_rows
from tisser.referentiel.importer.schema import (
    BLOC_COMPETENCES,
    BLOC_CONTEXTES,
    CATEGORIE,
    CLASSIFICATION,
    COEUR_METIER,
    HOMOGENEITE,
    NATURE,
    RIASEC,
    RUBRIQUE_CATEGORIES,
    RUBRIQUE_SAVOIRS,
    SOUS_CATEGORIE,
    TRANSITION_ECO,
)
from tisser.referentiel.importer.source import RomeSource, SourceFile


def version_parse(source: RomeSource) -> VersionInfo:
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


def source_checksum(source: RomeSource) -> str:
    """A digest of every file of ``source`` (what ``RomeVersion.checksum`` stores)."""
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
    version = version_parse(source)
    files = source.files

    grands: dict[str, CodeLabel] = {}
    for row in source_rows(files["grand_domaine"]):
        code = row.text("code_grand_domaine", required=True).upper()
        if code in grands:
            raise row.duplicate_error(code)
        grands[code] = CodeLabel(code, row.text("libelle_grand_domaine", required=True))

    domaines: dict[str, CodeLabel] = {}
    for row in source_rows(files["domaine_professionnel"]):
        code = row.text("code_domaine_professionnel", required=True).upper()
        if code in domaines:
            raise row.duplicate_error(code)
        if code[:1] not in grands:
            raise row.unknown_error(_("grand domaine"), code[:1])
        domaines[code] = CodeLabel(
            code, row.text("libelle_domaine_professionnel", required=True), parent=code[:1]
        )

    metier_rows: dict[str, tuple[Row, dict]] = {}
    for row in source_rows(files["referentiel_code_rome"]):
        code = row.code_rome()
        if code in metier_rows:
            raise row.duplicate_error(code)
        if code[:3] not in domaines:
            raise row.unknown_error(_("domaine professionnel"), code[:3])
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
            raise row.unknown_error(_("fiche parente"), parent)
        if parent == code:
            values["parent"] = ""

    def _metier(row: Row, column: str = "code_rome") -> str:
        code = row.code_rome(column)
        if code not in metier_rows:
            raise row.unknown_error(_("fiche"), code)
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
            raise row.duplicate_error(code_ogr)
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
            raise row.duplicate_error(code_ogr)
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
            raise row.duplicate_error(code_ogr)
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
            raise row.duplicate_error(f"{code} → {code_ogr}")
        seen.add((code, code_ogr))
        rubrique = row.text("code_rubrique")
        if bloc == BLOC_CONTEXTES:
            if code_ogr not in contextes:
                raise row.unknown_error(_("contexte de travail"), code_ogr)
            metier_contextes.append(Link(code, str(code_ogr)))
        elif rubrique == RUBRIQUE_SAVOIRS:
            if code_ogr not in savoirs:
                raise row.unknown_error(_("savoir"), code_ogr)
            metier_savoirs.append(Link(code, str(code_ogr), coeur=coeur.get((code, code_ogr), "")))
        elif rubrique in RUBRIQUE_CATEGORIES:
            if code_ogr not in competences:
                raise row.unknown_error(_("compétence"), code_ogr)
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
            raise row.duplicate_error(f"{code} → {cible}")
        seen.add((code, cible))
        mobilites.append(Link(code, cible, rank=row.integer("numero_ordre")))

    return RomeData(
        version=version,
        checksum=source_checksum(source),
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
        **extras_parse(files, _metier),
    )


def _competences_parse(files: Mapping[str, SourceFile]) -> dict[int, CompetenceRecord]:
    rows: dict[int, tuple[Row, dict]] = {}
    for row in source_rows(files["referentiel_competence"]):
        code_ogr = row.integer("code_ogr")
        if code_ogr in rows:
            raise row.duplicate_error(code_ogr)
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
            raise row.unknown_error(_("macro-compétence"), macro)
    for row in source_rows(files["referentiel_macro_competence_riasec"]):
        code_ogr = row.integer("code_ogr")
        if code_ogr not in rows:
            raise row.unknown_error(_("macro-compétence"), code_ogr)
        rows[code_ogr][1]["riasec_majeur"] = row.choice("riasec_majeur", RIASEC)
        rows[code_ogr][1]["riasec_mineur"] = row.choice("riasec_mineur", RIASEC)
    return {code: CompetenceRecord(**values) for code, (_row, values) in rows.items()}
