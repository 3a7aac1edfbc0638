from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.bilans.test_investigation_services import ATELIER, close
from tests.fixtures.rome_fixture import FIXTURE
from tisser.bilans import services as bilans
from tisser.bilans import suggestions
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Experience,
    Funding,
    ItemKind,
    PortfolioItem,
    SuggestionDecision,
)
from tisser.referentiel.models import Metier

ATTRIBUTION = "Source : France Travail, ROME 4.0 version 60"


@pytest.fixture
def rome(db):
    suggestions.clear_index_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    yield
    suggestions.clear_index_cache()


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


@pytest.fixture
def beneficiary(client, people):
    client.force_login(people["beneficiary"])
    return people["beneficiary"]


def add_experience(bilan, actor, **overrides):
    values = {
        "kind": Experience.Kind.JOB,
        "title": "Médiatrice numérique",
        "organisation_name": "Médiathèque de Muret",
        "started_on": date(2021, 3, 1),
        "ended_on": None,
    }
    return bilans.experience_create(actor=actor, bilan=bilan, **{**values, **overrides})


EXPERIENCE_POST = {
    "kind": "job",
    "title": "Assistante de direction",
    "organisation_name": "Garonne Logistique",
    "started_on": "2015-09-01",
    "ended_on": "2021-02-28",
    "description": "Agenda, courrier, accueil.",
}


# -- parcours -------------------------------------------------------------------------------


def test_the_parcours_is_a_timeline_newest_first_with_french_dates(client, bilan, beneficiary):
    add_experience(
        bilan,
        beneficiary,
        title="Secrétaire",
        started_on=date(2012, 1, 1),
        ended_on=date(2015, 6, 30),
    )
    add_experience(
        bilan,
        beneficiary,
        title="Caissière",
        started_on=date(2009, 4, 1),
        ended_on=date(2011, 8, 31),
    )
    add_experience(bilan, beneficiary)

    html = client.get(reverse("bilans:parcours", args=[bilan.pk])).content.decode()

    assert html.index("Médiatrice numérique") < html.index("Secrétaire")
    assert "depuis <time" in html and ">mars 2021</time>" in html
    assert ">de janvier 2012</time> à <time" in html and ">juin 2015</time>" in html
    # « de » elides before a month that starts with a vowel (ADR 0027)
    assert ">d&#x27;avril 2009</time> à <time" in html and ">août 2011</time>" in html
    assert "Ajouter une expérience" in html


def test_adding_an_experience_leads_to_its_fiche_picker(client, bilan, beneficiary):
    response = client.post(reverse("bilans:parcours", args=[bilan.pk]), EXPERIENCE_POST)

    experience = Experience.objects.get()
    assert response["Location"] == (
        reverse("bilans:experience_edit", args=[bilan.pk, experience.pk]) + "#fiches"
    )
    assert (experience.title, experience.ended_on) == ("Assistante de direction", date(2021, 2, 28))


def test_an_end_before_the_start_is_said_next_to_the_field_and_the_input_kept(
    client, bilan, beneficiary
):
    response = client.post(
        reverse("bilans:parcours", args=[bilan.pk]),
        {**EXPERIENCE_POST, "ended_on": "2014-01-01"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_ended_on_error"' in html
    assert "La fin ne peut pas précéder le début (1er septembre 2015)." in html
    assert 'value="Garonne Logistique"' in html
    assert not Experience.objects.exists()


def test_fiches_are_found_and_linked_without_javascript(client, bilan, beneficiary, rome):
    experience = add_experience(bilan, beneficiary)
    url = reverse("bilans:experience_edit", args=[bilan.pk, experience.pk])

    html = client.get(url, {"q": "fournier"}).content.decode()
    assert "Fournier / Fournière de quartier" in html and ATTRIBUTION in html

    client.post(
        reverse("bilans:experience_fiche_add", args=[bilan.pk, experience.pk]),
        {"code_rome": "D1901"},
    )
    assert list(experience.fiches.values_list("code_rome", flat=True)) == ["D1901"]

    client.post(
        reverse("bilans:experience_fiche_remove", args=[bilan.pk, experience.pk]),
        {"code_rome": "D1901"},
    )
    assert not experience.fiches.exists()


def test_the_fiche_picker_answers_htmx_with_its_results_only(client, bilan, beneficiary, rome):
    experience = add_experience(bilan, beneficiary)

    fragment = client.get(
        reverse("bilans:experience_edit", args=[bilan.pk, experience.pk]),
        {"q": "fournier"},
        headers={"HX-Request": "true"},
    ).content.decode()

    assert "<html" not in fragment
    assert 'name="code_rome" value="D1901"' in fragment


def test_a_stale_experience_form_shows_both_versions(client, bilan, beneficiary):
    experience = add_experience(bilan, beneficiary)
    url = reverse("bilans:experience_edit", args=[bilan.pk, experience.pk])
    client.post(url, {**EXPERIENCE_POST, "title": "Version de l'autre onglet", "version": 1})

    response = client.post(url, {**EXPERIENCE_POST, "title": "Ma version", "version": 1})

    html = response.content.decode()
    assert response.status_code == 409
    assert "Version de l&#x27;autre onglet" in html  # saved meanwhile
    assert 'value="Ma version"' in html  # what was typed
    assert 'name="version" value="2"' in html
    assert Experience.objects.get().title == "Version de l'autre onglet"


def test_deleting_an_experience(client, bilan, beneficiary):
    experience = add_experience(bilan, beneficiary)

    url = reverse("bilans:experience_delete", args=[bilan.pk, experience.pk])

    asked = client.post(url).content.decode()
    assert "Supprimer l&#x27;expérience « Médiatrice numérique » ?" in asked
    assert Experience.objects.exists()
    client.post(url, {"confirmed": "oui"})

    assert not Experience.objects.exists()


def count_queries(client, url):
    client.get(url)  # the first page after signing in also touches the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_parcours_page_does_not_grow_in_queries_with_experiences(
    client, bilan, beneficiary, rome
):
    url = reverse("bilans:parcours", args=[bilan.pk])
    fiches = list(Metier.objects.all()[:2])
    add_experience(bilan, beneficiary, fiches=fiches)
    one = count_queries(client, url)
    for index in range(5):
        add_experience(bilan, beneficiary, title=f"Poste {index}", fiches=fiches)

    assert count_queries(client, url) == one <= 12


# -- réussites ------------------------------------------------------------------------------


def test_telling_an_achievement_shows_its_suggestions_to_decide(client, bilan, beneficiary, rome):
    response = client.post(reverse("bilans:achievements", args=[bilan.pk]), ATELIER)

    achievement = Achievement.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Animer un atelier d&#x27;initiation au numérique" in page
    assert "La garder" in page and "L'écarter" in page
    assert ATTRIBUTION in page

    suggestion = achievement.suggestions.get(code_ogr=96008)
    client.post(reverse("bilans:suggestion_accept", args=[bilan.pk, suggestion.pk]))
    other = achievement.suggestions.get(code_ogr=96010)
    client.post(reverse("bilans:suggestion_reject", args=[bilan.pk, other.pk]))

    item = PortfolioItem.objects.get()
    assert (item.code_ogr, list(item.achievements.all())) == (96008, [achievement])
    page = client.get(
        reverse("bilans:achievement_edit", args=[bilan.pk, achievement.pk])
    ).content.decode()
    assert "Gardées, dans le portefeuille" in page
    assert "1 compétence écartée" in page


def test_a_missing_part_of_the_story_is_said_next_to_it(client, bilan, beneficiary):
    response = client.post(
        reverse("bilans:achievements", args=[bilan.pk]), {**ATELIER, "result": ""}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_result_error"' in html
    assert ATELIER["situation"] in html
    assert not Achievement.objects.exists()


# -- portfolio ------------------------------------------------------------------------------


def test_the_portfolio_search_works_as_a_plain_get_form(client, bilan, beneficiary, rome):
    html = client.get(
        reverse("bilans:portfolio", args=[bilan.pk]), {"q": "ecoute", "nature": "savoir"}
    ).content.decode()

    add_url = reverse("bilans:portfolio_add", args=[bilan.pk]) + "?nature=savoir&amp;code=97008"
    assert "Écoute active" in html and add_url in html
    assert ATTRIBUTION in html


def test_adding_an_item_with_level_and_preference(client, bilan, beneficiary, rome):
    url = reverse("bilans:portfolio_add", args=[bilan.pk])
    form = client.get(url, {"nature": "savoir", "code": 97008}).content.decode()
    assert "<h1>Écoute active</h1>" in form
    assert "<legend>Mon niveau</legend>" in form

    response = client.post(
        url,
        {
            "kind": "savoir",
            "code": 97008,
            "level": 3,
            "preference": "wanted",
            "evidence": "Au guichet",
        },
    )

    assert response["Location"] == reverse("bilans:portfolio", args=[bilan.pk])
    item = PortfolioItem.objects.get()
    assert (item.label, item.level, item.preference) == ("Écoute active", 3, "wanted")


def test_adding_an_unknown_item_is_404(client, bilan, beneficiary, rome):
    response = client.get(
        reverse("bilans:portfolio_add", args=[bilan.pk]), {"nature": "savoir", "code": 1}
    )

    assert response.status_code == 404


def test_a_missing_level_is_said_next_to_it(client, bilan, beneficiary, rome):
    response = client.post(
        reverse("bilans:portfolio_add", args=[bilan.pk]),
        {"kind": "savoir", "code": 97008, "preference": "wanted", "evidence": "Au guichet"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_level_error"' in html
    assert "Au guichet" in html


def test_the_portfolio_tells_wanted_from_endured(client, bilan, beneficiary, rome):
    for code, preference in ((96008, "wanted"), (96007, "endured"), (96004, "neutral")):
        bilans.portfolio_item_add(
            actor=beneficiary,
            bilan=bilan,
            kind=ItemKind.COMPETENCE,
            code_ogr=code,
            preference=preference,
        )

    html = client.get(reverse("bilans:portfolio", args=[bilan.pk])).content.decode()

    wanted = html.index("Ce que j&#x27;ai envie d&#x27;utiliser")
    endured = html.index("Ce que je fais parce qu&#x27;il le faut")
    assert wanted < html.index("Animer un atelier") < endured < html.index("Tenir un rayon")
    assert "<caption>" in html and '<th scope="row">' in html
    assert ATTRIBUTION in html


def test_the_portfolio_page_does_not_grow_in_queries_with_items(client, bilan, beneficiary, rome):
    url = reverse("bilans:portfolio", args=[bilan.pk])
    achievement = bilans.achievement_create(actor=beneficiary, bilan=bilan, **ATELIER)
    bilans.portfolio_item_add(
        actor=beneficiary,
        bilan=bilan,
        kind=ItemKind.SAVOIR,
        code_ogr=97008,
        achievements=[achievement],
    )
    one = count_queries(client, url)
    for code in (96001, 96002, 96003, 96004, 96005):
        bilans.portfolio_item_add(
            actor=beneficiary,
            bilan=bilan,
            kind=ItemKind.COMPETENCE,
            code_ogr=code,
            achievements=[achievement],
        )

    assert count_queries(client, url) == one <= 12


def test_a_stale_portfolio_form_shows_the_saved_level(client, bilan, beneficiary, rome):
    item = bilans.portfolio_item_add(
        actor=beneficiary, bilan=bilan, kind=ItemKind.SAVOIR, code_ogr=97008
    )
    url = reverse("bilans:portfolio_item_edit", args=[bilan.pk, item.pk])
    data = {"level": 4, "preference": "wanted", "evidence": "", "version": 1}
    client.post(url, data)

    response = client.post(url, {**data, "level": 1, "evidence": "Ma version"})

    html = response.content.decode()
    assert response.status_code == 409
    assert "Peut transmettre" in html and "Ma version" in html
    item.refresh_from_db()
    assert item.level == 4


# -- needs and aspirations ------------------------------------------------------------------


def test_aspirations_are_saved_then_version_checked(client, bilan, beneficiary):
    url = reverse("bilans:aspirations", args=[bilan.pk])
    assert 'name="version" value="0"' in client.get(url).content.decode()

    client.post(url, {"mobility": "Toulouse", "time": "4 jours", "version": 0})
    response = client.post(url, {"mobility": "Paris", "version": 0})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Toulouse" in html and "Paris" in html
    assert Aspirations.objects.get().mobility == "Toulouse"


def test_constraints_say_what_they_are_for_and_ask_for_no_health_data(client, bilan, beneficiary):
    """Minimisation (L6313-4, RGPD art. 5 and 9): the field that was « santé et contraintes
    personnelles » asks only what the project must respect, and says so next to it."""
    url = reverse("bilans:aspirations", args=[bilan.pk])
    html = " ".join(client.get(url).content.decode().split())

    assert "Contraintes à prendre en compte" in html
    assert "N&#x27;indiquez ni diagnostic ni donnée médicale" in html
    assert 'aria-describedby="id_constraints_helptext"' in html
    assert "Santé" not in html

    client.post(url, {"constraints": "Pas de travail de nuit", "version": 0})
    assert Aspirations.objects.get().constraints == "Pas de travail de nuit"


# -- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["bilans:parcours", "bilans:achievements", "bilans:portfolio", "bilans:aspirations"]
)
def test_the_consultant_reads_without_forms(client, people, bilan, url_name, rome):
    add_experience(bilan, people["beneficiary"])
    bilans.aspirations_save(
        actor=people["beneficiary"], bilan=bilan, expected_version=0, mobility="Toulouse"
    )
    client.force_login(people["consultant"])

    response = client.get(reverse(url_name, args=[bilan.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "seule cette personne peut le modifier" in html


def test_the_consultant_cannot_post(client, people, bilan):
    client.force_login(people["consultant"])

    response = client.post(reverse("bilans:parcours", args=[bilan.pk]), EXPERIENCE_POST)

    assert response.status_code == 404
    assert not Experience.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_others_of_the_organisation_get_404(client, people, bilan, role):
    client.force_login(people[role])

    assert client.get(reverse("bilans:parcours", args=[bilan.pk])).status_code == 404
    assert client.get(reverse("bilans:portfolio", args=[bilan.pk])).status_code == 404


def test_a_closed_bilan_is_shown_read_only_to_its_beneficiary(client, bilan, beneficiary):
    add_experience(bilan, beneficiary)
    close(bilan)

    html = client.get(reverse("bilans:parcours", args=[bilan.pk])).content.decode()
    response = client.post(reverse("bilans:parcours", args=[bilan.pk]), EXPERIENCE_POST)

    assert "Ce bilan est terminé" in html and "Ajouter une expérience" not in html
    assert "Ce bilan est terminé" in response.content.decode()
    assert Experience.objects.count() == 1


def test_mine_and_detail_link_to_the_tools(client, people, bilan):
    client.force_login(people["beneficiary"])
    mine = client.get(reverse("bilans:mine")).content.decode()
    client.force_login(people["consultant"])
    detail = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()

    for html in (mine, detail):
        assert reverse("bilans:portfolio", args=[bilan.pk]) in html
        assert reverse("bilans:parcours", args=[bilan.pk]) in html


def test_a_start_in_the_future_is_said_next_to_the_field_and_the_input_kept(
    client, bilan, beneficiary
):
    response = client.post(
        reverse("bilans:parcours", args=[bilan.pk]),
        {**EXPERIENCE_POST, "started_on": "2031-01-01", "ended_on": ""},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_started_on_error"' in html
    assert "Le début ne peut pas être après aujourd&#x27;hui" in html
    assert 'value="2031-01-01"' in html
    assert not Experience.objects.exists()


def test_each_suggestion_says_why_and_the_consultant_reads_it_in_the_third_person(
    client, bilan, beneficiary, rome, people
):
    """ADR 0040: the words of the récit and the métier it reads like, for each suggestion;
    the page speaks to the person who wrote it, and about her to her consultant. Each first
    decision is counted for the organisation, with its rank and nothing of the text."""
    response = client.post(reverse("bilans:achievements", args=[bilan.pk]), ATELIER)
    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "Mots du récit : « animé », « ateliers », « numériques », « initiation »" in page
    assert "un récit proche du métier « Animateur / Animatrice d&#x27;ateliers numériques »" in page
    assert "Gardez ceux qui vous ressemblent" in page

    achievement = Achievement.objects.get()
    first = achievement.suggestions.order_by("rank").first()
    assert (first.rank, first.code_ogr) == (1, 96008)
    client.post(reverse("bilans:suggestion_accept", args=[bilan.pk, first.pk]))
    decision = SuggestionDecision.objects.get()
    assert (decision.organisation_id, decision.rank, decision.accepted) == (
        bilan.organisation_id,
        1,
        True,
    )
    assert len(decision.contributor) == 64  # a keyed hash, never the bilan's number
    # A change of mind is not counted twice.
    client.post(reverse("bilans:suggestion_accept", args=[bilan.pk, first.pk]))
    assert SuggestionDecision.objects.count() == 1

    client.force_login(people["consultant"])
    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "Seule la personne décide de ceux qu'elle garde" in page
    assert "Gardez ceux qui vous ressemblent" not in page
