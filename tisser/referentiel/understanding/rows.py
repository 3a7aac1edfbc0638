"""The rows the reading engine is built from: out of the database (the application) or
straight out of the ROME open-data CSVs (the benchmarks, without Django)."""

from __future__ import annotations

import csv
from pathlib import Path

from tisser.referentiel.understanding.engine import COMPETENCE, SAVOIR, RomeText

_COEUR_CSV = {"Principale": "principale", "Émergente": "emergente"}

CERTIFICATIONS = "Certifications et habilitations"
"""The savoirs of this category are diplomas, certifications and habilitations: read as part
of their fiches, never suggested for a réussite."""


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    matches = sorted(folder.glob(f"unix_{name}_v*_utf8.csv"))
    if not matches:
        raise FileNotFoundError(f"unix_{name}_v*_utf8.csv not found in {folder}")
    with matches[-1].open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rome_text_from_csv(folder: Path) -> RomeText:
    """What the engine reads, from the open-data CSVs of one ROME version."""
    competences = _read(folder, "referentiel_competence")
    savoirs = _read(folder, "referentiel_savoir")
    items = [(COMPETENCE, int(row["code_ogr"]), row["libelle_competence"]) for row in competences]
    items += [(SAVOIR, int(row["code_ogr_savoir"]), row["libelle_savoir"]) for row in savoirs]
    kind_of = {code: kind for kind, code, _ in reversed(items)}
    links = [
        (
            row["code_rome"],
            kind_of[int(row["code_ogr"])],
            int(row["code_ogr"]),
            _COEUR_CSV.get(row["coeur_metier"], ""),
        )
        for row in _read(folder, "coherence_item")
        if int(row["code_ogr"]) in kind_of
    ]
    return RomeText(
        fiches=[
            (row["code_rome"], row["libelle_rome"])
            for row in _read(folder, "referentiel_code_rome")
        ],
        appellations=[
            (row["code_rome"], row["libelle_appellation_long"])
            for row in _read(folder, "referentiel_appellation")
        ],
        texts=[
            (row["code_rome"], row["libelle_texte"].replace("''", "'"))
            for row in _read(folder, "texte")
        ],
        items=items,
        links=links,
        unsuggested=frozenset(
            (SAVOIR, int(row["code_ogr_savoir"]))
            for row in savoirs
            if row["categorie_savoir"] == CERTIFICATIONS
        ),
    )


def rome_text_from_database() -> RomeText:
    """What the engine reads, from the current référentiel in the database (the importer
    keeps one version's rows)."""
    from tisser.referentiel.models import (
        Appellation,
        Competence,
        Metier,
        MetierCompetence,
        MetierSavoir,
        Savoir,
    )

    metiers = list(
        Metier.objects.order_by("code_rome").values_list(
            "code_rome", "libelle", "definition", "acces"
        )
    )
    texts = [
        (code, sentence)
        for code, _libelle, definition, acces in metiers
        for sentence in (definition + "\n" + acces).splitlines()
        if sentence.strip()
    ]
    items = [
        (COMPETENCE, code, label)
        for code, label in Competence.objects.order_by("code_ogr").values_list(
            "code_ogr", "libelle"
        )
    ]
    items += [
        (SAVOIR, code, label)
        for code, label in Savoir.objects.order_by("code_ogr").values_list("code_ogr", "libelle")
    ]
    links = [
        (code_rome, COMPETENCE, code_ogr, coeur)
        for code_rome, code_ogr, coeur in MetierCompetence.objects.order_by("pk").values_list(
            "metier__code_rome", "competence__code_ogr", "coeur_metier"
        )
    ]
    links += [
        (code_rome, SAVOIR, code_ogr, coeur)
        for code_rome, code_ogr, coeur in MetierSavoir.objects.order_by("pk").values_list(
            "metier__code_rome", "savoir__code_ogr", "coeur_metier"
        )
    ]
    certifications = Savoir.objects.filter(categorie=CERTIFICATIONS).values_list(
        "code_ogr", flat=True
    )
    return RomeText(
        fiches=[(code, libelle) for code, libelle, _d, _a in metiers],
        appellations=list(
            Appellation.objects.order_by("metier__code_rome", "pk").values_list(
                "metier__code_rome", "libelle"
            )
        ),
        texts=texts,
        items=items,
        links=links,
        unsuggested=frozenset((SAVOIR, code) for code in certifications),
    )
