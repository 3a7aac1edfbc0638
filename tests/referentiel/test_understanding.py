"""The reading engine (ADR 0040): free text → fiches and compétences, through the ROME's own
structure. On the synthetic fixture through the database, then on the real référentiel."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.fixtures.rome_fixture import FIXTURE
from tisser.bilans.suggestions import competences_suggest
from tisser.referentiel.search import search_metiers
from tisser.referentiel.search import service as title_service
from tisser.referentiel.understanding import (
    COMPETENCE,
    SAVOIR,
    Understanding,
    clear_understanding_cache,
    get_understanding,
)
from tisser.referentiel.understanding.rows import rome_text_from_csv

ROOT = Path(__file__).resolve().parents[2]
ROME_FULL = Path(os.environ.get("ROME_SOURCE") or ROOT.parent / "shared" / "data" / "rome-v460")

# -- on the synthetic ROME fixture, through the database ---------------------------------------


@pytest.fixture
def rome(db, tmp_path):
    clear_understanding_cache()
    title_service.clear_index_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    with override_settings(TISSER_CACHE_DIR=tmp_path / "cache"):
        yield tmp_path / "cache"
    clear_understanding_cache()
    title_service.clear_index_cache()


BAKERY = (
    "Tous les matins je faisais le levain, je façonnais les pâtons à la main et je surveillais "
    "le four à bois. Les clients du quartier revenaient pour nos pains."
)


def test_a_recit_suggests_the_competences_of_the_fiche_it_reads_like(rome):
    found = competences_suggest(BAKERY)

    codes = [item.code_ogr for item in found]
    assert codes[:2] == [96004, 96005]  # façonner des pâtons, cuisson au four à bois
    first = found[0]
    assert first.kind == COMPETENCE
    # Why: the words of the text its label shares, and the fiche it came through.
    assert "pâtons" in first.words and "main" in first.words
    assert first.code_rome == "D1901"
    assert first.fiche == "Fournier / Fournière de quartier"
    assert 96003 not in codes  # the beehive's health says nothing of bread


def test_an_item_no_word_of_the_text_names_still_comes_through_its_fiche(rome):
    found = {item.code_ogr: item for item in competences_suggest(BAKERY)}

    # « Techniques de panification »: no word of the text, a cœur-de-métier savoir of D1901.
    assert found[97003].kind == SAVOIR
    assert found[97003].words == ()
    assert found[97003].fiche == "Fournier / Fournière de quartier"


def test_certifications_are_never_suggested(rome):
    found = competences_suggest(
        "J'ai animé des ateliers d'initiation au numérique à la médiathèque et j'ai obtenu le "
        "certificat de médiation numérique."
    )

    codes = [item.code_ogr for item in found]
    assert 96008 in codes
    assert 97006 not in codes  # Certificat de médiation numérique: a diploma, not a deed


def test_a_misspelt_word_still_counts(rome):
    found = competences_suggest("je faconais les patons a la main et je surveilais le four a bwa")

    assert 96004 in [item.code_ogr for item in found[:3]]


def test_nothing_known_nothing_suggested(rome):
    assert competences_suggest("zzz qwxv") == []
    assert competences_suggest("") == []


def test_no_referentiel_no_engine(db):
    clear_understanding_cache()
    assert get_understanding() is None
    assert competences_suggest("J'ai animé un atelier") == []


def test_the_metier_search_finds_a_description_and_keeps_titles_first(rome):
    by_title = search_metiers("fourniere")
    assert by_title[0].code_rome == "D1901"
    assert by_title[0].matched_label  # found through a name

    described = search_metiers("je fais du pain au levain et des viennoiseries")
    assert described[0].code_rome == "D1901"
    assert described[0].matched_label == ""
    assert "levain" in described[0].words


def test_the_engine_is_built_once_per_version_and_kept_on_disk(rome, django_assert_num_queries):
    first = get_understanding()
    with django_assert_num_queries(1):  # the current version only
        assert get_understanding() is first
    folders = list(rome.iterdir())
    assert len(folders) == 1 and (folders[0] / "lists.json").exists()

    # Another process (the memory cleared) loads it from disk: no référentiel query.
    clear_understanding_cache()
    with django_assert_num_queries(1):
        loaded = get_understanding()
    assert loaded is not first
    assert loaded.suggest(BAKERY) == first.suggest(BAKERY)


def test_a_damaged_disk_cache_is_rebuilt(rome):
    get_understanding()
    folder = next(rome.iterdir())
    (folder / "lists.json").write_text("{not json", encoding="utf-8")
    clear_understanding_cache()

    assert [item.code_ogr for item in competences_suggest(BAKERY)][:1] == [96004]
    # …and written again, whole: the next process loads it.
    json.loads((folder / "lists.json").read_text(encoding="utf-8"))
    clear_understanding_cache()
    assert [item.code_ogr for item in competences_suggest(BAKERY)][:1] == [96004]


def test_a_new_rome_version_gets_a_new_engine(rome):
    first = get_understanding()
    from tisser.referentiel.models import RomeVersion

    version = RomeVersion.objects.current()
    version.imported_at = version.imported_at.replace(year=version.imported_at.year + 1)
    version.save(update_fields=["imported_at"])

    assert get_understanding() is not first
    assert len(list(rome.iterdir())) == 2


def test_suggest_competences_command_speaks_jsonl(rome, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(BAKERY + "\nzzz\n"))
    call_command("suggest_competences", "--jsonl", "--limit", "3")

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["text"] for line in lines] == [BAKERY, "zzz"]
    first = lines[0]["results"][0]
    assert set(first) >= {"kind", "code_ogr", "label", "score"}
    assert first["code_ogr"] == 96004 and first["kind"] == COMPETENCE
    assert len(lines[0]["results"]) == 3
    assert lines[1]["results"] == []


def test_search_metiers_command_reads_descriptions(rome, capsys):
    call_command("search_metiers", "je", "fais", "du", "pain", "au", "levain")

    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(" 1. D1901")
    assert "d'après « " in out


# -- on the real référentiel -------------------------------------------------------------------

needs_rome_full = pytest.mark.skipif(
    not (ROME_FULL / "unix_referentiel_competence_v460_utf8.csv").exists(),
    reason=f"full ROME data not found in {ROME_FULL}",
)


@pytest.fixture(scope="module")
def full_engine():
    return Understanding.build(rome_text_from_csv(ROME_FULL))


@needs_rome_full
def test_everyday_words_reach_the_referentiel(full_engine):
    found = full_engine.suggest("je passais tous les matins chez les personnes : toilette, repas")
    labels = [item.label for item in found[:5]]

    assert "Préparer des repas" in labels
    assert found[0].code_rome in {"K1302", "K1304", "K1311"}  # aide à domicile, de vie


@needs_rome_full
def test_a_description_finds_its_metier(full_engine):
    codes = [reading.code_rome for reading in full_engine.metiers("je répare des vélos")[:5]]

    assert codes[0] == "I1619"  # Mécanicien / Mécanicienne cycles


@needs_rome_full
def test_the_holdout_figures_do_not_fall(full_engine):
    """A floor well under the measured figures (ADR 0040): it catches a broken engine, the
    benchmark gives the figures."""
    cases = json.loads((ROOT / "bench" / "data" / "reussites_holdout.json").read_text())
    hits = 0
    for case in cases:
        acceptable = {(item["kind"], item["code_ogr"]) for item in case["expect"]}
        got = [(item.kind, item.code_ogr) for item in full_engine.suggest(case["text"], limit=3)]
        hits += any(item in acceptable for item in got)
    assert hits / len(cases) >= 0.7


@needs_rome_full
def test_save_and_load_give_the_same_engine(full_engine, tmp_path):
    full_engine.save(tmp_path)
    loaded = Understanding.load(tmp_path)
    text = "J'ai organisé le vide-grenier de l'école et géré les bénévoles le jour J."

    assert loaded.suggest(text) == full_engine.suggest(text)
    assert loaded.metiers(text) == full_engine.metiers(text)


def test_a_misspelt_word_is_shown_as_she_wrote_it(rome):
    found = competences_suggest("je façonnais les pattons à la main")

    first = next(item for item in found if item.code_ogr == 96004)
    assert "pattons" in first.words  # as she wrote it, read as the référentiel's « pâtons »
