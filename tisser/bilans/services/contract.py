"""The contract of a self-funded bilan (Code du travail L6353-3 to L6353-7): written by the
consultant with the contents L6353-4 lists, signed by the person before the bilan goes on
(L6353-3), with a ten-day withdrawal period from the signature (L6353-5), nothing paid
before it ends and at most 30 % of the price then (L6353-6); the balance is paid as the
bilan goes. A force majeure end pays only what was done, pro rata (L6353-7): the default
terms say so."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, Contract, Funding, Phase
from tisser.bilans.services.funding import bilan_price_set, price_errors
from tisser.bilans.services.hours import MAX_HOURS
from tisser.bilans.services.paperwork_pdf import paperwork_pdf, paperwork_pdf_content
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.versioning import version_bump, version_require

FIELDS = (
    "nature",
    "objective",
    "programme",
    "headcount",
    "duration_hours",
    "start_date",
    "end_date",
    "prerequisites",
    "conditions",
    "means",
    "assessment",
    "trainers",
    "payment_terms",
    "early_end_terms",
    "upfront_euros",
)
SIGNATURE_FIELDS = (
    "signed_on",
    "organisme_signed_on",
    "signed_place",
    "withdrawn_on",
    "upfront_paid_on",
)

STALE_MESSAGE = gettext_lazy(
    "Le contrat a été enregistré entre-temps. Relisez la version enregistrée, affichée à "
    "côté de chaque champ modifié, avant d'enregistrer la vôtre."
)


class ContractState(models.TextChoices):
    MISSING = "missing", gettext_lazy("Contrat à rédiger")
    DRAFT = "draft", gettext_lazy("Contrat à signer")
    WITHDRAWAL = "withdrawal", gettext_lazy("Signé, délai de rétractation en cours")
    WITHDRAWN = "withdrawn", gettext_lazy("La personne s'est rétractée : contrat terminé")
    ACTIVE = "active", gettext_lazy("Signé, délai de rétractation écoulé")


@dataclass(frozen=True)
class ContractStatus:
    state: ContractState
    withdrawal_ends_on: date | None = None


def contract_applies(bilan: Bilan) -> bool:
    """L6353-3: a person who undertakes the action on their own and at their own cost."""
    return bilan.funding == Funding.PERSONAL


def contract_status(contract: Contract | None, today: date | None = None) -> ContractStatus:
    today = today or timezone.localdate()
    if contract is None:
        return ContractStatus(ContractState.MISSING)
    ends = contract.withdrawal_ends_on
    if ends is None:
        return ContractStatus(ContractState.DRAFT)
    if contract.withdrawn_on is not None:
        return ContractStatus(ContractState.WITHDRAWN, ends)
    if today <= ends:
        return ContractStatus(ContractState.WITHDRAWAL, ends)
    return ContractStatus(ContractState.ACTIVE, ends)


def contract_initial(bilan: Bilan) -> dict:
    """A new contract form: the L6353-4 contents written out for a bilan de compétences,
    dates, hours and price from the bilan; the consultant reviews every line."""
    start = timezone.localtime(bilan.opened_at).date()
    consultant = bilan.consultant.get_full_name() or bilan.consultant.email
    price = bilan.price_euros
    with translation.override("fr"):
        return {
            "price_euros": price,
            "nature": _(
                "Bilan de compétences (articles L6313-1 et L6313-4 du Code du travail), "
                "action individuelle d'accompagnement."
            ),
            "objective": _(
                "Permettre à la personne d'analyser ses compétences professionnelles et "
                "personnelles, ses aptitudes et ses motivations, afin de définir un projet "
                "professionnel et, le cas échéant, un projet de formation."
            ),
            "programme": _(
                "Phase préliminaire : analyse de la demande et du besoin, choix du format, "
                "définition conjointe du déroulement. Phase d'investigation : construction "
                "du projet professionnel et vérification de sa pertinence, ou élaboration "
                "d'alternatives. Phase de conclusion : appropriation des résultats, "
                "conditions et étapes de mise en œuvre, remise du document de synthèse "
                "(article R6313-4)."
            ),
            "headcount": _("Action individuelle : une personne."),
            "duration_hours": bilan.planned_hours or Decimal(MAX_HOURS),
            "start_date": start + timedelta(days=14),
            "end_date": start + timedelta(weeks=14),
            "prerequisites": _("Aucun niveau de connaissances préalables n'est requis."),
            "conditions": _(
                "Entretiens individuels, en présentiel ou à distance (visioconférence), et "
                "travaux personnels entre les entretiens ; les entretiens à distance se "
                "déroulent dans les mêmes conditions de confidentialité."
            ),
            "means": _(
                "Un bureau fermé garantissant la confidentialité des entretiens ; la "
                "plateforme Tisser (questionnaires, portfolio de compétences, fiches métiers "
                "ROME) ; des enquêtes auprès de professionnels."
            ),
            "assessment": _(
                "Le bilan ne donne lieu à aucun examen ni diplôme. Il se conclut par la "
                "remise à la seule personne d'un document de synthèse ; une attestation de "
                "présence indique les heures suivies."
            ),
            "trainers": _(
                "%(consultant)s, qui accompagne le bilan. Diplômes, titres ou références : à "
                "compléter."
            )
            % {"consultant": consultant},
            "payment_terms": _(
                "Aucune somme n'est demandée avant la fin du délai de rétractation de dix "
                "jours. À son expiration, un acompte peut être payé, dans la limite de 30 % "
                "du prix ; le solde est payé au fur et à mesure du déroulement du bilan, "
                "après chaque entretien."
            ),
            "early_end_terms": _(
                "Si, par suite de force majeure dûment reconnue, la personne est empêchée de "
                "suivre le bilan, elle peut rompre le contrat : seules les prestations "
                "effectivement dispensées sont dues, au prorata de leur valeur prévue au "
                "contrat (article L6353-7). En cas d'abandon pour un autre motif, les "
                "entretiens réalisés restent dus."
            ),
            "upfront_euros": (
                (price * Decimal("0.30")).quantize(Decimal("0.01")) if price else Decimal("0")
            ),
        }


def _require_consultant(actor: User, bilan: Bilan) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.consultant_id):
        raise PermissionDenied


def _require_personal_funding(bilan: Bilan) -> None:
    if not contract_applies(bilan):
        raise ValidationError(
            _("Un contrat ne concerne que les bilans que la personne finance elle-même."),
            code="funding",
        )


def _locked_open(bilan: Bilan) -> Bilan:
    locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
    if locked.status == Phase.CLOSED:
        raise ValidationError(_("Ce bilan est terminé."), code="closed")
    return locked


def upfront_errors(upfront: Decimal | None, price: Decimal | None) -> list[str]:
    """L6353-6: what is paid at the end of the withdrawal period is at most 30 % of the
    agreed price."""
    if upfront is None or price is None:
        return []
    cap = (price * Decimal("0.30")).quantize(Decimal("0.01"))
    if upfront > cap:
        return [
            _("L'acompte ne peut pas dépasser 30 %% du prix, soit %(cap)s € (article L6353-6).")
            % {"cap": number_format(cap, decimal_pos=2, use_l10n=True)}
        ]
    return []


def contract_save(
    *, consultant: User, bilan: Bilan, values: dict, expected_version: int
) -> Contract:
    """Create or update the contract of a self-funded `bilan` (its consultant only). `values`
    holds FIELDS and `price_euros`, written on the bilan (the one price). Refused once the
    person signed it. The up-front payment is capped at 30 % of the price (L6353-6).
    StaleVersion when changed since the form was opened (0 for a new one)."""
    _require_consultant(consultant, bilan)
    _require_personal_funding(bilan)
    price = values.get("price_euros")
    errors: dict[str, list[str]] = {}
    if price is None:
        errors["price_euros"] = [_("Indiquez le prix du bilan (article L6353-4, 5°).")]
    elif wrong := price_errors(price):
        errors["price_euros"] = wrong
    elif upfront := upfront_errors(values.get("upfront_euros"), price):
        errors["upfront_euros"] = upfront
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_open(bilan)
        contract = Contract.objects.select_for_update().filter(bilan=locked).first()
        current = timezone.now()
        if contract is None:
            if expected_version != 0:
                raise ValidationError(_("Ce contrat n'existe plus."), code="missing")
            contract = Contract(bilan=locked, created_at=current, version=1)
            action = "contract.create"
        else:
            version_bump(contract, expected=expected_version, message=STALE_MESSAGE)
            action = "contract.save"
            if contract.signed_on is not None:
                raise ValidationError(
                    _(
                        "La personne a signé ce contrat : il ne peut plus être modifié. Un "
                        "changement demande un avenant signé par les deux parties."
                    ),
                    code="signed",
                )
        for name in FIELDS:
            value = values.get(name)
            setattr(contract, name, value.strip() if isinstance(value, str) else value)
        if contract.upfront_euros is None:
            contract.upfront_euros = Decimal("0")
        contract.bilan = locked
        contract.updated_at = current
        contract.updated_by = consultant
        contract.full_clean(exclude=["bilan"])
        contract.save()
        bilan_price_set(locked, price=price)
        audit_record(
            actor=consultant,
            action=action,
            target=contract,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "version": contract.version},
        )
    return contract


def contract_signatures_save(
    *, consultant: User, bilan: Bilan, values: dict, expected_version: int
) -> Contract:
    """Record, from the paper, the day each party signed, a withdrawal received within ten
    days of the signature (L6353-5; it ends the contract) and the day the up-front payment
    was made, never before the withdrawal period is over (L6353-6). ValidationError by
    field; StaleVersion when the contract changed since the form was opened."""
    _require_consultant(consultant, bilan)
    _require_personal_funding(bilan)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked_open(bilan)
        contract = Contract.objects.select_for_update().filter(bilan=locked).first()
        if contract is None:
            raise ValidationError(_("Rédigez et enregistrez d'abord le contrat."), code="missing")
        version_bump(contract, expected=expected_version, message=STALE_MESSAGE)
        previous_signed_on = contract.signed_on
        for name in SIGNATURE_FIELDS:
            value = values.get(name)
            setattr(contract, name, (value or "").strip() if name == "signed_place" else value)
        errors: dict[str, list[str]] = {}
        for name in ("signed_on", "organisme_signed_on", "withdrawn_on", "upfront_paid_on"):
            value = getattr(contract, name)
            if value is not None and value > today:
                errors[name] = [_("Cette date est à venir : indiquez une date passée.")]
        ends = contract.withdrawal_ends_on
        for name in ("withdrawn_on", "upfront_paid_on"):
            if getattr(contract, name) is not None and ends is None and name not in errors:
                errors[name] = [_("Indiquez d'abord la date à laquelle la personne a signé.")]
        if (
            ends is not None
            and "withdrawn_on" not in errors
            and contract.signed_on is not None
            and contract.withdrawn_on is not None
            and not (contract.signed_on <= contract.withdrawn_on <= ends)
        ):
            errors["withdrawn_on"] = [
                _(
                    "La rétractation n'est possible que dans les dix jours qui suivent la "
                    "signature, jusqu'au %(end)s (article L6353-5)."
                )
                % {"end": french_date(ends, "j F Y")}
            ]
        if ends is not None and "upfront_paid_on" not in errors and contract.upfront_paid_on:
            if contract.withdrawn_on is not None:
                errors["upfront_paid_on"] = [
                    _("La personne s'est rétractée : aucune somme ne lui est due.")
                ]
            elif contract.upfront_paid_on <= ends:
                errors["upfront_paid_on"] = [
                    _(
                        "Aucune somme ne peut être demandée avant la fin du délai de "
                        "rétractation (article L6353-6) : l'acompte peut être payé à partir "
                        "du %(day)s."
                    )
                    % {"day": french_date(ends + timedelta(days=1), "j F Y")}
                ]
        if errors:
            raise ValidationError(errors)
        if contract.signed_on != previous_signed_on:
            contract.beneficiary_accepted_at = None
        contract.updated_at = timezone.now()
        contract.updated_by = consultant
        contract.save()
        audit_record(
            actor=consultant,
            action="contract.signatures_save",
            target=contract,
            organisation=locked.organisation,
            data={
                "bilan_id": locked.pk,
                **{name: str(getattr(contract, name) or "") for name in SIGNATURE_FIELDS},
            },
        )
    return contract


def contract_accept(*, beneficiary: User, bilan: Bilan, expected_version: int) -> Contract:
    """The beneficiary signs the contract in the app: the moment is recorded and its day
    starts the withdrawal period. Only them (PermissionDenied), on the version they read."""
    if not (beneficiary.is_authenticated and beneficiary.pk == bilan.beneficiary_id):
        raise PermissionDenied
    _require_personal_funding(bilan)
    with transaction.atomic():
        locked = _locked_open(bilan)
        contract = Contract.objects.select_for_update().filter(bilan=locked).first()
        version_require(
            contract,
            expected=expected_version,
            message=_(
                "Le contrat a changé depuis l'affichage de la page : relisez-le avant de le signer."
            ),
        )
        assert contract is not None
        if contract.signed_on is not None:
            return contract
        at = timezone.now()
        contract.beneficiary_accepted_at = at
        contract.signed_on = timezone.localdate(at)
        contract.version += 1
        contract.save(update_fields=["beneficiary_accepted_at", "signed_on", "version"])
        audit_record(
            actor=beneficiary,
            action="contract.accept",
            target=contract,
            organisation=locked.organisation,
            data={"bilan_id": locked.pk, "version": contract.version},
        )
    return contract


def contract_require(bilan: Bilan, today: date | None = None) -> None:
    """ValidationError (code "contract") saying what to do unless the contract is signed by
    both parties and its withdrawal period is over without a withdrawal."""
    contract = Contract.objects.filter(bilan=bilan).first()
    status = contract_status(contract, today)
    if contract is None or status.withdrawal_ends_on is None:
        raise ValidationError(
            _(
                "Ce bilan est financé par la personne : un contrat signé est nécessaire avant "
                "de quitter la phase préliminaire (articles L6353-3 et L6353-4). Rédigez-le, "
                "puis enregistrez sa signature."
            )
            if contract is None
            else _(
                "La personne n'a pas encore signé le contrat : enregistrez la date de sa "
                "signature, ou demandez-lui de le signer dans Tisser."
            ),
            code="contract",
        )
    ends = status.withdrawal_ends_on
    match status.state:
        case ContractState.WITHDRAWN:
            message = _(
                "La personne s'est rétractée le %(day)s : le contrat a pris fin et le bilan "
                "ne peut pas continuer."
            ) % {"day": french_date(contract.withdrawn_on, "j F Y")}
        case ContractState.WITHDRAWAL:
            message = _(
                "Le délai de rétractation de dix jours court jusqu'au %(end)s inclus (article "
                "L6353-5) : le bilan pourra quitter la phase préliminaire à partir du "
                "%(next)s."
            ) % {
                "end": french_date(ends, "j F Y"),
                "next": french_date(ends + timedelta(days=1), "j F Y"),
            }
        case _ if contract.organisme_signed_on is None:
            message = _(
                "Il manque la signature de l'organisme sur le contrat : enregistrez sa date "
                "avant de quitter la phase préliminaire."
            )
        case _:
            return
    raise ValidationError(message, code="contract")


def contract_pdf(*, actor: User, contract: Contract) -> bytes:
    """The contract as a PDF, for the bilan's consultant or beneficiary (PermissionDenied
    otherwise); the download is in the audit log."""
    bilan = contract.bilan
    if not bilan.involves(actor):
        raise PermissionDenied
    _require_personal_funding(bilan)
    return paperwork_pdf(
        actor=actor,
        bilan=bilan,
        document=contract,
        name="contract",
        title=_("Contrat de bilan de compétences"),
        template="documents/contract.html",
    )


def contract_pdf_content(contract: Contract) -> bytes:
    """The contract's PDF with no access check and no audit entry, for a caller that checks
    and records who asks itself (the auditor's export, tisser.quality)."""
    return paperwork_pdf_content(
        bilan=contract.bilan,
        document=contract,
        name="contract",
        title=_("Contrat de bilan de compétences"),
        template="documents/contract.html",
    )
