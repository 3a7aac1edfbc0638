"""The recommendation adapter on the real ROME data, when it is present.

Apart from the synthetic tests: the real data is imported once for this module and stays in its
transaction while the module runs, so a test of another module, or one run in between in a
random order, must never see it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from matchcore.recommend import Profile
from tisser.referentiel import recommendations as reco

ROME_SOURCE = Path(settings.ROME_SOURCE)
real_data = pytest.mark.skipif(
    not ROME_SOURCE.exists(),
    reason=f"données ROME 4.0 absentes ({ROME_SOURCE}) : test sur les données réelles ignoré",
)


@pytest.fixture(scope="module")
def full_rome(django_db_setup, django_db_blocker):
    """The real data imported once for the module, rolled back at the end."""
    from tisser.referentiel.importer import rome_import

    with django_db_blocker.unblock(), transaction.atomic():
        reco.clear_recommendation_cache()
        yield rome_import(ROME_SOURCE)
        reco.clear_recommendation_cache()
        transaction.set_rollback(True)


@real_data
@pytest.mark.rome_full
@pytest.mark.django_db
def test_a_strongly_social_profile_with_care_competences_gets_health_and_social_fiches(
    full_rome,
):
    # given: strongly Social, and the cœur de métier of aide-soignant (J1501) and of
    # assistant de vie dépendance (K1302) held
    index = reco.get_recommendation_index()
    fiches = {fiche.code_rome: fiche for fiche in reco.fiches_from_database()}
    held = fiches["J1501"].core_items | fiches["K1302"].core_items
    profile = Profile(
        riasec={"R": 0.2, "I": 0.5, "A": 0.1, "S": 1.0, "E": 0.2, "C": 0.2},
        held_items=held,
    )

    # when
    results = reco.recommendations_explain(profile, limit=10, index=index)

    # then: domain J (santé) or K (services à la personne et à la collectivité)
    domains = [result.code_rome[0] for result in results]
    assert set(domains[:5]) <= {"J", "K"}, domains
    assert sum(domain in "JK" for domain in domains) >= 8, domains
    assert len(index) == 1584


@real_data
@pytest.mark.rome_full
@pytest.mark.django_db
def test_the_database_gives_the_engine_the_same_fiches_as_the_csv_files(full_rome):
    """The adapter and the CSV benchmark feed the engine identically."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_recommendations", Path(settings.BASE_DIR) / "bench" / "recommendations.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    from_csv = {fiche.code_rome: fiche for fiche in bench.load_fiches(ROME_SOURCE)}
    from_db = {fiche.code_rome: fiche for fiche in reco.fiches_from_database()}

    assert from_db.keys() == from_csv.keys()
    for code, fiche in from_db.items():
        expected = from_csv[code]
        assert (set(fiche.items), fiche.core_items, fiche.mobilities) == (
            set(expected.items),
            expected.core_items,
            expected.mobilities,
        ), code
