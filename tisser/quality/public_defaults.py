"""The offer's first draft, written from the bilan's own rules as Tisser applies them, for the
coordinator to edit before publishing (issue #18, ADR 0038).

These are the organisme's words once saved, not the interface's: kept in French, as the public
pages of a French organisme are, and not translated (a coordinator who reads Tisser in English
still publishes a French page)."""

from tisser.quality.models.public import MAX_DURATION_HOURS

DEFAULTS: dict[str, object] = {
    "objectives": (
        "Le bilan de compétences permet d'analyser vos compétences professionnelles et "
        "personnelles, vos aptitudes et vos motivations, afin de définir un projet "
        "professionnel et, le cas échéant, un projet de formation (Code du travail, "
        "article L6313-4). Il se fait avec votre accord, et ses résultats vous appartiennent."
    ),
    "duration_hours": MAX_DURATION_HOURS,
    "duration_details": (
        "24 heures au plus (Code du travail, article R6313-4), réparties sur 6 à 12 semaines "
        "selon votre disponibilité, en trois phases :\n"
        "— une phase préliminaire : analyser votre demande et votre besoin, choisir le format "
        "le plus adapté, définir ensemble le déroulement du bilan ;\n"
        "— une phase d'investigation : construire votre projet professionnel et en vérifier "
        "la pertinence, ou élaborer une ou plusieurs alternatives ;\n"
        "— une phase de conclusions, en entretiens personnalisés : vous approprier les "
        "résultats, recenser les conditions et les moyens de votre projet, prévoir ses "
        "principales étapes, dont un entretien de suivi si vous le souhaitez.\n"
        "Entretiens individuels en présentiel ou à distance, et travail personnel entre les "
        "entretiens."
    ),
    "prerequisites": "Aucun prérequis : le bilan est ouvert à toute personne active.",
    "access_delay": (
        "Un premier entretien d'information, gratuit et sans engagement, sous 7 jours après "
        "votre demande. Le bilan commence ensuite à la date convenue ensemble : en général "
        "sous 2 à 4 semaines."
    ),
    "price_amount": None,
    "price_details": (
        "Le tarif d'un bilan est indiqué avant toute inscription, dans la proposition et la "
        "convention ou le contrat ; aucun frais ne vous est demandé pour le premier entretien."
    ),
    "funding_cpf": True,
    "funding_employer": True,
    "funding_opco": True,
    "funding_france_travail": True,
    "methods": (
        "Entretiens individuels avec votre consultant·e, questionnaires d'intérêts et de "
        "valeurs, exploration des métiers (fiches ROME de France Travail), enquêtes auprès de "
        "professionnel·les, travail sur votre réseau, et, si vous le souhaitez, un mentorat et "
        "un groupe de pairs. Vos documents de travail sont détruits à la fin du bilan (Code du "
        "travail, article R6313-7)."
    ),
    "evaluation": (
        "Le bilan se conclut par un document de synthèse rédigé avec vous, qui vous appartient "
        "et n'est communiqué à personne sans votre accord (Code du travail, article L6313-4). "
        "Vous évaluez le bilan à sa fin par un questionnaire de satisfaction, puis six mois "
        "plus tard."
    ),
    "accessibility": (
        "Nos entretiens peuvent se tenir à distance et nos locaux sont accessibles aux "
        "personnes à mobilité réduite. Pour toute situation de handicap, notre référent "
        "handicap étudie avec vous les adaptations possibles avant le début du bilan."
    ),
    "contacts": "Pour toute question ou pour prendre rendez-vous, écrivez-nous ou appelez-nous.",
}
