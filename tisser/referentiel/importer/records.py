"""The validated content of a ROME source: plain frozen records, nothing tied to the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tisser.referentiel import models as m


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
