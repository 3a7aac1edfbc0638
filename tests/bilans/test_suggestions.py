import csv
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.fixtures.rome_fixture import FIXTURE
from tisser.bilans import suggestions
from tisser.bilans.suggestions import (
    COMPETENCE,
    SAVOIR,
    ItemRow,
    RomeItemIndex,
    competences_suggest,
    get_index,
    rome_items_search,
    stem,
    terms,
)

ROME_FULL = Path(
    os.environ.get(
        "ROME_SOURCE", Path(__file__).resolve().parents[3] / "shared" / "data" / "rome-v460"
    )
)


@pytest.mark.parametrize(
    "family",
    [
        ("organisé", "organiser", "organisation", "organisateur", "organisées", "organise"),
        ("animer", "animation", "animé", "animatrice", "animant"),
        ("accueillir", "accueil", "accueilli", "accueillante"),
        ("gérer", "gestion", "géré", "gère"),
        ("former", "formation", "formateur", "formées"),
        ("communiquer", "communication", "communique"),
        ("budget", "budgets", "budgétaire"),
        ("accompagner", "accompagnement", "accompagné"),
        ("vendre", "vente", "vendeur"),
    ],
)
def test_words_of_one_family_share_a_stem(family):
    assert len({stem(terms(word)[0]) if False else terms(word)[0] for word in family}) == 1


def test_grammatical_words_numbers_and_auxiliaries_are_dropped():
    assert terms("J'ai organisé 3 fêtes avec nous tous, et c'était très bien") == [
        "organis",
        "fet",
        "bien",
    ]


ROWS = [
    ItemRow(COMPETENCE, 1, "Organiser un événement", "Mettre en œuvre un événement"),
    ItemRow(COMPETENCE, 2, "Gérer un budget"),
    ItemRow(COMPETENCE, 3, "Accueillir et orienter un client"),
    ItemRow(COMPETENCE, 4, "Réaliser des soudures à l'arc"),
    ItemRow(COMPETENCE, 5, "Organiser son travail"),
    ItemRow(COMPETENCE, 6, "Réaliser un suivi"),
    ItemRow(SAVOIR, 7, "Organisation d'événements"),
    ItemRow(SAVOIR, 8, "Gestion budgétaire"),
]


@pytest.fixture(scope="module")
def index():
    return RomeItemIndex.from_rows(ROWS)


def test_suggestions_follow_the_words_of_the_achievement_best_first(index):
    text = (
        "La fête de l'équipe. J'ai organisé l'événement, géré le budget et accueilli les "
        "clients invités."
    )

    found = index.suggest(text)

    assert [item.code_ogr for item in found][:3] == [1, 2, 3]
    assert all(item.kind == COMPETENCE for item in found)
    assert 4 not in {item.code_ogr for item in found}
    assert found == index.suggest(text)  # deterministic


def test_a_label_explained_by_common_words_only_ranks_after_a_specific_one(index):
    found = index.suggest("J'ai réalisé le suivi du budget que j'ai géré")

    codes = [item.code_ogr for item in found]
    assert codes.index(2) < codes.index(6)


def test_nothing_is_suggested_for_unrelated_or_empty_text(index):
    assert index.suggest("Le chat dort au soleil") == []
    assert index.suggest("") == []


def test_at_most_eight_suggestions():
    rows = [ItemRow(COMPETENCE, code, f"Organiser la tâche numéro {code}") for code in range(20)]

    assert len(RomeItemIndex.from_rows(rows).suggest("organiser la tâche")) == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("budget", {2, 8}),
        ("organisation évén", {1, 7}),
        ("evenem", {1, 7}),
        ("acueillir", {3}),  # a typo
        ("soudure arc", {4}),
    ],
)
def test_search_finds_competences_and_savoirs_as_you_type(index, query, expected):
    assert {item.code_ogr for item in index.search(query)} == expected


def test_search_narrows_to_one_kind(index):
    assert [item.code_ogr for item in index.search("budget", kind=SAVOIR)] == [8]


# -- on the synthetic ROME fixture, through the database ---------------------------------


@pytest.fixture
def rome(db):
    suggestions.clear_index_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    yield
    suggestions.clear_index_cache()


def test_fixture_achievement_suggests_its_competences(rome):
    found = competences_suggest(
        "Des seniors isolés de mon quartier. J'ai animé un atelier d'initiation au numérique "
        "à la médiathèque et accompagné chaque personne dans ses démarches en ligne. Ils "
        "font maintenant leurs démarches seuls."
    )

    codes = [item.code_ogr for item in found]
    assert codes[:2] == [96008, 96010]
    assert found[0].label == "Animer un atelier d'initiation au numérique"
    assert 96004 not in codes  # façonner des pâtons


def test_fixture_search_over_savoirs(rome):
    found = rome_items_search("ecoute", kind=SAVOIR)

    # The label that holds the word first; then what its meaning leads to, each saying the
    # fiche it came through (ADR 0040).
    assert found[0].label == "Écoute active"
    assert found[0].fiche == ""
    assert all(item.kind == SAVOIR and item.fiche for item in found[1:])


def test_the_index_is_built_once_per_rome_version(rome, django_assert_num_queries):
    first = get_index()
    with django_assert_num_queries(1):  # the current version only
        assert get_index() is first


def test_no_referentiel_no_suggestion(db):
    suggestions.clear_index_cache()
    assert competences_suggest("J'ai animé un atelier") == []


# -- on the real référentiel ---------------------------------------------------------------

needs_rome_full = pytest.mark.skipif(
    not (ROME_FULL / "unix_referentiel_competence_v460_utf8.csv").exists(),
    reason=f"full ROME data not found in {ROME_FULL}",
)


@pytest.fixture(scope="module")
def full_index():
    def rows(name):
        with (ROME_FULL / f"unix_{name}_v460_utf8.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    competences = rows("referentiel_competence")
    macro = {r["code_ogr"]: r["libelle_competence"] for r in competences}
    return RomeItemIndex.from_rows(
        [
            ItemRow(
                COMPETENCE,
                int(r["code_ogr"]),
                r["libelle_competence"],
                f"{macro.get(r['code_ogr_macro_comp'], '')} {r['definition']}".strip(),
            )
            for r in competences
        ]
        + [
            ItemRow(SAVOIR, int(r["code_ogr_savoir"]), r["libelle_savoir"])
            for r in rows("referentiel_savoir")
        ]
    )


@pytest.mark.rome_full
@needs_rome_full
@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        (
            "La fête de fin d'année de l'équipe. Nous étions 60, beaucoup en télétravail. "
            "J'ai organisé l'événement, réservé la salle, choisi le traiteur. "
            "La soirée a réuni toute l'équipe.",
            ("événement", "évènement"),
        ),
        (
            "Le service dépassait son budget chaque année. J'ai géré le budget, mis en place "
            "un suivi des dépenses et négocié avec les fournisseurs. Le budget a été tenu.",
            ("budget",),
        ),
        (
            "Les clients attendaient longtemps au magasin. J'ai réorganisé l'accueil, "
            "accueilli et renseigné les clients et je les ai orientés vers le bon conseiller.",
            ("accueil",),
        ),
    ],
)
def test_real_referentiel_suggestions_are_plausible(full_index, text, expected_words):
    top = [item.label.lower() for item in full_index.suggest(text)[:5]]

    assert len(top) == 5
    assert any(word in label for label in top for word in expected_words), top
