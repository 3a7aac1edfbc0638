"""The recommendation adapter on the synthetic ROME fixture (known answers) and its per-version
cache (the real ROME data: test_recommendations_full.py)."""

import pytest
from django.conf import settings
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
