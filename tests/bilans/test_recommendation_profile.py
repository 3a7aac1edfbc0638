"""A bilan as the recommendation engine sees it (moved from the référentiel's tests with
`beneficiary_profile`, which now lives in the bilans app)."""

from datetime import date

from tests.exploration_helpers import (  # noqa: F401 - fixtures: bilan, rome
    bilan_fixture,
    experience_add,
    interests_record,
    portfolio_add,
    rome_fixture,
)
from tisser.bilans import services as bilans
from tisser.bilans.recommendation_profile import beneficiary_profile
from tisser.referentiel import recommendations as reco
from tisser.referentiel.models import Metier

# Animer un atelier d'initiation au numérique (K1901, cœur de métier)
ATELIER_NUMERIQUE = 96008


def test_the_beneficiary_profile_reads_interests_portfolio_parcours_and_dismissals(
    rome, bilan, people
):
    # given
    beneficiary = people["beneficiary"]
    interests_record(beneficiary, bilan.organisation, S=90, A=60, R=10)
    portfolio_add(bilan, ATELIER_NUMERIQUE, level=2)
    portfolio_add(bilan, 95004, level=1)  # "notions": not held
    experience_add(bilan, "D1901", started=date(2010, 1, 1), ended=date(2015, 1, 1))
    experience_add(bilan, "A1901", started=date(2016, 1, 1), ended=date(2020, 1, 1))
    experience_add(bilan, "K1902", started=date(2021, 1, 1))  # current
    bilans.fiche_dismiss(
        actor=beneficiary, bilan=bilan, metier=Metier.objects.get(code_rome="D1902")
    )

    # when
    profile = beneficiary_profile(bilan)

    # then
    assert profile.riasec == {"R": 0.1, "I": 0.0, "A": 0.6, "S": 0.9, "E": 0.0, "C": 0.0}
    assert profile.held_items == {ATELIER_NUMERIQUE}
    assert profile.current_fiches == ("K1902", "A1901", "D1901")
    assert profile.excluded == {"D1902"}
    assert reco.profile_code(profile) == "S-A"


def test_a_profile_without_anything_yet_is_empty(rome, bilan):
    profile = beneficiary_profile(bilan)

    assert reco.profile_completeness(profile) == reco.ProfileCompleteness(
        has_riasec=False, held_count=0, fiche_count=0
    )
    assert reco.profile_code(profile) == ""
