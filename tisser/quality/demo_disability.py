"""Demo data for indicator 26 (ADR 0037): Camille's bilan has no need for adaptation; six
other open bilans of the demo organisme have one, written by the person or by her consultant
with her agreement, and adaptations made — so that the coordinator's counts show (shorter
sessions) and one kind is withheld (remote sessions: 2 people). Through the services;
idempotent: a bilan that has a need keeps it."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tisser.accounts.models import Membership
from tisser.bilans import services as bilans
from tisser.bilans.models import AdaptationKind, Bilan, BilanAdaptation, Funding, Phase
from tisser.core.demo import Demo, register
from tisser.core.enums import Role

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


def _open_bilans(demo: Demo) -> QuerySet[Bilan]:
    """The demo organisme's open bilans, Camille's aside, oldest first."""
    return (
        Bilan.objects.filter(organisation=demo.organisation)
        .exclude(status=Phase.CLOSED)
        .exclude(beneficiary__email__startswith=CAMILLE)
        .select_related("beneficiary", "consultant", "organisation")
        .order_by("pk")
    )


def _more_open_bilans(demo: Demo, wanted: int) -> None:
    """Open bilans (through `bilan_open`, by the consultant who invited the person) for
    demo beneficiaries without an open bilan, Camille aside, until `wanted` are open."""
    if wanted <= 0:
        return
    running = set(
        Bilan.objects.filter(organisation=demo.organisation)
        .exclude(status=Phase.CLOSED)
        .values_list("beneficiary_id", flat=True)
    )
    for membership in (
        Membership.objects.filter(
            organisation=demo.organisation,
            role=Role.BENEFICIARY,
            invited_by__isnull=False,
        )
        .exclude(user__email__startswith=CAMILLE)
        .exclude(user_id__in=running)
        .select_related("user", "invited_by")
        .order_by("pk")
    ):
        consultant = membership.invited_by
        if wanted <= 0:
            return
        if (
            consultant is None
            or not Membership.objects.filter(
                user=consultant,
                organisation=demo.organisation,
                role=Role.CONSULTANT,
            ).exists()
        ):
            continue
        bilans.bilan_open(consultant=consultant, beneficiary=membership.user, funding=Funding.CPF)
        wanted -= 1


def disability_demo(demo: Demo) -> int:
    """Needs on six open bilans other than Camille's (opened for the purpose when the demo
    has fewer); how many were written now."""
    _more_open_bilans(demo, len(NEEDS) - _open_bilans(demo).count())
    candidates = list(_open_bilans(demo)[: len(NEEDS)])
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
