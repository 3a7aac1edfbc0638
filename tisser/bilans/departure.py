"""A person who leaves (ADR 0019): the working documents of their (ended) bilans go — the
same kinds R6313-7 destroys at the end, the synthèse and what the exceptions kept included,
since the person's leaving ends the need — and the free texts written around them. What
stays is the management data the organisme must keep: the bilan itself (dates, phases,
hours, funding, how it ended), the consent record, the entretiens and their émargements, the
convention or contract, the follow-up appointment's date and the satisfaction answers
without their comment."""

from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import (
    Achievement,
    Aspirations,
    DismissedFiche,
    Experience,
    FollowUp,
    PortfolioItem,
    Project,
    SatisfactionResponse,
    SessionNote,
    ShortlistEntry,
    SynthesisDocument,
)
from tisser.core.departure_counts import add_deleted
from tisser.core.personal_data import register_departure
from tisser.meetings.models import Occurrence

WORKING_DOCUMENTS = (
    Experience,
    Achievement,
    PortfolioItem,
    Aspirations,
    ShortlistEntry,
    DismissedFiche,
    Project,
    SessionNote,
    SynthesisDocument,
)


@register_departure(
    "bilans",
    label=_(
        "Les documents de travail des bilans : parcours, réussites, portefeuille, besoins et "
        "contraintes, pistes, projets, notes privées, comptes rendus d'entretien, document de "
        "synthèse et ses partages, commentaires de satisfaction"
    ),
    covers=tuple(model._meta.label for model in WORKING_DOCUMENTS),
)
def bilans_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in WORKING_DOCUMENTS:
        add_deleted(counts, model.objects.filter(bilan__beneficiary=user).delete())
    cleared = (
        Occurrence.objects.filter(series__bilan_session__bilan__beneficiary=user)
        .exclude(notes="", decisions="")
        .update(notes="", decisions="")
    )
    cleared += (
        FollowUp.objects.filter(bilan__beneficiary=user)
        .exclude(notes="", message="")
        .update(notes="", message="")
    )
    cleared += (
        SatisfactionResponse.objects.filter(bilan__beneficiary=user)
        .exclude(comment="")
        .update(comment="")
    )
    if cleared:
        counts["bilans.texts_cleared"] = cleared
    return counts
