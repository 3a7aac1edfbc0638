"""What the ROME 4.0 open data holds: how its files are named, which files and columns the
importer reads, and the values its coded columns may take."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tisser.referentiel import models as m

FILE_NAME = re.compile(r"^unix_(?P<name>[a-z_]+?)_v(?P<version>\d+)_utf8\.csv$", re.IGNORECASE)
CODE_ROME = re.compile(r"^[A-Z]\d{4}$")


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


# --- the values of coded columns ------------------------------------------------------------


@lru_cache(maxsize=4096)
def fold(value: str) -> str:
    """The key a coded value is looked up by in the tables below: trimmed, no case, no accents.

    Cached: a few dozen distinct values fill 350,000 coded cells of the real files.
    """
    decomposed = unicodedata.normalize("NFKD", value.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


FLAGS = {"o": True, "oui": True, "n": False, "non": False, "": False}
RIASEC = {fold(code): code for code in m.Riasec.values} | {"": ""}
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
