"""Opening a bilan, the beneficiary's consent, and its phases (Code du travail R6313-4)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, User
from tisser.bilans import consent
from tisser.bilans.models import (
    Bilan,
    BilanConsent,
    Funding,
    Phase,
    PhaseTransition,
    SynthesisDocument,
    SynthesisStatus,
    next_phase,
)
from tisser.bilans.services.convention import preliminary_exit_require
from tisser.bilans.services.funding import funding_values_clean
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump


def can_open_for(consultant: User, beneficiary: User) -> Membership | None:
    """The beneficiary's membership when `consultant` may open a bilan for them, else None.

    Rule: only the consultant who invited the beneficiary (their active beneficiary
    membership names them), still an active consultant of that organisation. The inviting
    consultant is the one the beneficiary knows and the one who sees their isolation checks;
    handing a bilan over to a colleague is a later, explicit action."""
    if not (consultant.is_authenticated and consultant.is_active and beneficiary.is_active):
        return None
    membership = (
        Membership.objects.beneficiaries_of(consultant)
        .filter(user=beneficiary)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    if membership is None:
        return None
    is_consultant = Membership.objects.filter(
        user=consultant,
        organisation_id=membership.organisation_id,
        role=Role.CONSULTANT,
        is_active=True,
    ).exists()
    return membership if is_consultant else None


def bilan_open(
    *,
    consultant: User,
    beneficiary: User,
    funding: Funding | str,
    funder_name: str = "",
    price_euros: Decimal | None = None,
    planned_hours: Decimal | None = None,
) -> Bilan:
    """Open a bilan, in its preliminary phase, for a beneficiary `consultant` invited (see
    `can_open_for`; PermissionDenied otherwise), with its funding, funder, price and planned
    hours (`funding_values_clean`). A beneficiary has one open bilan at a time:
    a second one is a ValidationError until the first is closed."""
    membership = can_open_for(consultant, beneficiary)
    if membership is None:
        raise PermissionDenied
    values = funding_values_clean(
        funding=funding,
        funder_name=funder_name,
        price_euros=price_euros,
        planned_hours=planned_hours,
        beneficiary=beneficiary,
    )
    with transaction.atomic():
        # Lock the beneficiary's membership: two consultants' clicks cannot open two bilans.
        Membership.objects.select_for_update().get(pk=membership.pk)
        if Bilan.objects.open().filter(beneficiary=beneficiary).exists():
            raise ValidationError(
                {"beneficiary": [_("Cette personne a déjà un bilan en cours.")]}, code="open"
            )
        bilan = Bilan.objects.create(
            organisation=membership.organisation,
            beneficiary=beneficiary,
            consultant=consultant,
            **values,
            status=Phase.PRELIMINARY,
            opened_at=now(),
        )
        audit_record(
            actor=consultant,
            action="bilan.open",
            target=bilan,
            organisation=membership.organisation,
            data={"beneficiary_id": beneficiary.pk, "funding": str(funding)},
        )
    return bilan


def bilan_consent_give(*, beneficiary: User, bilan: Bilan, text_version: str) -> BilanConsent:
    """The beneficiary (and only them: PermissionDenied otherwise) gives their informed
    consent to the current text, `text_version` being the version they were shown: an
    outdated page is a ValidationError so that nobody accepts a text they did not read.
    Giving it again keeps the first one; a closed bilan takes none."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    if text_version != consent.VERSION:
        raise ValidationError(
            _("Le texte a changé depuis l'affichage de la page : relisez-le puis acceptez-le."),
            code="version",
        )
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        existing = BilanConsent.objects.filter(bilan=locked).first()
        if existing is not None:
            return existing
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        given = BilanConsent.objects.create(
            bilan=locked,
            text_version=consent.VERSION,
            text=str(consent.TEXT),
            accepted_at=now(),
            accepted_by=beneficiary,
        )
        audit_record(
            actor=beneficiary,
            action="bilan.consent_give",
            target=locked,
            organisation=locked.organisation,
            data={"text_version": consent.VERSION},
        )
    return given


def bilan_phase_advance(*, actor: User, bilan: Bilan, to_phase: Phase | str) -> Bilan:
    """Move the bilan to `to_phase`, which must be the phase right after the current one
    (phases are never skipped nor gone back to). Only the bilan's consultant may
    (PermissionDenied otherwise). Leaving the preliminary phase needs the beneficiary's
    consent; closing needs the document de synthèse validated by the beneficiary and dates
    the end of the bilan. Each step is a dated, attributed
    PhaseTransition and an audit entry."""
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied
    if to_phase not in Phase.values:
        raise ValidationError(_("Phase inconnue."), code="unknown")
    to_phase = Phase(to_phase)
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        version_bump(
            locked,
            expected=bilan.version,
            message=_("Ce bilan vient d'être modifié : rechargez la page avant de continuer."),
        )
        expected = next_phase(locked.status)
        if expected is None:
            raise ValidationError(_("Ce bilan est déjà terminé."), code="closed")
        if to_phase != expected:
            raise ValidationError(
                _(
                    "Un bilan passe d'une phase à la suivante, sans en sauter : la prochaine "
                    "étape est « %(next)s »."
                )
                % {"next": expected.label},
                code="order",
            )
        if (
            locked.status == Phase.PRELIMINARY
            and not BilanConsent.objects.filter(bilan=locked).exists()
        ):
            raise ValidationError(
                _(
                    "Le bilan ne peut pas quitter la phase préliminaire avant que la personne "
                    "ait donné son consentement."
                ),
                code="consent",
            )
        if locked.status == Phase.PRELIMINARY:
            preliminary_exit_require(locked)  # R6313-8, L6353-3 to L6353-6
        if (
            to_phase == Phase.CLOSED
            and not SynthesisDocument.objects.filter(
                bilan=locked, status=SynthesisStatus.VALIDATED
            ).exists()
        ):
            raise ValidationError(
                _(
                    "Le bilan ne peut pas se terminer avant que la personne ait validé son "
                    "document de synthèse."
                ),
                code="synthesis",
            )
        at = now()
        PhaseTransition.objects.create(
            bilan=locked, from_phase=locked.status, to_phase=to_phase, at=at, by=actor
        )
        from_phase = locked.status
        locked.status = to_phase
        fields = ["status"]
        if to_phase == Phase.CLOSED:
            locked.closed_at = at
            fields.append("closed_at")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="bilan.phase_advance",
            target=locked,
            organisation=locked.organisation,
            data={"from": str(from_phase), "to": str(to_phase)},
        )
    bilan.refresh_from_db()
    return bilan
