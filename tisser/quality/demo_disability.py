"""Demo data for indicator 26 (ADR 0037): Camille's bilan has no need for adaptation; six
other open bilans of the demo organisme have one, written by the person or by her consultant
with her agreement, and adaptations made — so that the coordinator's counts show (shorter
sessions) and one kind is withheld (remote sessions: 2 people). Through the services;
idempotent: a bilan that has a need keeps it."""

from datetime import timedelta

from django.utils import timezone

from tisser.bilans import services as bilans
from tisser.bilans.models import AdaptationKind, Bilan, BilanAdaptation, Phase
from tisser.core.demo import Demo, register

CAMILLE = "camille.roussel@"

# (who writes it, the need in the person's words, the adaptations made)
NEEDS = (
    (
        "beneficiary",
        "Des entretiens d'une heure au plus, avec une pause au milieu.",
        (AdaptationKind.SHORTER_SESSIONS,),
    ),
    (
        "consultant",
        "Les documents à lire en gros caractères, envoyés avant l'entretien.",
        (AdaptationKind.LARGE_PRINT, AdaptationKind.SHORTER_SESSIONS),
    ),
    (
        "beneficiary",
        "Pouvoir faire une partie des entretiens depuis chez moi.",
        (AdaptationKind.REMOTE, AdaptationKind.SHORTER_SESSIONS),
    ),
    (
        "consultant",
        "Plus de temps pour les questionnaires, sans minuterie.",
        (AdaptationKind.MORE_TIME, AdaptationKind.SHORTER_SESSIONS),
    ),
    (
        "beneficiary",
        "Venir avec la personne qui m'accompagne d'habitude.",
        (AdaptationKind.ACCOMPANYING_PERSON, AdaptationKind.SHORTER_SESSIONS),
    ),
    (
        "beneficiary",
        "Une salle au rez-de-chaussée, et des entretiens à distance l'hiver.",
        (AdaptationKind.ACCESSIBLE_ROOM, AdaptationKind.REMOTE),
    ),
)


def disability_demo(demo: Demo) -> int:
    """Needs on up to six open bilans other than Camille's; how many were written now."""
    candidates = (
        Bilan.objects.filter(organisation=demo.organisation)
        .exclude(status=Phase.CLOSED)
        .exclude(beneficiary__email__startswith=CAMILLE)
        .select_related("beneficiary", "consultant", "organisation")
        .order_by("pk")
    )
    candidates = list(candidates[: len(NEEDS)])
    already = set(
        BilanAdaptation.objects.filter(bilan__in=candidates).values_list("bilan_id", flat=True)
    )
    today = timezone.localdate()
    written = 0
    for bilan, (by, need, kinds) in zip(candidates, NEEDS, strict=False):
        if bilan.pk in already:
            continue
        actor = bilan.beneficiary if by == "beneficiary" else bilan.consultant
        record = bilans.adaptation_need_save(
            actor=actor,
            bilan=bilan,
            need=need,
            consent_on=today - timedelta(days=7) if by == "consultant" else None,
            expected_version=0,
        )
        for kind in kinds:
            bilans.adaptation_measure_add(
                consultant=bilan.consultant,
                bilan=bilan,
                kind=kind,
                detail="",
                started_on=today - timedelta(days=3),
                expected_version=record.version,
            )
        written += 1
    return written


@register("quality_disability", order=197, after=("bilan_timeline",))
def disability_seed(demo: Demo) -> None:
    if disability_demo(demo):
        demo.notes.append(
            "Handicap (indicateur 26) : besoins d'aménagement sur quelques bilans, "
            "chiffres pour la coordination sur /qualite/handicap/."
        )
