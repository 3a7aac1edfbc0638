from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from tisser.referentiel.models import Metier, RomeVersion
from tisser.referentiel.search import search_metiers

router = Router(tags=["métiers"])


class MetierHit(Schema):
    code_rome: str
    libelle: str
    score: float
    matched_label: str
    """The title or appellation that matched; empty when found by description."""
    words: list[str] = []
    """Found by what the query describes (ADR 0040): the query's words that led to it."""


class MetierSummary(Schema):
    code_rome: str
    libelle: str
    definition: str
    appellations: list[str]
    source: str


@router.get("/", response=list[MetierHit], summary="Rechercher un métier (ROME 4.0)")
def metier_search(request, q: str = "", limit: int = 10):
    limit = max(1, min(limit, 50))
    return [
        MetierHit(
            code_rome=hit.code_rome,
            libelle=hit.libelle,
            score=hit.score,
            matched_label=hit.matched_label,
            words=list(hit.words),
        )
        for hit in search_metiers(q[:200], limit=limit)
    ]


@router.get("/{code_rome}", response=MetierSummary, summary="Une fiche métier (ROME 4.0)")
def metier_detail(request, code_rome: str):
    metier = get_object_or_404(
        Metier.objects.visible_to(request.user).prefetch_related("appellations"),
        code_rome=code_rome.upper(),
    )
    return MetierSummary(
        code_rome=metier.code_rome,
        libelle=metier.libelle,
        definition=metier.definition,
        appellations=sorted(a.libelle for a in metier.appellations.all()),
        source=RomeVersion.objects.current().attribution,
    )
