"""The référentiel national qualité (Qualiopi): its 7 criteria and 32 indicators, and which of
them apply to an action permettant de faire un bilan de compétences (issue #18).

The wording is a short form of each indicator's heading; docs/adr/0033 says which text it was
checked against. Indicators 3, 7, 8, 13, 14, 15, 16, 20, 28 and 29 concern certifying
training or apprenticeship and do not apply to bilans."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    number: int
    title: str | Promise


@dataclass(frozen=True)
class Indicator:
    number: int
    criterion: int
    title: str | Promise
    applies_to_bilans: bool = True


CRITERIA = (
    Criterion(1, _("Conditions d'information du public")),
    Criterion(2, _("Identification précise des objectifs des prestations et adaptation")),
    Criterion(3, _("Adaptation aux publics : accueil, accompagnement, suivi et évaluation")),
    Criterion(4, _("Adéquation des moyens pédagogiques, techniques et d'encadrement")),
    Criterion(5, _("Qualification et développement des compétences des personnels")),
    Criterion(6, _("Inscription et investissement dans l'environnement professionnel")),
    Criterion(7, _("Recueil et prise en compte des appréciations et des réclamations")),
)

INDICATORS = (
    Indicator(1, 1, _("Information du public sur les prestations, détaillée et vérifiable")),
    Indicator(2, 1, _("Indicateurs de résultats adaptés à la nature des prestations")),
    Indicator(3, 1, _("Taux d'obtention des certifications préparées"), False),
    Indicator(4, 2, _("Analyse du besoin du bénéficiaire")),
    Indicator(5, 2, _("Objectifs opérationnels et évaluables de la prestation")),
    Indicator(6, 2, _("Contenus et modalités de mise en œuvre adaptés aux objectifs")),
    Indicator(7, 2, _("Adéquation des contenus aux exigences de la certification"), False),
    Indicator(8, 2, _("Positionnement et évaluation des acquis à l'entrée"), False),
    Indicator(9, 3, _("Information des publics sur les conditions de déroulement")),
    Indicator(10, 3, _("Adaptation de la prestation, accompagnement et suivi")),
    Indicator(11, 3, _("Évaluation de l'atteinte des objectifs")),
    Indicator(12, 3, _("Engagement des bénéficiaires et prévention des ruptures de parcours")),
    Indicator(13, 3, _("Formations en alternance : coordination avec l'entreprise"), False),
    Indicator(14, 3, _("Exercice de la citoyenneté des apprentis"), False),
    Indicator(15, 3, _("Droits et devoirs des apprentis"), False),
    Indicator(16, 3, _("Conditions de présentation à la certification"), False),
    Indicator(17, 4, _("Moyens humains et techniques adaptés, environnement approprié")),
    Indicator(18, 4, _("Coordination des intervenants internes ou externes")),
    Indicator(19, 4, _("Ressources pédagogiques mises à disposition du bénéficiaire")),
    Indicator(20, 4, _("Personnels dédiés à l'accompagnement des apprentis"), False),
    Indicator(21, 5, _("Compétences des intervenants internes et externes")),
    Indicator(22, 5, _("Développement des compétences des salariés")),
    Indicator(23, 6, _("Veille légale et réglementaire")),
    Indicator(24, 6, _("Veille sur les compétences, les métiers et les emplois")),
    Indicator(25, 6, _("Veille sur les innovations pédagogiques et technologiques")),
    Indicator(26, 6, _("Accueil et accompagnement des personnes en situation de handicap")),
    Indicator(27, 6, _("Conformité du travail confié à un sous-traitant ou en portage")),
    Indicator(28, 6, _("Formations en alternance : réseau de partenaires"), False),
    Indicator(29, 6, _("Insertion professionnelle et poursuite d'études des apprentis"), False),
    Indicator(30, 7, _("Recueil des appréciations des parties prenantes")),
    Indicator(31, 7, _("Traitement des difficultés et des réclamations")),
    Indicator(32, 7, _("Mesures d'amélioration continue")),
)


# What the organisme brings itself for each indicator that applies, since Tisser does not hold
# it (procedures, documents outside Tisser): shown on the map and in the export's index.
TO_SUPPLY = {
    1: _("Les supports d'information sur l'offre (site, plaquettes) et leur date de mise à jour."),
    2: _("Les indicateurs de résultats publiés et la méthode de calcul retenue."),
    4: _("La procédure d'analyse du besoin et les éléments reçus des financeurs."),
    5: _("La façon dont les objectifs sont formulés avec la personne et revus en cours de bilan."),
    6: _("Le déroulé type du bilan, les outils et méthodes utilisés."),
    9: _("Le livret d'accueil, le règlement intérieur et les informations données avant le bilan."),
    10: _("La procédure d'adaptation du bilan et les traces des adaptations faites."),
    11: _("La façon dont l'atteinte des objectifs est évaluée avec la personne en fin de bilan."),
    12: _("La procédure en cas d'absence ou d'abandon et les relances faites."),
    17: _("La description des locaux, des moyens techniques et de l'organisation."),
    18: _("L'organisation de la coordination entre consultant·es et intervenant·es."),
    19: _("La liste des ressources mises à la disposition des personnes."),
    21: _("Les CV, diplômes et attestations de formation des consultant·es."),
    22: _("Le plan de développement des compétences et ses justificatifs."),
    23: _("La veille légale et réglementaire : sources, fréquence, traces de son exploitation."),
    24: _("La veille sur les métiers, les emplois et les compétences, et son exploitation."),
    25: _("La veille sur les innovations pédagogiques et technologiques, et son exploitation."),
    26: _("Le nom du ou de la référent·e handicap, le réseau de partenaires et les adaptations."),
    27: _("Les contrats de sous-traitance ou de portage et leur suivi (sans objet sinon)."),
    30: _("Les appréciations des financeurs, des employeurs et des équipes, et leur analyse."),
    31: _("La procédure de traitement des réclamations et des difficultés."),
    32: _("Le plan d'amélioration et les suites données aux appréciations et réclamations."),
}

# Why the ten others do not apply to bilans (docs/adr/0033 names the texts read).
CERTIFICATION = _("Concerne les prestations qui préparent à une certification.")
APPRENTICESHIP = _("Concerne les formations en alternance et l'apprentissage.")

NOT_APPLICABLE = {
    3: CERTIFICATION,
    7: CERTIFICATION,
    8: _("Concerne le positionnement à l'entrée d'une formation."),
    13: APPRENTICESHIP,
    14: APPRENTICESHIP,
    15: APPRENTICESHIP,
    16: CERTIFICATION,
    20: APPRENTICESHIP,
    28: APPRENTICESHIP,
    29: APPRENTICESHIP,
}


def applicable() -> tuple[Indicator, ...]:
    """The 22 indicators that apply to bilans de compétences, in their order."""
    return tuple(indicator for indicator in INDICATORS if indicator.applies_to_bilans)


def indicator(number: int) -> Indicator:
    """Indicator `number`; KeyError when there is none."""
    for candidate in INDICATORS:
        if candidate.number == number:
            return candidate
    raise KeyError(number)
