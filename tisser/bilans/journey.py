"""Where the beneficiary is in their bilan and what comes next ("Mon bilan").

A read-model: from what the bilan already holds, the few things worth doing now, in the order
the law and the method suggest (consent, then the starting point on isolation, then the
investigation tools, exploration and a project, then the synthèse and what follows the bilan).
It never blocks anything: every tool stays reachable from the page.

What comes after the bilan in the apps above this one (a mentor, for instance) plugs in with
`register_after_bilan_step`, from a module the app's `AppConfig.ready()` imports: the bilans
do not import them (ADR 0009)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tisser.assessments.models import InventoryResponse, IsolationCheck
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    Convention,
    Experience,
    FollowUp,
    Outcome,
    Phase,
    PortfolioItem,
    PreliminaryRecord,
    Project,
    ShortlistEntry,
    SynthesisDocument,
    SynthesisStatus,
)
from tisser.bilans.services.convention import (
    ConventionState,
    convention_applies,
    convention_status,
)
from tisser.bilans.services.final import final_download_open
from tisser.bilans.services.satisfaction import satisfaction_steps
from tisser.core.compiled import CompiledRead
from tisser.core.dates import french_date


@dataclass(frozen=True)
class NextStep:
    label: Promise | str
    url: str


AfterBilanStep = Callable[[Bilan], NextStep | None]

_after_bilan_steps: list[AfterBilanStep] = []


def register_after_bilan_step(step: AfterBilanStep) -> AfterBilanStep:
    """Offer `step(bilan)` once the bilan is closed, after the bilan's own steps (in the order
    of registration, that is of INSTALLED_APPS); it returns None when there is nothing to do.
    Usable as a decorator."""
    if step not in _after_bilan_steps:
        _after_bilan_steps.append(step)
    return step


def _isolation_done(bilan: Bilan, moment: str) -> bool:
    # By id: the beneficiary is not read for this.
    return IsolationCheck.objects.filter(user_id=bilan.beneficiary_id, moment=moment).exists()


def _isolation_url(moment: str) -> str:
    return f"{reverse('assessments:isolation_start')}?moment={moment}"


def _investigation_done_query(bilan_id: int):
    of_bilan = {"bilan": OuterRef("pk")}
    of_person = {"user": OuterRef("beneficiary")}
    return Bilan.objects.filter(pk=bilan_id).values(
        has_isolation_start=Exists(
            IsolationCheck.objects.filter(**of_person, moment=IsolationCheck.Moment.START)
        ),
        has_experience=Exists(Experience.objects.filter(**of_bilan)),
        has_achievement=Exists(Achievement.objects.filter(**of_bilan)),
        has_interests=Exists(
            InventoryResponse.objects.filter(**of_person, kind=InventoryResponse.Kind.INTERESTS)
        ),
        has_values=Exists(
            InventoryResponse.objects.filter(**of_person, kind=InventoryResponse.Kind.VALUES)
        ),
        has_portfolio=Exists(PortfolioItem.objects.filter(**of_bilan)),
        has_aspirations=Exists(Aspirations.objects.filter(**of_bilan)),
        has_shortlist=Exists(ShortlistEntry.objects.filter(**of_bilan)),
        has_project=Exists(Project.objects.filter(**of_bilan)),
    )


# Its nine EXISTS took longer to compile than to run: compiled once per process.
_INVESTIGATION_DONE = CompiledRead(_investigation_done_query, "bilan_id")


def _investigation_done(bilan: Bilan) -> dict[str, bool]:
    """What the beneficiary has already done of the investigation, and whether they took the
    isolation check of the start, in one query (nine EXISTS)."""
    (row,) = _INVESTIGATION_DONE.rows(bilan_id=bilan.pk)
    return {name: bool(value) for name, value in row.items()}


def _investigation_steps(bilan: Bilan, done: dict[str, bool] | None = None) -> list[NextStep]:
    """The investigation tools not used yet; `done` when read already (`_investigation_done`)."""
    pk = bilan.pk
    if done is None:
        done = _investigation_done(bilan)
    todo = [
        (
            done["has_experience"],
            _("Retracer votre parcours"),
            ("bilans:parcours", [pk]),
        ),
        (
            done["has_achievement"],
            _("Raconter une réussite"),
            ("bilans:achievements", [pk]),
        ),
        (
            done["has_interests"],
            _("Explorer vos centres d'intérêt"),
            ("inventories:interests_take", []),
        ),
        (
            done["has_values"],
            _("Préciser vos valeurs et motivations"),
            ("inventories:values_take", []),
        ),
        (
            done["has_portfolio"],
            _("Compléter votre portefeuille de compétences"),
            ("bilans:portfolio", [pk]),
        ),
        (
            done["has_aspirations"],
            _("Dire vos besoins et aspirations"),
            ("bilans:aspirations", [pk]),
        ),
        (
            done["has_shortlist"],
            _("Découvrir des pistes de métiers et en retenir"),
            ("bilans:pistes", [pk]),
        ),
        (
            done["has_project"],
            _("Formuler un projet"),
            ("bilans:projects", [pk]),
        ),
    ]
    # Only the steps still to do are given an address.
    return [
        NextStep(label, reverse(url_name, args=args))
        for is_done, label, (url_name, args) in todo
        if not is_done
    ]


# Said for a record `next_steps` should read itself (the caller has not read it).
UNREAD: Any = object()


def next_steps(
    bilan: Bilan,
    *,
    has_consent: bool,
    limit: int = 3,
    synthesis: SynthesisDocument | None = UNREAD,
    preliminary: PreliminaryRecord | None = UNREAD,
    convention: Convention | None = UNREAD,
) -> list[NextStep]:
    """At most `limit` things to do now, most pressing first. A page that has already read
    the bilan's synthèse, preliminary record or convention passes it (None: there is none),
    so that it is not read twice."""
    pk = bilan.pk
    steps: list[NextStep] = []
    if bilan.status == Phase.CLOSED:
        if final_download_open(bilan):
            # R6313-7: the working documents are destroyed the day after the end; keeping a
            # copy comes first.
            steps.append(
                NextStep(
                    _("Télécharger vos documents avant leur destruction"),
                    reverse("bilans:final_download", args=[pk]),
                )
            )
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
        # Mentoring and peer groups follow a bilan carried to its term, not one the person
        # stopped or that was interrupted.
        if bilan.outcome in ("", Outcome.COMPLETED):
            for after_bilan_step in _after_bilan_steps:
                step = after_bilan_step(bilan)
                if step is not None:
                    steps.append(step)
        return steps[:limit]
    if not has_consent:
        return [NextStep(_("Lire et donner votre consentement"), "#consent-title")]
    if convention_applies(bilan):
        if convention is UNREAD:
            convention = Convention.objects.filter(bilan=bilan).first()
        status = convention_status(convention)
        if status.state == ConventionState.AWAITING:
            # R6313-8: ten days to sign, silence is a refusal: the one step with a deadline.
            steps.append(
                NextStep(
                    _("Accepter la convention en la signant, avant le %(date)s")
                    % {"date": french_date(status.deadline, "j F Y")},
                    reverse("bilans:mine") + "#convention-deadline",
                )
            )
    if preliminary is UNREAD:
        preliminary = PreliminaryRecord.objects.filter(bilan=bilan).first()
    if preliminary is not None and preliminary.acknowledged_at is None:
        steps.append(
            NextStep(
                _("Lire et approuver le cadre de votre bilan"),
                reverse("bilans:preliminary_mine", args=[pk]),
            )
        )
    investigating = bilan.status in (Phase.INVESTIGATION, Phase.CONCLUSION)
    # In those phases the start's isolation check is read with the investigation tools.
    done = _investigation_done(bilan) if investigating else None
    isolation_done = (
        done["has_isolation_start"]
        if done is not None
        else _isolation_done(bilan, IsolationCheck.Moment.START)
    )
    if not isolation_done:
        steps.append(
            NextStep(
                _("Faire le point sur votre isolement (début du bilan)"),
                _isolation_url(IsolationCheck.Moment.START),
            )
        )
    if synthesis is UNREAD:
        synthesis = SynthesisDocument.objects.filter(bilan=bilan).only("status").first()
    if synthesis is not None and synthesis.status == SynthesisStatus.SUBMITTED:
        steps.insert(
            0,
            NextStep(
                _("Relire et valider votre document de synthèse"),
                reverse("bilans:synthesis_mine", args=[pk]),
            ),
        )
    if investigating:
        steps.extend(_investigation_steps(bilan, done))
    return steps[:limit]
