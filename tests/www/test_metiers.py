import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.fixtures.rome_fixture import FIXTURE

ATTRIBUTION = "Source : France Travail, ROME 4.0 version 60"


@pytest.fixture
def rome(db):
    call_command("import_rome", str(FIXTURE), verbosity=0)


def test_search_page_lists_fiches_with_the_matched_appellation(client, rome):
    html = client.get(reverse("metiers:search"), {"q": "boulangere"}).content.decode()

    assert "Fournier / Fournière de quartier" in html
    assert "via « Boulangère au feu de bois »" in html
    assert ATTRIBUTION in html


def test_htmx_search_returns_the_results_fragment_of_the_full_page(client, rome):
    full = client.get(reverse("metiers:search"), {"q": "epicier"}).content.decode()
    fragment = client.get(
        reverse("metiers:search"), {"q": "epicier"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "<html" not in fragment
    assert "Épicier / Épicière de produits fins" in fragment
    assert fragment.strip() in full


def test_search_without_results_says_so(client, rome):
    html = client.get(reverse("metiers:search"), {"q": "astronaute"}).content.decode()

    assert "Aucun métier ne correspond à « astronaute »" in html


def test_search_before_any_import_says_the_referentiel_is_missing(client, db):
    html = client.get(reverse("metiers:search"), {"q": "boulanger"}).content.decode()

    assert "pas encore importé" in html


def test_fiche_page_shows_the_fiche_with_attribution(client, rome, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(reverse("metiers:fiche", args=["d1901"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1><span lang="fr">Fournier / Fournière de quartier</span></h1>' in html
    assert "Cœur de métier" in html
    assert ATTRIBUTION in html


def test_unknown_fiche_is_404(client, rome):
    assert client.get(reverse("metiers:fiche", args=["Z9999"])).status_code == 404


def test_api_search_and_detail(client, rome, people):
    client.force_login(people["beneficiary"])

    hits = client.get(reverse("api-v1:metier_search"), {"q": "epiciere"}).json()
    detail = client.get(reverse("api-v1:metier_detail", args=["D1902"])).json()

    assert hits[0]["code_rome"] == "D1902"
    assert detail["libelle"] == "Épicier / Épicière de produits fins"
    assert detail["source"] == ATTRIBUTION


def test_a_description_of_work_finds_its_fiche_and_says_from_which_words(client, rome, people):
    """ADR 0040: the search reads what one does, not only titles; page and API say why."""
    html = client.get(
        reverse("metiers:search"), {"q": "je fais du pain au levain et des viennoiseries"}
    ).content.decode()

    assert html.index("Fournier / Fournière de quartier") < html.index("Source : France")
    text = " ".join(html.split())
    assert "d'après vos mots" in text and "« levain »" in text

    client.force_login(people["beneficiary"])
    hits = client.get(
        reverse("api-v1:metier_search"), {"q": "je fais du pain au levain et des viennoiseries"}
    ).json()
    assert hits[0]["code_rome"] == "D1901"
    assert hits[0]["matched_label"] == ""
    assert "levain" in hits[0]["words"]
    titled = client.get(reverse("api-v1:metier_search"), {"q": "epiciere"}).json()
    assert titled[0]["words"] == []
