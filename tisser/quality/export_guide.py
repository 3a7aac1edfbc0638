"""What the auditor's export says beside the evidence (ADR 0039): for each indicator that
applies to bilans, what the organisme must bring itself, since Tisser does not hold it; for
the others, why they do not apply. Short forms, written for the index PDFs."""

from django.utils.translation import gettext_lazy as _

# Indicator → what the organisme supplies itself (procedures, documents outside Tisser).
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

CERTIFICATION = _("Concerne les prestations qui préparent à une certification.")
APPRENTICESHIP = _("Concerne les formations en alternance et l'apprentissage.")

# Indicator that does not apply to bilans → why.
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
