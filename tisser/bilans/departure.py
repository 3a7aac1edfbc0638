"""A person who leaves (ADR 0019): the working documents of their (ended) bilans go — the
same kinds R6313-7 destroys at the end, the synthèse and what the exceptions kept included,
since the person's leaving ends the need — and the free texts written around them. What
stays is the management data the organisme must keep: the bilan itself (dates, phases,
hours, funding, how it ended), the consent record, the entretiens and their émargements, the
convention or contract, the follow-up appointment's date and the satisfaction answers
without their comment."""

from functools import reduce
from operator import or_

from django.utils.translation import gettext_lazy as _

from tisser.bilans.models import Bilan, FollowUp, SatisfactionResponse
from tisser.bilans.working_documents import working_document_models, working_documents
from tisser.core.departure_counts import Going
from tisser.core.personal_data import register_departure, register_departure_goings


@register_departure(
    "bilans",
    label=_(
        "Les documents de travail des bilans : parcours, réussites, portefeuille, besoins et "
        "contraintes, pistes, projets, notes privées, comptes rendus d'entretien, document de "
        "synthèse et ses partages, commentaires de satisfaction"
    ),
    covers=working_document_models("bilans"),
)
def bilans_departure(*, user) -> dict[str, int]:
    """Every kind of working document the destruction at the end knows
    (`tisser.bilans.working_documents`), for each of the person's bilans, exceptions
    included; then the free texts written around them."""
    counts: dict[str, int] = {}
    for bilan in Bilan.objects.filter(beneficiary=user).order_by("pk"):
        for entry in working_documents():
            destroyed = entry.destroy(bilan)
            if destroyed:
                counts[f"bilans.{entry.kind}"] = counts.get(f"bilans.{entry.kind}", 0) + destroyed
    # The follow-up's notes are a working document, emptied above: its message is left.
    cleared = (
        FollowUp.objects.filter(bilan__beneficiary=user)
        .exclude(message="")
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


@register_departure_goings("bilans")
def bilans_goings(*, user) -> list[Going]:
    """What `bilans_departure` removes: each kind's rows over all the person's bilans (one
    query per kind), counted alone as `WorkingDocuments.destroy` counts them; then the texts
    it empties."""
    bilans = list(Bilan.objects.filter(beneficiary=user).order_by("pk"))
    goings = []
    for entry in working_documents() if bilans else ():
        rows = reduce(or_, (entry.present(bilan) for bilan in bilans))
        goings.append(Going(rows, with_cascade=False, cleared=bool(entry.clear)))
    return [
        *goings,
        Going(FollowUp.objects.filter(bilan__beneficiary=user).exclude(message=""), cleared=True),
        Going(
            SatisfactionResponse.objects.filter(bilan__beneficiary=user).exclude(comment=""),
            cleared=True,
        ),
    ]
