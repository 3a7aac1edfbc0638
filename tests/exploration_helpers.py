"""Shared set-up of the exploration and projects tests: the synthetic ROME, a bilan, and its
beneficiary's profile (interests inventory, portfolio, parcours)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tests.fixtures.rome_fixture import FIXTURE
from tisser.assessments.models import InventoryResponse
from tisser.bilans import services as bilans
from tisser.bilans.models import Experience, Funding, ItemKind, Phase, PortfolioItem
from tisser.referentiel.recommendations import clear_recommendation_cache


def rome_import_fixture() -> None:
    call_command("import_rome", str(FIXTURE), stdout=StringIO())


@pytest.fixture(name="rome")
def rome_fixture(db):
    clear_recommendation_cache()
    rome_import_fixture()
    yield
    clear_recommendation_cache()


@pytest.fixture(name="bilan")
def bilan_fixture(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def bilan_close(bilan) -> None:
    type(bilan).objects.filter(pk=bilan.pk).update(status=Phase.CLOSED)
    bilan.refresh_from_db()


def interests_record(user, organisation, **scores: int) -> InventoryResponse:
    return InventoryResponse.objects.create(
        user=user,
        organisation=organisation,
        kind=InventoryResponse.Kind.INTERESTS,
        version="test",
        scores={letter: scores.get(letter, 0) for letter in "RIASEC"},
    )


def portfolio_add(bilan, code_ogr: int, *, level: int = 3, kind=ItemKind.COMPETENCE):
    return PortfolioItem.objects.create(
        bilan=bilan, kind=kind, code_ogr=code_ogr, label=f"item {code_ogr}", level=level
    )


def experience_add(bilan, *codes: str, started: date, ended: date | None = None):
    from tisser.referentiel.models import Metier

    experience = Experience.objects.create(
        bilan=bilan,
        kind=Experience.Kind.JOB,
        title="Un emploi",
        started_on=started,
        ended_on=ended,
    )
    experience.fiches.set(Metier.objects.filter(code_rome__in=codes))
    return experience
