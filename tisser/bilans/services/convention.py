"""The tripartite convention of a bilan funded by the employer (Code du travail R6313-8):
written by the consultant, printed as a PDF for the organisme, the employer and the
beneficiary to sign."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, Convention, Funding, Phase
from tisser.bilans.services.hours import MAX_HOURS, hours_text
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump

FIELDS = (
    "employer_name",
    "employer_address",
    "employer_representative",
    "objective",
    "content",
    "human_means",
    "material_means",
    "duration_hours",
    "start_date",
    "end_date",
    "phase_preliminary",
    "phase_investigation",
    "phase_conclusion",
    "tools_methods",
    "results_delivery",
    "price_euros",
    "payment_terms",
)


# The convention saved elsewhere since the form was opened (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "La convention a été enregistrée entre-temps. Relisez la version enregistrée, "
    "affichée à côté de chaque champ modifié, avant d'enregistrer la vôtre."
)


def convention_applies(bilan: Bilan) -> bool:
    return bilan.funding == Funding.EMPLOYER


def convention_initial(bilan: Bilan) -> dict:
    """What a new convention form starts with: the legal framework written out (phases,
    delivery of the results), dates from the bilan; the employer, price and terms are the
    consultant's to fill in."""
    start = timezone.localtime(bilan.opened_at).date()
    with translation.override("fr"):
        return {
            "objective": _(
                "Permettre à %(name)s d'analyser ses compétences professionnelles et "
                "personnelles, ses aptitudes et ses motivations, afin de définir un projet "
                "professionnel et, le cas échéant, un projet de formation "
                "(article L6313-4 du Code du travail)."
            )
            % {"name": bilan.beneficiary.get_full_name() or bilan.beneficiary.email},
            "content": _(
                "Entretiens individuels avec un·e conseiller·ère bilan, travaux personnels "
                "entre les entretiens, enquêtes auprès de professionnels, restitution des "
                "résultats et remise du document de synthèse."
            ),
            "human_means": _(
                "%(consultant)s, conseiller·ère bilan de %(organisation)s, accompagne la "
                "personne pendant tout le bilan."
            )
            % {
                "consultant": bilan.consultant.get_full_name() or bilan.consultant.email,
                "organisation": bilan.organisation.name,
            },
            "material_means": _(
                "Un bureau fermé garantissant la confidentialité des entretiens, ou des "
                "entretiens à distance ; la plateforme Tisser (questionnaires, portfolio de "
                "compétences, fiches métiers ROME)."
            ),
            "duration_hours": Decimal(MAX_HOURS),
            "start_date": start,
            "end_date": start + timedelta(weeks=12),
            "phase_preliminary": _(
                "Analyser la demande et le besoin de la personne, déterminer le format le "
                "plus adapté, définir conjointement les modalités de déroulement du bilan."
            ),
            "phase_investigation": _(
                "Construire le projet professionnel et en vérifier la pertinence, ou "
                "élaborer une ou plusieurs alternatives."
            ),
            "phase_conclusion": _(
                "S'approprier les résultats détaillés de la phase d'investigation, recenser "
                "les conditions et moyens de réalisation du ou des projets, prévoir les "
                "principales modalités et étapes de leur mise en œuvre ; un entretien de "
                "suivi est proposé à la personne."
            ),
            "tools_methods": _(
                "Entretiens semi-directifs, analyse du parcours et des réussites, inventaire "
                "d'intérêts professionnels (RIASEC), questionnaire de valeurs et de "
                "motivations, portfolio de compétences, exploration des fiches métiers ROME, "
                "enquêtes-métiers auprès de professionnels."
            ),
            "results_delivery": _(
                "Les résultats détaillés et le document de synthèse sont remis à la seule "
                "personne bénéficiaire lors de l'entretien de conclusion, puis disponibles "
                "dans son espace Tisser."
            ),
            "payment_terms": _(
                "Facturation à l'issue du bilan, sur présentation de l'attestation de "
                "présence ; règlement à 30 jours à réception de la facture."
            ),
        }


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


def _require_employer_funding(bilan: Bilan) -> None:
    if not convention_applies(bilan):
        raise ValidationError(
            _("Une convention tripartite ne concerne que les bilans financés par l'employeur."),
            code="funding",
        )


def convention_save(
    *, consultant: User, bilan: Bilan, values: dict, expected_version: int
) -> Convention:
    """Create or update the convention of `bilan` (its consultant only; employer funding
    only; not once the bilan is closed). `expected_version`: the version the form was opened
    at, 0 for a new one; changed since → StaleVersion, nothing written. Invalid
    values → ValidationError by field."""
    _require_consultant(consultant, bilan)
    _require_employer_funding(bilan)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        convention = Convention.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if convention is None:
            if expected_version != 0:
                raise ValidationError(_("Cette convention n'existe plus."), code="missing")
            convention = Convention(bilan=locked, created_at=current, version=1)
            action = "convention.create"
        else:
            version_bump(convention, expected=expected_version, message=STALE_MESSAGE)
            action = "convention.save"
        for name in FIELDS:
            value = values.get(name)
            setattr(convention, name, value.strip() if isinstance(value, str) else value)
        convention.updated_at = current
        convention.updated_by = consultant
        convention.full_clean(exclude=["bilan"])
        convention.save()
        audit_record(
            actor=consultant,
            action=action,
            target=convention,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "version": convention.version},
        )
    return convention


def convention_pdf(*, actor: User, convention: Convention) -> bytes:
    """The convention as a PDF, for the bilan's consultant or beneficiary (PermissionDenied
    otherwise); the download is in the audit log."""
    # Imported here: WeasyPrint takes seconds to load, paid only by whoever renders a PDF.
    from tisser.documents.pdf import render_pdf

    bilan = convention.bilan
    if not (actor.is_authenticated and actor.pk in (bilan.consultant_id, bilan.beneficiary_id)):
        raise PermissionDenied
    _require_employer_funding(bilan)
    content = render_pdf(
        template_name="documents/convention.html",
        context={
            "document_title": _("Convention tripartite de bilan de compétences"),
            "organisation": bilan.organisation,
            "bilan": bilan,
            "convention": convention,
            "duration_text": hours_text(convention.duration_hours),
            "today": date.today(),
        },
    )
    audit_record(
        actor=actor,
        action="convention.download",
        target=convention,
        organisation=bilan.organisation,
        data={"bilan_id": bilan.pk, "version": convention.version},
    )
    return content
