"""The fiche métier page's read-model: everything it shows, in a fixed number of queries.

Groups follow what the open data carries. Compétences are grouped by their rubrique
(savoir-faire, savoir-être professionnels): the files give the codes of the "enjeux" of the
compétences tree but not their labels. Savoirs are grouped by category, contextes de travail by
type. Mobilités are one ordered list: v460 does not say which are "proches" and which are
"évolutions".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _

from tisser.core.french import sort_key
from tisser.referentiel.models import (
    AppellationClassification,
    CoeurMetier,
    CompetenceCategorie,
    Metier,
    MetierCentreInteret,
    MetierCompetence,
    MetierContexte,
    MetierSavoir,
    MetierSecteur,
    Mobilite,
    Riasec,
    RomeVersion,
    TransitionEcologique,
)

T = TypeVar("T")


@dataclass(frozen=True)
class CodeLabel:
    code: str
    libelle: str


@dataclass(frozen=True)
class FicheAppellation:
    code_ogr: int
    libelle: str
    libelle_court: str
    is_principale: bool
    peu_usite: bool


@dataclass(frozen=True)
class FicheItem:
    """A compétence, savoir or contexte on the fiche."""

    code_ogr: int
    libelle: str
    coeur_de_metier: bool = False
    emergente: bool = False
    sous_categorie: str = ""


@dataclass(frozen=True)
class FicheGroup:
    libelle: str
    items: tuple[FicheItem, ...]


@dataclass(frozen=True)
class FicheTags:
    emploi_cadre: bool
    emploi_reglemente: bool
    transition_eco: str  # a TransitionEcologique value, or ""
    transition_eco_label: str
    transition_num: bool
    transition_demo: bool

    @property
    def labels(self) -> tuple[str, ...]:
        """The tags worth a badge, in French ("emploi blanc", the default, is not one)."""
        labels = []
        if self.emploi_cadre:
            labels.append(_("Emploi cadre"))
        if self.emploi_reglemente:
            labels.append(_("Emploi réglementé"))
        if self.transition_eco and self.transition_eco != TransitionEcologique.BLANC:
            labels.append(self.transition_eco_label)
        if self.transition_num:
            labels.append(_("Transition numérique"))
        if self.transition_demo:
            labels.append(_("Transition démographique"))
        return tuple(labels)


@dataclass(frozen=True)
class FicheCentreInteret:
    code: int
    libelle: str
    principal: bool


@dataclass(frozen=True)
class FicheSecteur:
    libelle: str
    sous_secteur: str
    principal: bool


@dataclass(frozen=True)
class Fiche:
    """A fiche métier as the page shows it."""

    code_rome: str
    libelle: str
    definition: tuple[str, ...]  # paragraphs
    acces: tuple[str, ...]  # paragraphs
    tags: FicheTags
    domaine: CodeLabel
    grand_domaine: CodeLabel
    appellations: tuple[FicheAppellation, ...]  # principale first, then by libellé
    competences: tuple[FicheGroup, ...]  # savoir-faire, then savoir-être professionnels
    savoirs: tuple[FicheGroup, ...]  # by category
    contextes: tuple[FicheGroup, ...]  # by type
    riasec_majeur: CodeLabel | None
    riasec_mineur: CodeLabel | None
    centres_interet: tuple[FicheCentreInteret, ...]  # principal first
    secteurs: tuple[FicheSecteur, ...]  # principal first
    mobilites: tuple[CodeLabel, ...]  # in the source's order
    rome_version: int | None

    @property
    def attribution(self) -> str:
        if self.rome_version is None:
            return _("Source : France Travail, ROME 4.0")
        return _("Source : France Travail, ROME 4.0 version %(number)d") % {
            "number": self.rome_version
        }


def _grouped(
    items: Iterable[tuple[str, T]], group_order: Callable[[str], object]
) -> list[tuple[str, list[T]]]:
    groups: dict[str, list[T]] = {}
    for group, item in items:
        groups.setdefault(group, []).append(item)
    return sorted(groups.items(), key=lambda pair: group_order(pair[0]))


def _item_order(item: FicheItem) -> tuple[bool, bool, str]:
    return (not item.coeur_de_metier, not item.emergente, sort_key(item.libelle))


def _riasec(code: str) -> CodeLabel | None:
    return CodeLabel(code, str(Riasec(code).label)) if code else None


def fiche_load(code_rome: str) -> Fiche:
    """The fiche ``code_rome`` with everything its page shows, in 9 queries.

    Raises ``Metier.DoesNotExist`` when there is no such fiche. Within each group, cœur de
    métier items come first, then emerging ones, then the rest, alphabetically.
    """
    metier = Metier.objects.select_related("domaine__grand_domaine").get(code_rome=code_rome)

    appellations = sorted(
        (
            FicheAppellation(
                code_ogr=a.code_ogr,
                libelle=a.libelle,
                libelle_court=a.libelle_court,
                is_principale=a.classification == AppellationClassification.PRINCIPALE,
                peu_usite=a.peu_usite,
            )
            for a in metier.appellations.all()
        ),
        key=lambda a: (not a.is_principale, sort_key(a.libelle)),
    )

    categorie_order = list(CompetenceCategorie.values)
    competences = _grouped(
        (
            (
                link.categorie,
                FicheItem(
                    code_ogr=link.competence.code_ogr,
                    libelle=link.competence.libelle,
                    coeur_de_metier=link.coeur_metier == CoeurMetier.PRINCIPALE,
                    emergente=link.coeur_metier == CoeurMetier.EMERGENTE,
                    sous_categorie=link.competence.get_sous_categorie_display(),
                ),
            )
            for link in MetierCompetence.objects.filter(metier=metier).select_related("competence")
        ),
        lambda categorie: categorie_order.index(categorie),
    )
    savoirs = _grouped(
        (
            (
                link.savoir.categorie,
                FicheItem(
                    code_ogr=link.savoir.code_ogr,
                    libelle=link.savoir.libelle,
                    coeur_de_metier=link.coeur_metier == CoeurMetier.PRINCIPALE,
                    emergente=link.coeur_metier == CoeurMetier.EMERGENTE,
                    sous_categorie=link.savoir.sous_categorie,
                ),
            )
            for link in MetierSavoir.objects.filter(metier=metier).select_related("savoir")
        ),
        sort_key,
    )
    contexte_links = list(MetierContexte.objects.filter(metier=metier).select_related("contexte"))
    type_codes = {link.contexte.type_libelle: link.contexte.type_code for link in contexte_links}
    contextes = _grouped(
        (
            (
                link.contexte.type_libelle,
                FicheItem(code_ogr=link.contexte.code_ogr, libelle=link.contexte.libelle),
            )
            for link in contexte_links
        ),
        lambda type_libelle: type_codes[type_libelle],
    )
    mobilites = tuple(
        CodeLabel(link.cible.code_rome, link.cible.libelle)
        for link in Mobilite.objects.filter(metier=metier)
        .select_related("cible")
        .order_by("rang", "cible__code_rome")
    )
    centres_interet = tuple(
        sorted(
            (
                FicheCentreInteret(
                    code=link.centre_interet.code,
                    libelle=link.centre_interet.libelle,
                    principal=link.principal,
                )
                for link in MetierCentreInteret.objects.filter(metier=metier).select_related(
                    "centre_interet"
                )
            ),
            key=lambda centre: (not centre.principal, centre.code),
        )
    )
    secteurs = tuple(
        sorted(
            (
                FicheSecteur(
                    libelle=link.secteur.libelle,
                    sous_secteur=link.sous_secteur.libelle if link.sous_secteur else "",
                    principal=link.principal,
                )
                for link in MetierSecteur.objects.filter(metier=metier).select_related(
                    "secteur", "sous_secteur"
                )
            ),
            key=lambda s: (not s.principal, sort_key(s.libelle), sort_key(s.sous_secteur)),
        )
    )
    version = RomeVersion.objects.current()

    domaine = metier.domaine
    return Fiche(
        code_rome=metier.code_rome,
        libelle=metier.libelle,
        definition=tuple(metier.definition_paragraphs),
        acces=tuple(metier.acces_paragraphs),
        tags=FicheTags(
            emploi_cadre=metier.emploi_cadre,
            emploi_reglemente=metier.emploi_reglemente,
            transition_eco=metier.transition_eco,
            transition_eco_label=metier.get_transition_eco_display()
            if metier.transition_eco
            else "",
            transition_num=metier.transition_num,
            transition_demo=metier.transition_demo,
        ),
        domaine=CodeLabel(domaine.code, domaine.libelle),
        grand_domaine=CodeLabel(domaine.grand_domaine.code, domaine.grand_domaine.libelle),
        appellations=tuple(appellations),
        competences=tuple(
            FicheGroup(
                str(CompetenceCategorie(categorie).label), tuple(sorted(items, key=_item_order))
            )
            for categorie, items in competences
        ),
        savoirs=tuple(
            FicheGroup(categorie, tuple(sorted(items, key=_item_order)))
            for categorie, items in savoirs
        ),
        contextes=tuple(
            FicheGroup(type_libelle, tuple(sorted(items, key=_item_order)))
            for type_libelle, items in contextes
        ),
        riasec_majeur=_riasec(metier.riasec_majeur),
        riasec_mineur=_riasec(metier.riasec_mineur),
        centres_interet=centres_interet,
        secteurs=secteurs,
        mobilites=mobilites,
        rome_version=version.number if version else None,
    )
