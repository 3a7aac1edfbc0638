"""Where the beneficiary is in their bilan and what comes next ("Mon bilan").

A read-model: from what the bilan already holds, the few things worth doing now, in the order
the law and the method suggest (consent, then the starting point on isolation, then the
investigation tools, exploration and a project, then the synthèse and what follows the bilan).
It never blocks anything: every tool stays reachable from the page."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    Experience,
    FollowUp,
    Phase,
    PortfolioItem,
    Project,
    ShortlistEntry,
    SynthesisDocument,
    SynthesisStatus,
)


@dataclass(frozen=True)
class NextStep:
    label: Promise
    url: str


def _inventory_done(bilan: Bilan, kind: str) -> bool:
    return InventoryResponse.objects.filter(user=bilan.beneficiary, kind=kind).exists()


def _isolation_done(bilan: Bilan, moment: str) -> bool:
    return IsolationCheck.objects.filter(user=bilan.beneficiary, moment=moment).exists()


def _isolation_url(moment: str) -> str:
    return f"{reverse('assessments:isolation_start')}?moment={moment}"


def _investigation_steps(bilan: Bilan) -> list[NextStep]:
    pk = bilan.pk
    todo = [
        (
            Experience.objects.filter(bilan=bilan).exists(),
            _("Retracer votre parcours"),
            reverse("bilans:parcours", args=[pk]),
        ),
        (
            Achievement.objects.filter(bilan=bilan).exists(),
            _("Raconter une réussite"),
            reverse("bilans:achievements", args=[pk]),
        ),
        (
            _inventory_done(bilan, InventoryResponse.Kind.INTERESTS),
            _("Explorer vos centres d'intérêt"),
            reverse("inventories:interests_take"),
        ),
        (
            _inventory_done(bilan, InventoryResponse.Kind.VALUES),
            _("Préciser vos valeurs et motivations"),
            reverse("inventories:values_take"),
        ),
        (
            PortfolioItem.objects.filter(bilan=bilan).exists(),
            _("Compléter votre portefeuille de compétences"),
            reverse("bilans:portfolio", args=[pk]),
        ),
        (
            Aspirations.objects.filter(bilan=bilan).exists(),
            _("Dire vos besoins et aspirations"),
            reverse("bilans:aspirations", args=[pk]),
        ),
        (
            ShortlistEntry.objects.filter(bilan=bilan).exists(),
            _("Découvrir des pistes de métiers et en retenir"),
            reverse("bilans:pistes", args=[pk]),
        ),
        (
            Project.objects.filter(bilan=bilan).exists(),
            _("Formuler un projet"),
            reverse("bilans:projects", args=[pk]),
        ),
    ]
    return [NextStep(label, url) for done, label, url in todo if not done]


def _has_mentoring(bilan: Bilan) -> bool:
    """After the bilan: a mentor is sought or found (needs described, or a mentorship)."""
    from tisser.mentoring.models import MenteeProfile, Mentorship

    beneficiary = bilan.beneficiary_id
    return (
        MenteeProfile.objects.filter(user_id=beneficiary).exists()
        or Mentorship.objects.filter(mentee_id=beneficiary).exists()
    )


def next_steps(bilan: Bilan, *, has_consent: bool, limit: int = 3) -> list[NextStep]:
    """At most `limit` things to do now, most pressing first."""
    pk = bilan.pk
    steps: list[NextStep] = []
    if bilan.status == Phase.CLOSED:
        from tisser.bilans.services import satisfaction_steps

        for step in satisfaction_steps(bilan):
            if step.is_open and step.answered_at is None:
                steps.append(
                    NextStep(
                        _("Donner votre avis sur le bilan"),
                        reverse("bilans:satisfaction", args=[pk, step.slug]),
                    )
                )
        if FollowUp.objects.filter(bilan=bilan, status=FollowUp.Status.PROPOSED).exists():
            steps.append(
                NextStep(
                    _("Répondre à la proposition d'entretien de suivi"),
                    reverse("bilans:followup", args=[pk]),
                )
            )
        if not _isolation_done(bilan, IsolationCheck.Moment.END):
            steps.append(
                NextStep(
                    _("Refaire le point sur votre isolement"),
                    _isolation_url(IsolationCheck.Moment.END),
                )
            )
        if not _has_mentoring(bilan):
            steps.append(
                NextStep(
                    _("Trouver un·e mentor pour passer à l'action"),
                    reverse("mentoring:home"),
                )
            )
        return steps[:limit]
    if not has_consent:
        return [NextStep(_("Lire et donner votre consentement"), "#consent-title")]
    if not _isolation_done(bilan, IsolationCheck.Moment.START):
        steps.append(
            NextStep(
                _("Faire le point sur votre isolement (début du bilan)"),
                _isolation_url(IsolationCheck.Moment.START),
            )
        )
    synthesis = SynthesisDocument.objects.filter(bilan=bilan).only("status").first()
    if synthesis is not None and synthesis.status == SynthesisStatus.SUBMITTED:
        steps.insert(
            0,
            NextStep(
                _("Relire et valider votre document de synthèse"),
                reverse("bilans:synthesis_mine", args=[pk]),
            ),
        )
    if bilan.status in (Phase.INVESTIGATION, Phase.CONCLUSION):
        steps.extend(_investigation_steps(bilan))
    return steps[:limit]
