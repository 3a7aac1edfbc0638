"""Who funds a bilan and for how much (`Bilan.funding`, `funder_name`, `price_euros`,
`planned_hours`): management data the BPF (L6352-11) and the CPF declarations read. The
bilan's price is the one price: the convention (R6313-8, 2°) and the self-funded contract
(L6353-4, 5°) print it and write it here, so the documents and the declarations never
disagree."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, Contract, Convention, Funding, Phase
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump

PRICE_MAX = Decimal("9999999.99")
# The funder a CPF bilan names when the consultant leaves it blank.
CPF_FUNDER = "Caisse des Dépôts et consignations (CPF)"


def price_errors(price: Decimal | None) -> list[str]:
    """What is wrong with a price typed for a bilan (nothing for None: a required price is
    the caller's to ask for)."""
    if price is None:
        return []
    if price < 0:
        return [_("Le prix ne peut pas être négatif.")]
    if price > PRICE_MAX:
        return [_("Ce montant est trop élevé.")]
    return []


def funding_values_clean(
    *,
    funding: str,
    funder_name: str,
    price_euros: Decimal | None,
    planned_hours: Decimal | None,
    beneficiary: User,
) -> dict:
    """The funding fields checked and completed (a blank funder named after the funding when
    it is obvious: the CPF, the person themselves). ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if funding not in Funding.values:
        errors["funding"] = [_("Choisissez le financement du bilan.")]
    funder_name = " ".join((funder_name or "").split())
    if not funder_name:
        if funding == Funding.CPF:
            funder_name = CPF_FUNDER
        elif funding == Funding.PERSONAL:
            funder_name = beneficiary.get_full_name() or beneficiary.email
    if len(funder_name) > 200:
        errors["funder_name"] = [_("200 caractères au plus.")]
    if price_euros is not None:
        try:
            price_euros = Decimal(price_euros)
        except (InvalidOperation, TypeError, ValueError):
            errors["price_euros"] = [_("Indiquez un montant en euros, par exemple 1800.")]
        else:
            if wrong := price_errors(price_euros):
                errors["price_euros"] = wrong
    if planned_hours is not None and not (Decimal(1) <= Decimal(planned_hours) <= Decimal(24)):
        errors["planned_hours"] = [
            _("Un bilan de compétences dure entre 1 et 24 heures (article L6313-4).")
        ]
    if errors:
        raise ValidationError(errors)
    values = {"funding": funding, "funder_name": funder_name, "price_euros": price_euros}
    if planned_hours is not None:
        values["planned_hours"] = Decimal(planned_hours)
    return values


def price_is_signed(bilan: Bilan) -> bool:
    """Whether the beneficiary signed a document that states the price (the convention or
    the contract): the price then stays as signed."""
    return (
        Convention.objects.filter(bilan=bilan, beneficiary_signed_on__isnull=False).exists()
        or Contract.objects.filter(bilan=bilan, signed_on__isnull=False).exists()
    )


def bilan_price_set(bilan: Bilan, *, price: Decimal | None, funder_name: str = "") -> None:
    """Write the price a convention or contract states on `bilan` (locked by the caller),
    and the funder when none is named yet; the bilan's version grows when anything changed,
    so that a funding form opened before is refused rather than writing the old price."""
    updates: dict = {}
    if price != bilan.price_euros:
        updates["price_euros"] = price
    if funder_name and not bilan.funder_name:
        updates["funder_name"] = funder_name[:200]
    if not updates:
        return
    Bilan.objects.filter(pk=bilan.pk).update(version=F("version") + 1, **updates)
    for name, value in updates.items():
        setattr(bilan, name, value)
    bilan.version += 1


def bilan_funding_update(
    *,
    consultant: User,
    bilan: Bilan,
    funding: str,
    funder_name: str,
    price_euros: Decimal | None,
    planned_hours: Decimal,
    expected_version: int,
) -> Bilan:
    """Change the funding, funder, price and planned hours of an open bilan (its consultant
    only: PermissionDenied). The funding changes only during the preliminary phase (its
    paperwork gates that phase) and the price not once the person signed it. StaleVersion
    when the bilan changed since the form was opened; ValidationError by field."""
    if not (consultant.is_active and consultant.pk == bilan.consultant_id):
        raise PermissionDenied
    values = funding_values_clean(
        funding=funding,
        funder_name=funder_name,
        price_euros=price_euros,
        planned_hours=planned_hours,
        beneficiary=bilan.beneficiary,
    )
    if values["price_euros"] is None:
        raise ValidationError({"price_euros": [_("Indiquez le prix du bilan.")]})
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        version_bump(
            locked,
            expected=expected_version,
            message=_(
                "Ce bilan a été modifié entre-temps. Relisez les valeurs enregistrées avant "
                "d'enregistrer les vôtres."
            ),
        )
        if locked.status == Phase.CLOSED:
            raise ValidationError(_("Ce bilan est terminé."), code="closed")
        errors: dict[str, list[str]] = {}
        if values["funding"] != locked.funding and locked.status != Phase.PRELIMINARY:
            errors["funding"] = [
                _(
                    "Le financement ne change plus après la phase préliminaire : la "
                    "convention ou le contrat signé en dépend."
                )
            ]
        signed = price_is_signed(locked)
        if signed and values["funding"] != locked.funding:
            errors.setdefault("funding", []).append(
                _("Une convention ou un contrat est signé pour ce financement.")
            )
        if signed and values["price_euros"] != locked.price_euros:
            errors["price_euros"] = [
                _(
                    "Ce prix figure sur la convention ou le contrat signé par la personne : "
                    "il ne peut plus changer."
                )
            ]
        if errors:
            raise ValidationError(errors)
        Bilan.objects.filter(pk=locked.pk).update(**values)
        audit_record(
            actor=consultant,
            action="bilan.funding_update",
            target=locked,
            organisation=locked.organisation,
            data={name: str(value) for name, value in values.items()},
        )
    bilan.refresh_from_db()
    return bilan
