"""The fiche métier recommender (matchcore.recommend): known answers on a hand-made set,
properties on generated ones, and sanity checks on the real ROME when it is present."""

from __future__ import annotations

import importlib.util
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchcore.recommend import (
    RIASEC_ORDER,
    FicheData,
    Gap,
    Profile,
    Recommendation,
    RecommendationIndex,
    Riasec,
    UnknownFiche,
    Weights,
    riasec_fit,
)

ROOT = Path(__file__).resolve().parents[2]
ROME_FULL = Path(os.environ.get("ROME_SOURCE") or ROOT.parent / "shared" / "data" / "rome-v460")

# -- a hand-made référentiel ------------------------------------------------------------------
#
#   H0001 (R/C) ──> H0002, K0001 ──> K0002 ──> J0001
#
FICHES = (
    FicheData("K0001", "S", "E", (1, 2, 3, 4, 5, 6), frozenset({1, 2}), ("K0002",)),
    FicheData("K0002", "S", None, (1, 2, 7, 8), frozenset({7}), ("J0001",)),
    FicheData("J0001", "S", "I", (9, 10, 11, 12), frozenset({9, 10})),
    FicheData("J0002", "I", "S", (9, 10, 13), frozenset({13})),
    FicheData("H0001", "R", "C", (20, 21, 22), frozenset({20}), ("H0002", "K0001")),
    FicheData("H0002", "R", None, (20, 23)),
    FicheData("M0001", "C", "E", (24, 25, 26), frozenset({24})),
    FicheData("E0001", "A", None, ()),
)
SOCIAL = {"S": 1.0, "I": 0.5}
ONLY_SKILLS = Weights(riasec=0, skills=1, mobility=0)
ONLY_RIASEC = Weights(riasec=1, skills=0, mobility=0)
ONLY_MOBILITY = Weights(riasec=0, skills=0, mobility=1)


@pytest.fixture(scope="module")
def index() -> RecommendationIndex:
    return RecommendationIndex.build(FICHES)


def by_code(results: tuple[Recommendation, ...]) -> dict[str, Recommendation]:
    return {result.code_rome: result for result in results}


def test_fiche_letters_become_enums():
    fiche = FicheData("X0001", "S", "", (1,))

    assert fiche.riasec_majeur is Riasec.S
    assert fiche.riasec_mineur is None


@pytest.mark.parametrize(
    ("majeur", "mineur", "expected"),
    [
        ("S", None, 1.0),  # the profile's strongest letter
        ("S", "I", (1.0 + 0.5 * 0.5) / 1.5),
        ("S", "E", 1.0 / 1.5),
        ("I", "S", (0.5 + 0.5 * 1.0) / 1.5),
        ("R", "C", 0.0),
    ],
)
def test_riasec_fit_is_majeur_plus_half_mineur_relative_to_the_strongest_letter(
    majeur, mineur, expected
):
    assert riasec_fit(Profile(riasec=SOCIAL), majeur, mineur) == pytest.approx(expected)


def test_riasec_fit_of_an_empty_profile_is_zero():
    assert riasec_fit(Profile(riasec={}), "S", "I") == 0.0


def test_ranking_by_riasec_alone_puts_social_fiches_first_ties_by_code(index):
    results = index.recommend(Profile(riasec=SOCIAL), weights=ONLY_RIASEC)

    assert [result.code_rome for result in results[:4]] == ["K0002", "J0001", "J0002", "K0001"]
    assert results[0].riasec_fit == pytest.approx(1.0)
    assert results[2].score == pytest.approx(results[3].score)  # J0002 ties K0001: code decides


def test_skills_coverage_counts_coeur_de_metier_double(index):
    profile = Profile(riasec=SOCIAL, held_items=frozenset({1, 2, 3}))

    results = by_code(index.recommend(profile, weights=ONLY_SKILLS, limit=10))

    # K0001: core {1, 2} held, others {3} of {3, 4, 5, 6} held -> (2*2 + 1) / (2*2 + 4)
    assert results["K0001"].skills_fit == pytest.approx(5 / 8)
    # K0002: core {7} missing, others {1, 2} of {1, 2, 8} held -> 2 / (2*1 + 3)
    assert results["K0002"].skills_fit == pytest.approx(2 / 5)
    assert results["E0001"].skills_fit == 0.0  # a fiche without items
    assert list(results)[:2] == ["K0001", "K0002"]


def test_explanation_lists_held_core_first_then_missing(index):
    profile = Profile(riasec=SOCIAL, held_items=frozenset({1, 3, 7, 99}))

    k0001 = by_code(index.recommend(profile, limit=10))["K0001"]

    assert k0001.held == (1, 3)
    assert k0001.missing_core == (2,)
    assert k0001.missing_other_count == 3  # 4, 5, 6
    k0002 = by_code(index.recommend(profile, limit=10))["K0002"]
    assert k0002.held == (7, 1)  # cœur de métier first
    assert k0002.missing_core == ()


def test_mobility_one_step_beats_two_steps_and_gives_the_path(index):
    profile = Profile(riasec=SOCIAL, current_fiches=("H0001",))

    results = index.recommend(profile, weights=ONLY_MOBILITY, limit=10)
    found = by_code(results)

    assert [result.code_rome for result in results[:3]] == ["H0002", "K0001", "K0002"]
    assert found["H0002"].mobility_path == ("H0001", "H0002")
    assert found["K0001"].mobility_path == ("H0001", "K0001")
    assert found["K0002"].mobility_path == ("H0001", "K0001", "K0002")
    assert found["K0001"].score == pytest.approx(1.0)
    assert found["K0002"].score == pytest.approx(0.5)
    assert found["J0001"].mobility_path is None  # three steps away
    assert found["J0001"].score == 0.0


def test_mobility_prefers_the_shortest_path_over_any_current_fiche(index):
    profile = Profile(riasec=SOCIAL, current_fiches=("H0001", "K0001"))

    found = by_code(index.recommend(profile, limit=10))

    assert found["K0002"].mobility_path == ("K0001", "K0002")
    assert found["J0001"].mobility_path == ("K0001", "K0002", "J0001")


def test_score_is_the_weighted_mean_of_the_three_signals(index):
    profile = Profile(riasec=SOCIAL, held_items=frozenset({1, 2, 3}), current_fiches=("H0001",))

    k0001 = by_code(index.recommend(profile, limit=10))["K0001"]

    expected = (0.4 * (1.0 / 1.5) + 0.4 * (5 / 8) + 0.2 * 1.0) / 1.0
    assert k0001.score == pytest.approx(expected)


def test_current_and_excluded_fiches_are_never_recommended(index):
    profile = Profile(
        riasec=SOCIAL,
        held_items=frozenset({1, 2, 3, 4, 5, 6}),
        current_fiches=("H0001",),
        excluded=frozenset({"K0001", "NOPE"}),
    )

    codes = {result.code_rome for result in index.recommend(profile, limit=100)}

    assert codes == {fiche.code_rome for fiche in FICHES} - {"H0001", "K0001"}


def test_limit(index):
    profile = Profile(riasec=SOCIAL)

    assert len(index.recommend(profile, limit=3)) == 3
    assert index.recommend(profile, limit=0) == ()
    assert len(index.recommend(profile, limit=100)) == len(FICHES)
    with pytest.raises(ValueError):
        index.recommend(profile, limit=-1)


def test_gap_lists_what_to_acquire(index):
    profile = Profile(riasec=SOCIAL, held_items=frozenset({2, 4, 20}))

    assert index.gap(profile, "K0001") == Gap(
        code_rome="K0001", missing_core=(1,), missing_other=(3, 5, 6), held=(2, 4)
    )
    assert index.gap(profile, "E0001") == Gap("E0001", (), (), ())
    with pytest.raises(UnknownFiche):
        index.gap(profile, "Z9999")


def test_same_answer_whatever_the_input_order(index):
    shuffled = list(FICHES)
    random.Random(3).shuffle(shuffled)
    profile = Profile(riasec=SOCIAL, held_items=frozenset({1, 9}), current_fiches=("H0001",))

    assert RecommendationIndex.build(shuffled).recommend(profile) == index.recommend(profile)
    assert index.recommend(profile) == index.recommend(profile)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Profile(riasec={"X": 0.5}),
        lambda: Profile(riasec={"S": 1.5}),
        lambda: Weights(riasec=-1),
        lambda: Weights(riasec=0, skills=0, mobility=0),
        lambda: FicheData("X0001", "Q", None, ()),
        lambda: FicheData("X0001", "", None, ()),
        lambda: RecommendationIndex.build([FICHES[0], FICHES[0]]),
    ],
)
def test_invalid_inputs_are_refused(make):
    with pytest.raises(ValueError):
        make()


# -- properties ----------------------------------------------------------------------------

ITEMS = st.integers(min_value=1, max_value=40)
LETTERS = st.sampled_from(RIASEC_ORDER)


@st.composite
def populations(draw) -> tuple[FicheData, ...]:
    codes = draw(
        st.lists(
            st.from_regex(r"[A-N][0-9]{4}", fullmatch=True), min_size=1, max_size=25, unique=True
        )
    )
    fiches = []
    for code in codes:
        items = draw(st.lists(ITEMS, max_size=12, unique=True))
        core = draw(st.sets(st.sampled_from(items))) if items else set()
        fiches.append(
            FicheData(
                code_rome=code,
                riasec_majeur=draw(LETTERS),
                riasec_mineur=draw(st.none() | LETTERS),
                items=tuple(items),
                core_items=frozenset(core),
                mobilities=tuple(draw(st.lists(st.sampled_from(codes), max_size=4))),
            )
        )
    return tuple(fiches)


@st.composite
def cases(draw) -> tuple[RecommendationIndex, Profile, tuple[str, ...]]:
    fiches = draw(populations())
    codes = tuple(fiche.code_rome for fiche in fiches)
    profile = Profile(
        riasec=draw(st.dictionaries(LETTERS, st.floats(0, 1), max_size=6)),
        held_items=frozenset(draw(st.sets(ITEMS, max_size=20))),
        current_fiches=tuple(draw(st.lists(st.sampled_from(codes), max_size=2))),
        excluded=frozenset(draw(st.sets(st.sampled_from(codes), max_size=2))),
    )
    return RecommendationIndex.build(fiches), profile, codes


WEIGHTS = (
    st.tuples(st.floats(0, 5), st.floats(0, 5), st.floats(0, 5))
    .filter(lambda triple: sum(triple) > 0.01)
    .map(lambda triple: Weights(*triple))
)


@settings(max_examples=150, deadline=None)
@given(case=cases(), weights=WEIGHTS, limit=st.integers(0, 30))
def test_scores_are_in_unit_range_sorted_and_limited(case, weights, limit):
    index, profile, codes = case

    results = index.recommend(profile, limit=limit, weights=weights)

    blocked = set(profile.current_fiches) | profile.excluded
    assert len(results) == min(limit, len(set(codes) - blocked))
    assert all(0.0 <= r.score <= 1.0 for r in results)
    assert all(0.0 <= r.riasec_fit <= 1.0 and 0.0 <= r.skills_fit <= 1.0 for r in results)
    keys = [(-r.score, r.code_rome) for r in results]
    assert keys == sorted(keys)
    assert not {r.code_rome for r in results} & blocked


@settings(max_examples=150, deadline=None)
@given(case=cases(), extra=ITEMS)
def test_holding_one_more_item_never_lowers_skills_coverage(case, extra):
    index, profile, codes = case
    more = Profile(
        riasec=profile.riasec,
        held_items=profile.held_items | {extra},
        current_fiches=profile.current_fiches,
        excluded=profile.excluded,
    )

    before = by_code(index.recommend(profile, limit=len(codes)))
    after = by_code(index.recommend(more, limit=len(codes)))

    for code, result in before.items():
        assert after[code].skills_fit >= result.skills_fit


@settings(max_examples=100, deadline=None)
@given(case=cases())
def test_explanations_agree_with_gap_analysis(case):
    index, profile, codes = case

    for result in index.recommend(profile, limit=len(codes)):
        gap = index.gap(profile, result.code_rome)
        assert result.held == gap.held
        assert result.missing_core == gap.missing_core
        assert result.missing_other_count == len(gap.missing_other)
        assert set(result.held) <= profile.held_items
        if result.mobility_path is not None:
            assert result.mobility_path[0] in profile.current_fiches
            assert result.mobility_path[-1] == result.code_rome
            assert len(result.mobility_path) in (2, 3)


# -- the full référentiel -------------------------------------------------------------------

needs_rome_full = pytest.mark.skipif(
    not (ROME_FULL / "unix_referentiel_code_rome_riasec_v460_utf8.csv").exists(),
    reason=f"full ROME data not found in {ROME_FULL}",
)


def _bench_module():
    """The bench script holds the CSV loader (kept out of matchcore on purpose)."""
    spec = importlib.util.spec_from_file_location(
        "bench_recommendations", ROOT / "bench" / "recommendations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rome():
    bench = _bench_module()
    fiches = bench.load_fiches(ROME_FULL)
    return bench, fiches, RecommendationIndex.build(fiches)


@pytest.mark.rome_full
@needs_rome_full
def test_full_referentiel_loads_every_fiche_with_items_and_mobilities(rome):
    _, fiches, index = rome

    assert len(index) == len(fiches) > 1500
    assert sum(1 for fiche in fiches if fiche.items) > 0.95 * len(fiches)
    assert sum(1 for fiche in fiches if fiche.core_items) > 0.5 * len(fiches)
    assert sum(1 for fiche in fiches if fiche.mobilities) > 0.5 * len(fiches)


@pytest.mark.rome_full
@needs_rome_full
def test_full_referentiel_social_carer_gets_health_and_social_fiches(rome):
    bench, _, index = rome
    care = bench.competences_matching(ROME_FULL, "soins", "hygiène", "accompagner")
    profile = Profile(
        riasec={"R": 0.2, "I": 0.3, "A": 0.2, "S": 1.0, "E": 0.2, "C": 0.2},
        held_items=care,
    )

    top = index.recommend(profile, limit=10)

    assert len(care) > 50
    health_or_social = [r.code_rome for r in top if r.code_rome[0] in "JK"]
    assert len(health_or_social) >= 7, [r.code_rome for r in top]
    assert all(r.riasec_fit >= 0.9 for r in top)
    assert all(r.held for r in top)


@pytest.mark.rome_full
@needs_rome_full
def test_full_referentiel_mobility_paths_start_from_the_current_fiche(rome):
    _, _, index = rome
    # an aide-soignant(e) with a Social profile
    profile = Profile(riasec={"S": 1.0, "R": 0.6}, current_fiches=("J1501",))

    top = index.recommend(profile, limit=10)

    assert "J1501" not in {r.code_rome for r in top}
    assert any(r.mobility_path and r.mobility_path[0] == "J1501" for r in top)
