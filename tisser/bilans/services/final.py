"""Before a bilan's documents go (R6313-7): the person takes what is theirs — the synthèse PDF
and a readable "résultats détaillés" PDF of their work (L6313-4: they are the recipient of the
detailed results and of the synthèse) — and may agree in writing to keep some documents for
their follow-up, one year after the end at most (`KeepAgreement`)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.assessments import riasec, values
from tisser.assessments.models import InventoryResponse
from tisser.bilans.models import (
    EXCEPTION_MAX_DAYS,
    Bilan,
    FinalDownload,
    KeepAgreement,
    Phase,
    PhaseTransition,
    RenderedPdf,
)
from tisser.bilans.services.rendered_pdf import bilan_pdf, bilan_pdf_filename
from tisser.bilans.working_documents import inventories_of, kind_choices
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.versioning import version_bump


def _require_beneficiary(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.pk == bilan.beneficiary_id):
        raise PermissionDenied


def final_download_open(bilan: Bilan) -> bool:
    """The final download stays open while the bilan runs and until its documents are all
    destroyed."""
    return bilan.purged_at is None


def final_download_offered_at(bilan: Bilan):
    """When the final download was offered: from the start of the conclusion phase (when the
    person's page puts it first), or the end for a bilan that stopped earlier."""
    transition = (
        PhaseTransition.objects.filter(bilan=bilan, to_phase=Phase.CONCLUSION)
        .order_by("at", "id")
        .first()
    )
    if transition is not None:
        return transition.at
    return bilan.closed_at


def final_download_record(*, actor: User, bilan: Bilan, kind: str) -> FinalDownload:
    """Record that the beneficiary downloaded one of their final documents (only theirs are
    counted: a consultant downloading the synthèse is not the person taking it)."""
    _require_beneficiary(actor, bilan)
    with transaction.atomic():
        download = FinalDownload.objects.create(bilan=bilan, kind=kind, at=timezone.now())
        audit_record(
            actor=actor,
            action="bilan.final_download",
            target=bilan,
            organisation=bilan.organisation,
            data={"kind": kind},
        )
    return download


# --- The "résultats détaillés" PDF ------------------------------------------------------------


def _inventory_results(bilan: Bilan) -> list[dict]:
    """The last result of each inventory taken during the bilan, in words."""
    results = []
    for kind in (InventoryResponse.Kind.INTERESTS, InventoryResponse.Kind.VALUES):
        response = inventories_of(bilan).filter(kind=kind).order_by("-created_at", "-id").first()
        if response is None:
            continue
        if kind == InventoryResponse.Kind.INTERESTS:
            rows = [
                (riasec.type_by_letter(letter).title, score)
                for letter, score in riasec.ranking(response.scores)
            ]
        else:
            rows = [
                (values.value_by_id(value_id).title, score)
                for value_id, score in values.ranking(response.scores)
            ]
        results.append(
            {"title": response.get_kind_display(), "taken_at": response.created_at, "rows": rows}
        )
    return results


def results_pdf_context(bilan: Bilan) -> dict:
    return {
        "bilan": bilan,
        "organisation": bilan.organisation,
        "document_title": _("Résultats détaillés de mon bilan de compétences"),
        "experiences": bilan.experiences.order_by("-started_on", "id"),
        "achievements": bilan.achievements.order_by("id"),
        "portfolio": bilan.portfolio.order_by("kind", "-level", "label"),
        "aspirations": getattr(bilan, "aspirations", None),
        "inventories": _inventory_results(bilan),
        "shortlist": bilan.shortlist.select_related("metier").order_by("added_at", "id"),
        "projects": bilan.projects.prefetch_related("steps", "checks").order_by("-preferred", "id"),
        "issued_at": timezone.now(),
    }


def results_pdf(*, actor: User, bilan: Bilan) -> bytes:
    """The beneficiary's "résultats détaillés": a readable PDF of their work during the bilan
    (parcours, réussites, portfolio, inventories' results, aspirations, métiers to explore,
    projects and their steps). Rendered on request; its last rendering is kept while what it
    prints is unchanged (`bilan_pdf`), and destroyed with the working documents it is made
    of. The download is recorded."""
    _require_beneficiary(actor, bilan)
    if not final_download_open(bilan):
        raise PermissionDenied
    content = bilan_pdf(
        bilan=bilan,
        kind=RenderedPdf.Kind.RESULTS,
        template_name="documents/results.html",
        context=results_pdf_context(bilan),
    )
    final_download_record(actor=actor, bilan=bilan, kind=FinalDownload.Kind.RESULTS)
    return content


def results_pdf_filename(bilan: Bilan) -> str:
    return bilan_pdf_filename(kind="resultats-detailles", bilan=bilan)


# --- The written agreement to keep documents for the follow-up --------------------------------


@dataclass(frozen=True)
class AgreementInput:
    kinds: list[str]
    need: str
    until: date | None = None


def keep_agreement_latest_day(bilan: Bilan, today: date | None = None) -> date:
    """The latest day an agreement may name: one year after the end (R6313-7); while the
    bilan runs, one year from today (the cap from the end still applies)."""
    if bilan.closed_at is not None:
        return timezone.localdate(bilan.closed_at) + timedelta(days=EXCEPTION_MAX_DAYS)
    return (today or timezone.localdate()) + timedelta(days=EXCEPTION_MAX_DAYS)


def keep_agreement_give(
    *, beneficiary: User, bilan: Bilan, agreement: AgreementInput
) -> KeepAgreement:
    """Record the beneficiary's written agreement to keep the documents they name, for the
    follow-up need they describe, until a day at most one year after the end. The
    beneficiary only; not once the documents are gone."""
    _require_beneficiary(beneficiary, bilan)
    if not final_download_open(bilan):
        raise ValidationError(
            _("Les documents de ce bilan ont déjà été détruits : il n'y a plus rien à conserver."),
            code="destroyed",
        )
    today = timezone.localdate()
    known = {kind for kind, _label in kind_choices()}
    errors: dict[str, list[str]] = {}
    if not agreement.kinds:
        errors["kinds"] = [_("Cochez au moins un document à conserver.")]
    elif not set(agreement.kinds) <= known:
        errors["kinds"] = [_("Choisissez parmi les documents proposés.")]
    if not agreement.need.strip():
        errors["need"] = [
            _("Dites, avec vos mots, pourquoi votre suivi a besoin de ces documents.")
        ]
    if agreement.until is not None:
        latest = keep_agreement_latest_day(bilan, today)
        if agreement.until < today:
            errors["until"] = [_("Choisissez une date à venir.")]
        elif agreement.until > latest:
            errors["until"] = [
                _(
                    "La loi limite la conservation à un an après la fin du bilan : au plus tard "
                    "le %(date)s."
                )
                % {"date": french_date(latest)}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        kept = KeepAgreement.objects.create(
            bilan=bilan,
            kinds=[kind for kind, _label in kind_choices() if kind in set(agreement.kinds)],
            need=agreement.need.strip(),
            until=agreement.until,
            given_at=timezone.now(),
            given_by=beneficiary,
        )
        audit_record(
            actor=beneficiary,
            action="bilan.keep_agreement_give",
            target=kept,
            organisation=bilan.organisation,
            data={"kinds": kept.kinds, "until": agreement.until and agreement.until.isoformat()},
        )
    return kept


def keep_agreement_withdraw(
    *, beneficiary: User, agreement: KeepAgreement, expected_version: int
) -> KeepAgreement:
    """Withdraw an agreement (its beneficiary only): the documents it kept go with the next
    daily run if the bilan has ended. StaleVersion when it changed meanwhile."""
    bilan = agreement.bilan
    _require_beneficiary(beneficiary, bilan)
    with transaction.atomic():
        if agreement.withdrawn_at is not None:
            return agreement
        version_bump(agreement, expected=expected_version, withdrawn_at=timezone.now())
        audit_record(
            actor=beneficiary,
            action="bilan.keep_agreement_withdraw",
            target=agreement,
            organisation=bilan.organisation,
            data={"kinds": agreement.kinds},
        )
    return agreement
