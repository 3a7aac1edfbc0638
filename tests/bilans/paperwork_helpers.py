"""Conventions (R6313-8) and contracts (L6353-3..7) in the states the tests need."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Contract, Convention


def convention_values(bilan: Bilan, **overrides) -> dict:
    return {
        **bilans.convention_initial(bilan),
        "employer_name": "Transports Garonne SA",
        "employer_address": "12 quai de la Daurade\n31000 Toulouse",
        "employer_representative": "Mme Durand, DRH",
        "price_euros": Decimal("1800.00"),
        **overrides,
    }


def convention_written(bilan: Bilan, **overrides) -> Convention:
    return bilans.convention_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values=convention_values(bilan, **overrides),
        expected_version=0,
    )


def convention_signed(bilan: Bilan, *, transmitted_days_ago: int = 5, **dates) -> Convention:
    """A convention transmitted `transmitted_days_ago` days ago and signed by the three
    parties today (or on the dates given)."""
    convention = Convention.objects.filter(bilan=bilan).first() or convention_written(bilan)
    today = timezone.localdate()
    values = {
        "transmitted_on": today - timedelta(days=transmitted_days_ago),
        "organisme_signed_on": today,
        "employer_signed_on": today,
        "beneficiary_signed_on": today,
        "signed_place": "Toulouse",
        **dates,
    }
    return bilans.convention_signatures_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values=values,
        expected_version=convention.version,
    )


def contract_values(bilan: Bilan, **overrides) -> dict:
    return {
        **bilans.contract_initial(bilan),
        "price_euros": Decimal("1500.00"),
        "upfront_euros": Decimal("450.00"),
        "trainers": "Claire Morel, psychologue du travail (master 2), certifiée bilan.",
        **overrides,
    }


def contract_written(bilan: Bilan, **overrides) -> Contract:
    return bilans.contract_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values=contract_values(bilan, **overrides),
        expected_version=0,
    )


def contract_signed(bilan: Bilan, *, days_ago: int = 12, **dates) -> Contract:
    """A contract signed by both parties `days_ago` days ago (by default, its withdrawal
    period is over)."""
    contract = Contract.objects.filter(bilan=bilan).first() or contract_written(bilan)
    day = timezone.localdate() - timedelta(days=days_ago)
    values = {
        "signed_on": day,
        "organisme_signed_on": day,
        "signed_place": "Toulouse",
        "withdrawn_on": None,
        "upfront_paid_on": None,
        **dates,
    }
    return bilans.contract_signatures_save(
        consultant=bilan.consultant, bilan=bilan, values=values, expected_version=contract.version
    )
