import csv
import dataclasses
import io
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tisser.referentiel import versioned
from tisser.referentiel.search import (
    MetierIndex,
    SearchResult,
    get_index,
    search_metiers,
    service,
)
from tisser.referentiel.search.normalize import MAX_QUERY_LENGTH, STOPWORDS, tokenize
from tisser.referentiel.search.service import clear_index_cache
from tisser.referentiel.search.synonyms import _TABLE, expand_query
from tisser.referentiel.search.variants import gender_forms, trailing_acronym
from tisser.referentiel.search.vocabulary import Vocabulary

ROME_FULL = Path(
    os.environ.get(
        "ROME_SOURCE", Path(__file__).resolve().parents[3] / "shared" / "data" / "rome-v460"
    )
)

# Invented codes; labels written the way ROME writes them.
FICHES = [
    ("T0101", "Boulanger / Boulangère"),
    ("T0102", "Pâtissier / Pâtissière"),
    ("T0103", "Agent / Agente d'entretien des locaux"),
    ("T0104", "Développeur / Développeuse informatique"),
    ("T0105", "Infirmier / Infirmière en soins généraux (IDE)"),
    ("T0106", "Directeur / Directrice des ressources humaines (DRH)"),
    ("T0107", "Professeur / Professeure des écoles"),
    ("T0108", "Kinésithérapeute"),
    ("T0109", "Aide-soignant / Aide-soignante"),
    ("T0110", "Conducteur / Conductrice de bus"),
    ("T0111", "Comptable"),
    ("T0112", "Assistant maternel / Assistante maternelle"),
    ("T0113", "Boucher / Bouchère"),
]
APPELLATIONS = [
    ("T0101", "Boulanger / Boulangère", "Boulanger / Boulangère"),
    ("T0101", "Ouvrier boulanger / Ouvrière boulangère", "Ouvrier(ère) boulanger(ère)"),
    ("T0102", "Pâtissier boulanger / Pâtissière boulangère", "Pâtissier(ère) boulanger(ère)"),
    ("T0103", "Agent / Agente d'entretien", "Agent(e) d'entretien"),
    ("T0103", "Agent / Agente de propreté de bureaux", "Agent(e) propreté bureaux"),
    ("T0104", "Développeur / Développeuse web", "Développeur(se) web"),
    ("T0104", "Développeur / Développeuse full-stack", "Développeur(se) full-stack"),
    ("T0105", "Infirmier / Infirmière de nuit", "Infirmier(ère) de nuit"),
    ("T0106", "Responsable des ressources humaines", "Responsable ressources humaines"),
    ("T0107", "Professeur / Professeure des écoles", "Professeur(e) des écoles"),
    ("T0108", "Masseur / Masseuse kinésithérapeute", "Masseur(se) kinésithérapeute"),
    ("T0109", "Aide-soignant / Aide-soignante en gériatrie", "Aide-soignant(e) gériatrie"),
    ("T0110", "Conducteur / Conductrice d'autobus", "Conducteur(trice) d'autobus"),
    ("T0111", "Comptable général / Comptable générale", "Comptable général(e)"),
    ("T0112", "Assistant maternel agréé / Assistante maternelle agréée", ""),
    ("T0113", "Boucher / Bouchère", "Boucher / Bouchère"),
    ("T0113", "Boucher-charcutier / Bouchère-charcutière", ""),
    ("Z9999", "Appellation d'une fiche inconnue", ""),
]


@pytest.fixture(scope="module")
def index():
    return MetierIndex.from_rows(FICHES, APPELLATIONS)


def codes(results):
    return [result.code_rome for result in results]


# -- label forms and normalisation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Agent / Agente d'entretien", ["Agent d'entretien", "Agente d'entretien"]),
        ("Boulanger / Boulangère", ["Boulanger", "Boulangère"]),
        (
            "Agent administratif / Agente administrative de banque",
            ["Agent administratif de banque", "Agente administrative de banque"],
        ),
        ("Artiste Plasticien / Plasticienne", ["Artiste Plasticien", "Artiste Plasticienne"]),
        ("Garçon / Fille de chenil", ["Garçon de chenil", "Fille de chenil"]),
        ("Lapidaire / Diamantaire", ["Lapidaire", "Diamantaire"]),
        (
            "Technicien(ne) électronicien(ne)",
            ["Technicien électronicien", "Technicienne électronicienne"],
        ),
        ("Conducteur(trice) de bus", ["Conducteur de bus", "Conductrice de bus"]),
        ("Chef(fe) d'équipe vendeur(se)", ["Chef d'équipe vendeur", "Cheffe d'équipe vendeuse"]),
        (
            "Chef / Cheffe de chantier principal(e)",
            ["Chef de chantier principal", "Cheffe de chantier principale"],
        ),
        ("Comptable", ["Comptable"]),
    ],
)
def test_gender_forms_split_rome_notations(label, expected):
    assert [form.text for form in gender_forms(label)] == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Infirmier / Infirmière en soins généraux (IDE)", "IDE"),
        ("Directeur / Directrice des systèmes d'information -DSI-", "DSI"),
        ("Accompagnant d'élèves en situation de handicap - AESH", "AESH"),
        ("Agent de maintenance (SAV) de distributeurs", None),
        ("Géophysicien / Géophysicienne (BTP)", None),
        ("Ingénieur / Ingénieure en Intelligence Artificielle (IA)", None),
        ("Ostréiculteur / Ostréicultrice (huîtres)", None),
    ],
)
def test_trailing_acronym_only_when_it_names_the_whole_label(label, expected):
    assert trailing_acronym(label) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aide-Soignante d'Hôpital", ["aide", "soignante", "d", "hopital"]),
        ("CŒUR  Œuvre", ["coeur", "oeuvre"]),
        ("poids lourds", ["poid", "lourd"]),
        ("bus", ["bus"]),
    ],
)
def test_tokenize_folds_case_accents_punctuation_and_plurals(text, expected):
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    ("typed", "word", "similarity"),
    [
        ("boucher", "boucher", 1.0),
        ("boulang", "boulanger", pytest.approx(0.55 + 0.35 * 7 / 9)),
        ("bouchre", "boucher", pytest.approx(1 - 1.5 / 7)),  # a swap is one edit
        ("bsu", "bus", None),  # no typo budget for words of three letters
        ("bu", "bus", None),  # nor prefixes under three letters
    ],
)
def test_vocabulary_matches_exact_words_prefixes_and_typos(typed, word, similarity):
    vocabulary = Vocabulary(["boucher", "boulanger", "bus"])

    matches = {vocabulary.words[token]: value for token, value in vocabulary.match(typed).items()}

    assert matches.get(word) == similarity


def test_query_expansion_keeps_the_query_and_adds_the_full_wording():
    variants = expand_query(tokenize("dev web"))

    assert variants[0].tokens == ("dev", "web")
    assert variants[0].confidence == 1.0
    assert ("developpeur", "web") in [variant.tokens for variant in variants]


# -- search over a small hand-written index -------------------------------------------------


@pytest.mark.parametrize("query", ["boulangère", "BOULANGÈRE", "Boulangere", "  boulangère  "])
def test_case_accents_and_spaces_do_not_matter(index, query):
    results = index.search(query)

    assert results[0].code_rome == "T0101"
    assert results[0].score == 1.0


@pytest.mark.parametrize(
    ("query", "code", "matched_label"),
    [
        ("boulangère", "T0101", "Boulangère"),
        ("boulanger", "T0101", "Boulanger"),
        ("agente d'entretien", "T0103", "Agente d'entretien"),
        ("agent d'entretien", "T0103", "Agent d'entretien"),
        ("conductrice de bus", "T0110", "Conductrice de bus"),
        ("assistante maternelle", "T0112", "Assistante maternelle"),
    ],
)
def test_each_gender_form_is_an_exact_match(index, query, code, matched_label):
    best = index.search(query)[0]

    assert (best.code_rome, best.matched_label, best.score) == (code, matched_label, 1.0)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("boulnager", "T0101"),  # transposition
        ("boulangr", "T0101"),  # deletion
        ("boullanger", "T0101"),  # insertion
        ("boulangor", "T0101"),  # substitution
        ("comptabel", "T0111"),
        ("infirmeire", "T0105"),
        ("conductrise de bus", "T0110"),
        ("kinesiterapeute", "T0108"),
        ("boulang", "T0101"),  # unfinished word
    ],
)
def test_typos_and_unfinished_words_still_find_the_fiche(index, query, code):
    assert index.search(query)[0].code_rome == code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("dev web", "T0104"),
        ("DRH", "T0106"),
        ("RH", "T0106"),
        ("prof des écoles", "T0107"),
        ("instit", "T0107"),
        ("kiné", "T0108"),
        ("aide soignante", "T0109"),
        ("compta", "T0111"),
        ("IDE", "T0105"),
        ("chauffeur de bus", "T0110"),
        ("nounou", "T0112"),
    ],
)
def test_short_forms_find_the_fiche(index, query, code):
    assert index.search(query)[0].code_rome == code


def test_results_are_grouped_by_fiche(index):
    # T0101 matches through its title, two appellations and their short labels.
    results = index.search("boulanger")

    assert len(codes(results)) == len(set(codes(results)))
    assert codes(results)[:2] == ["T0101", "T0102"]


def test_results_carry_the_fiche_and_the_best_name(index):
    best = index.search("ouvriere boulangere")[0]

    assert best == SearchResult(
        code_rome="T0101",
        libelle="Boulanger / Boulangère",
        score=1.0,
        matched_label="Ouvrière boulangère",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        best.score = 0.0


@pytest.mark.parametrize(("query", "exact"), [("boucher", "T0113"), ("boulanger", "T0101")])
def test_an_exact_match_ranks_above_partial_and_fuzzy_ones(index, query, exact):
    results = index.search(query)

    assert results[0].code_rome == exact
    assert results[0].score == 1.0
    assert all(result.score < 1.0 for result in results[1:])


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "de la", "!!!"])
def test_empty_or_meaningless_queries_give_no_result(index, query):
    assert index.search(query) == []


def test_a_very_long_query_is_cut_not_an_error(index):
    results = index.search("boulangère " + "x" * 10_000)

    assert results[0].code_rome == "T0101"
    assert index.search("a" * (MAX_QUERY_LENGTH * 10)) == []


def test_limit_bounds_the_results(index):
    assert len(index.search("agent", limit=1)) == 1
    assert index.search("boulanger", limit=0) == []


def test_appellations_of_unknown_fiches_are_ignored(index):
    assert "Z9999" not in codes(index.search("appellation fiche inconnue"))


def test_an_empty_index_finds_nothing():
    assert MetierIndex.from_rows([], []).search("boulanger") == []


def test_concurrent_searches_give_the_same_results(index):
    queries = ["boulangère", "dev web", "kiné", "agent", "comptabel"] * 20
    expected = [index.search(query) for query in queries]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(index.search, queries)) == expected


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=300), limit=st.integers(min_value=0, max_value=15))
def test_any_query_gives_well_formed_results(index, query, limit):
    results = index.search(query, limit=limit)

    assert len(results) <= limit
    assert len(set(codes(results))) == len(results)
    assert all(0.0 <= result.score <= 1.0 for result in results)
    assert [result.score for result in results] == sorted(
        (result.score for result in results), reverse=True
    )


# -- the database-backed index and the command ----------------------------------------------


@pytest.fixture
def fresh_index_cache():
    # Ids are reused once a test's transaction is rolled back: never trust a previous index.
    clear_index_cache()
    yield
    clear_index_cache()


def rome_version_create(number):
    from tisser.referentiel.models import RomeVersion

    RomeVersion.objects.filter(is_current=True).update(is_current=False)
    return RomeVersion.objects.create(
        number=number, checksum=f"{number:064d}", imported_at=timezone.now(), is_current=True
    )


def metier_create(code_rome, libelle, appellations):
    from tisser.referentiel.models import (
        Appellation,
        AppellationClassification,
        DomaineProfessionnel,
        GrandDomaine,
        Metier,
    )

    grand, _ = GrandDomaine.objects.get_or_create(code="T", defaults={"libelle": "Essais"})
    domaine, _ = DomaineProfessionnel.objects.get_or_create(
        code="T01", defaults={"libelle": "Essais", "grand_domaine": grand}
    )
    metier = Metier.objects.create(
        code_rome=code_rome, code_ogr=Metier.objects.count() + 1, libelle=libelle, domaine=domaine
    )
    for libelle_long, libelle_court in appellations:
        Appellation.objects.create(
            code_ogr=Appellation.objects.count() + 1000,
            metier=metier,
            libelle=libelle_long,
            libelle_court=libelle_court,
            classification=AppellationClassification.SYNONYME,
        )
    return metier


@pytest.fixture
def referentiel(db, fresh_index_cache):
    metier_create(
        "T0101",
        "Boulanger / Boulangère",
        [("Boulanger / Boulangère", "Boulanger / Boulangère"), ("Mitron / Mitronne", "")],
    )
    metier_create("T0108", "Kinésithérapeute", [("Masseur / Masseuse kinésithérapeute", "")])
    return rome_version_create(60)


def test_concurrent_first_calls_build_the_index_once(monkeypatch, fresh_index_cache):
    builds = []

    def slow_build():
        builds.append(1)
        time.sleep(0.05)
        return MetierIndex.from_rows(FICHES, APPELLATIONS)

    monkeypatch.setattr(versioned, "current_version", lambda: (1, None))
    monkeypatch.setattr(service, "_build_from_database", slow_build)

    with ThreadPoolExecutor(max_workers=8) as pool:
        indexes = list(pool.map(lambda _: get_index(), range(8)))

    assert len(builds) == 1
    assert all(index is indexes[0] for index in indexes)


def test_search_metiers_reads_the_current_referentiel(referentiel):
    best = search_metiers("mitronne")[0]

    assert (best.code_rome, best.libelle, best.matched_label) == (
        "T0101",
        "Boulanger / Boulangère",
        "Mitronne",
    )


def test_the_index_is_built_once_per_version(referentiel, django_assert_max_num_queries):
    index = get_index()

    with django_assert_max_num_queries(1):  # only the current version is read
        assert get_index() is index

    metier_create("T0120", "Fromager / Fromagère", [])
    assert "T0120" not in codes(search_metiers("fromagère"))  # same version: cached

    rome_version_create(61)
    assert get_index() is not index
    assert codes(search_metiers("fromagère"))[0] == "T0120"


def test_without_a_referentiel_nothing_is_found(db, fresh_index_cache):
    assert search_metiers("boulanger") == []


def test_command_jsonl_answers_one_json_line_per_query(referentiel, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("boulangère\n\nkine\n"))
    out = io.StringIO()

    call_command("search_metiers", "--jsonl", stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["q"] for line in lines] == ["boulangère", "", "kine"]
    assert all(set(line) == {"q", "results"} for line in lines)
    assert lines[1]["results"] == []
    assert lines[0]["results"][0] == {
        "code_rome": "T0101",
        "libelle": "Boulanger / Boulangère",
        "score": 1.0,
    }
    assert lines[2]["results"][0]["code_rome"] == "T0108"
    for line in lines:
        assert len(line["results"]) <= 10
        for result in line["results"]:
            assert set(result) == {"code_rome", "libelle", "score"}
            assert isinstance(result["score"], float)


def test_command_prints_a_table_for_a_query(referentiel):
    out = io.StringIO()

    call_command("search_metiers", "mitron", stdout=out)

    assert "T0101" in out.getvalue()
    assert "via « Mitron »" in out.getvalue()


def test_command_needs_a_query_or_jsonl(referentiel):
    with pytest.raises(CommandError):
        call_command("search_metiers", stdout=io.StringIO())


# -- the full référentiel -------------------------------------------------------------------

needs_rome_full = pytest.mark.skipif(
    not (ROME_FULL / "unix_referentiel_appellation_v460_utf8.csv").exists(),
    reason=f"full ROME data not found in {ROME_FULL}",
)


@pytest.fixture(scope="module")
def full_index():
    def rows(name):
        with (ROME_FULL / f"unix_{name}_v460_utf8.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    return MetierIndex.from_rows(
        ((row["code_rome"], row["libelle_rome"]) for row in rows("referentiel_code_rome")),
        (
            (row["code_rome"], row["libelle_appellation_long"], row["libelle_appellation_court"])
            for row in rows("referentiel_appellation")
        ),
    )


@pytest.mark.rome_full
@needs_rome_full
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("boulangère", "D1102"),
        ("dev web", "M1855"),
        ("DRH", "M1503"),
        ("prof des écoles", "K2106"),
        ("kiné", "J1404"),
        ("aide soignante", "J1501"),
        ("infirmiere", "J1506"),
        ("assistante maternelle", "K1310"),
        ("UX", "E1206"),
        ("data scientist", "M1405"),
        ("bouchr", "D1101"),
        ("conducteur de bus", "N4103"),
        ("secretaire medicale", "M1609"),
    ],
)
def test_full_referentiel_top_result(full_index, query, code):
    assert full_index.search(query)[0].code_rome == code


@pytest.mark.rome_full
@needs_rome_full
def test_every_short_form_expansion_uses_words_of_the_referentiel(full_index):
    vocabulary = full_index.vocabulary

    unknown = {
        " ".join(expansion): missing
        for expansions in _TABLE.values()
        for expansion in expansions
        if (missing := [t for t in expansion if t not in vocabulary and t not in STOPWORDS])
    }

    assert unknown == {}
