"""The recommendation adapter on the synthetic ROME fixture (known answers), its per-version
cache, and a sanity check on the real ROME data when it is present."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from matchcore.recommend import Profile
from tests.exploration_helpers import (  # noqa: F401 - fixtures: bilan, rome
    bilan_fixture,
    experience_add,
    interests_record,
    portfolio_add,
    rome_fixture,
)
from tisser.referentiel import recommendations as reco
from tisser.referentiel.models import Mobilite, RomeVersion

# Animer un atelier d'initiation au numérique (K1901, cœur de métier)
ATELIER_NUMERIQUE = 96008
# Outils de visioconférence (savoir, K1901, cœur de métier)
VISIO = 97005
# Techniques de panification (savoir, D1901, cœur de métier)
PANIFICATION = 97003


def test_fiches_are_read_with_their_core_items_and_mobilities_in_four_queries(
    rome, django_assert_num_queries
):
    # when
    with django_assert_num_queries(4):
        fiches = {fiche.code_rome: fiche for fiche in reco.fiches_from_database()}

    # then
    assert sorted(fiches) == ["A1901", "A1902", "D1901", "D1902", "K1901", "K1902"]
    k1901 = fiches["K1901"]
    assert (k1901.riasec_majeur, k1901.riasec_mineur) == ("S", "A")
    # savoir-faire and savoirs; the savoir-être "Être à l'écoute" (95102) is left out
    assert set(k1901.items) == {96008, 96010, 95004, 97005, 97006, 97008}
    assert k1901.core_items == {ATELIER_NUMERIQUE, VISIO}
    assert fiches["D1902"].mobilities == ("D1901", "K1902")
    assert fiches["A1902"].riasec_mineur is None


def test_a_social_artistic_profile_with_the_atelier_competence_gets_k1901_first(rome):
    # given: S-A interests, the K1901 core compétence held, coming from K1902
    profile = Profile(
        riasec={"S": 1.0, "A": 0.8, "E": 0.3},
        held_items=frozenset({ATELIER_NUMERIQUE}),
        current_fiches=("K1902",),
    )

    # when
    results = reco.recommendations_explain(profile)

    # then
    first = results[0]
    assert first.code_rome == "K1901"
    assert first.libelle == "Animateur / Animatrice d'ateliers numériques"
    assert first.held == ("Animer un atelier d'initiation au numérique",)
    assert first.missing_core == ("Outils de visioconférence",)
    assert first.riasec_sentence == "Votre profil S-A rejoint le profil S-A de ce métier."
    assert first.mobility_sentence == (
        "Depuis « Coordinateur / Coordinatrice de réseau d'entraide », le ROME indique ce "
        "métier comme une mobilité possible."
    )
    assert "K1902" not in [result.code_rome for result in results]  # where they come from


def test_without_interests_nothing_is_said_about_riasec(rome):
    profile = Profile(riasec={}, held_items=frozenset({PANIFICATION}))

    results = reco.recommendations_explain(profile)

    assert results[0].code_rome == "D1901"
    assert all(result.riasec_sentence == "" for result in results)


def test_a_two_step_mobility_names_the_fiche_in_between(rome):
    profile = Profile(riasec={"R": 1.0}, current_fiches=("D1902",))

    results = {result.code_rome: result for result in reco.recommendations_explain(profile)}

    assert results["A1901"].mobility_sentence == (
        "Depuis « Épicier / Épicière de produits fins », ce métier est accessible en deux "
        "étapes, via « Fournier / Fournière de quartier »."
    )


def test_recommendations_are_explained_in_a_fixed_number_of_queries(
    rome, django_assert_num_queries
):
    profile = Profile(riasec={"S": 1.0}, held_items=frozenset({ATELIER_NUMERIQUE, VISIO}))
    reco.get_recommendation_index()  # built once per version

    # version check, fiches, compétences, savoirs
    with django_assert_num_queries(4):
        reco.recommendations_explain(profile, limit=6)


def test_the_gap_lists_what_to_acquire_core_first_and_what_is_held(rome):
    profile = Profile(riasec={"S": 1.0, "A": 0.5}, held_items=frozenset({VISIO}))

    gap = reco.gap_explain(profile, "K1901")

    assert [(item.libelle, item.core) for item in gap.competences_missing] == [
        ("Animer un atelier d'initiation au numérique", True),
        ("Accompagner une personne dans ses démarches en ligne", False),
        ("Animer un collectif", False),
    ]
    assert [item.libelle for item in gap.savoirs_missing] == [
        "Certificat de médiation numérique",
        "Écoute active",
    ]
    assert [(item.libelle, item.core) for item in gap.held] == [("Outils de visioconférence", True)]
    assert gap.core_missing_count == 1
    assert gap.riasec_sentence == "Votre profil S-A rejoint le profil S-A de ce métier."


def test_an_unknown_fiche_has_no_gap(rome):
    with pytest.raises(reco.UnknownFiche):
        reco.gap_explain(Profile(riasec={}), "Z9999")


def test_the_index_is_cached_until_another_version_becomes_current(rome):
    # given
    first = reco.get_recommendation_index()
    assert reco.get_recommendation_index() is first
    assert len(first) == 6

    # when: a new version without the K1901 → K1902 mobility becomes current
    Mobilite.objects.filter(metier__code_rome="K1901").delete()
    old = RomeVersion.objects.current()
    RomeVersion.objects.filter(pk=old.pk).update(is_current=False)
    RomeVersion.objects.create(
        number=old.number + 1, checksum="autre", imported_at=timezone.now(), is_current=True
    )

    # then
    rebuilt = reco.get_recommendation_index()
    assert rebuilt is not first
    profile = Profile(riasec={}, current_fiches=("K1901",))
    assert [r.mobility_path for r in rebuilt.recommend(profile) if r.code_rome == "K1902"] == [None]


def test_without_a_referentiel_the_index_is_empty(db):
    reco.clear_recommendation_cache()

    assert len(reco.get_recommendation_index()) == 0


# --- The real ROME data ----------------------------------------------------------------------

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


def test_the_database_benchmark_prints_its_figures_last(tmp_path):
    import json
    import subprocess
    import sys

    from tests.fixtures.rome_fixture import FIXTURE

    result = subprocess.run(
        [sys.executable, "bench/recommendations_db.py", "--quick", str(FIXTURE)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )

    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["n_fiches"] == 6
    assert figures["p95_ms"] > 0 and figures["index_mb"] > 0
