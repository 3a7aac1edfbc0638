"""The mentor describes what they can pass on and is offered the compétences of their fiches
that the description suggests (ADR 0040), without losing anything typed."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.mentoring.test_profiles_views import MENTOR_FORM
from tisser.mentoring.models import MentorProfile
from tisser.referentiel.models import Competence

URL = "/mentorat/mon-profil-mentor/"


def _suggest(client, text, **fields):
    return client.post(
        reverse("mentoring:mentor_profile"),
        {**MENTOR_FORM, **fields, "skills_q": text, "skill_suggest": "1"},
    )


def _flat(response) -> str:
    return " ".join(response.content.decode().split())


def _suggested(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="skill-suggested-(\d+)"', response.text)]


def _pk(code_ogr: int) -> int:
    return Competence.objects.get(code_ogr=code_ogr).pk


def test_the_description_proposes_only_compétences_of_the_mentor_s_fiches(client, rome, people):
    client.force_login(people["mentor"])

    # « conseiller les clients » reads like the épicier's fiche, not one of the mentor's
    response = _suggest(client, "conseiller les clients et semer des plantes")

    assert response.status_code == 200
    assert _suggested(response) == [_pk(96001), _pk(95001)]
    html = _flat(response)
    assert "2 compétences de vos fiches correspondent à votre description" in html
    assert "Vos mots : « plantes », « semer »" in html
    assert "Votre mot : « plantes »" in html
    assert "Conseiller un client" not in html
    # One box per compétence: the fiche's list names a suggested one without a second box
    assert html.count(f'value="{_pk(96001)}"') == 1
    assert "proposée plus haut" in html
    assert not MentorProfile.objects.exists()


def test_the_suggestions_follow_every_fiche_chosen(client, rome, people):
    client.force_login(people["mentor"])

    response = _suggest(
        client,
        "conseiller les clients et semer des plantes",
        current_fiches=["A1901", "D1901"],
    )

    assert _suggested(response) == [_pk(96006), _pk(96001), _pk(95001)]


def test_asking_for_suggestions_keeps_everything_typed(client, rome, people):
    client.force_login(people["mentor"])
    chosen = _pk(95101)  # « Faire preuve de patience », not suggested below

    response = _suggest(
        client,
        "cuisson au four",
        headline="Tapé avant",
        current_fiches=["A1901", "D1901"],
        past_fiches_q="épicier",
        skills=[str(chosen)],
        departement="69",
    )

    assert response.status_code == 200
    html = _flat(response)
    assert 'value="Tapé avant"' in html
    assert 'value="cuisson au four"' in html
    assert 'id="current_fiches-D1901" value="D1901" checked' in html
    assert f'id="skill-{chosen}" checked' in html
    assert 'value="épicier"' in html
    assert _suggested(response)[0] == _pk(96005)
    assert "Vos mots : « cuisson », « four »" in html
    assert not MentorProfile.objects.exists()


def test_ticking_a_suggested_compétence_saves_it(client, rome, people):
    client.force_login(people["mentor"])
    response = _suggest(client, "récolter les feuilles")
    skill = _pk(96002)
    assert f'name="skills" value="{skill}" id="skill-suggested-{skill}"' in _flat(response)

    saved = client.post(
        reverse("mentoring:mentor_profile"),
        {**MENTOR_FORM, "skills_q": "récolter les feuilles", "skills": [str(skill)]},
    )

    assert saved.status_code == 302
    profile = MentorProfile.objects.get(user=people["mentor"])
    assert list(profile.skills.values_list("code_ogr", flat=True)) == [96002]
    page = client.get(URL)
    assert 'id="skills_q"' in page.text and "récolter les feuilles" not in page.text


def test_a_suggested_compétence_already_chosen_is_ticked_and_can_be_unticked(client, rome, people):
    client.force_login(people["mentor"])
    skill = _pk(96002)

    response = _suggest(client, "récolter les feuilles", skills=[str(skill)])

    html = _flat(response)
    assert f'id="skill-suggested-{skill}" aria-describedby="skill-why-{skill}" checked' in html
    assert f'id="skill-{skill}"' not in html  # unticking the suggestion is enough


def test_an_empty_description_is_explained(client, rome, people):
    client.force_login(people["mentor"])

    response = _suggest(client, "   ")

    assert response.status_code == 200
    assert "Écrivez d'abord quelques mots sur ce que vous pouvez transmettre" in _flat(response)
    assert not _suggested(response)


def test_a_description_that_suggests_nothing_says_so(client, rome, people):
    client.force_login(people["mentor"])

    response = _suggest(client, "cuisson au four")  # the fournier's, not the cultivateur's

    assert not _suggested(response)
    html = _flat(response)
    assert "Aucune compétence de vos fiches métier ne correspond à votre description" in html
    assert f'id="skill-{_pk(96001)}"' in html  # the lists below are still there


def test_without_fiches_the_mentor_is_told_to_choose_them_first(client, rome, people):
    client.force_login(people["mentor"])

    response = _suggest(client, "semer des plantes", current_fiches=[])

    assert response.status_code == 200
    assert "les compétences proposées viennent d'elles" in _flat(response)


def test_without_a_référentiel_nothing_breaks(client, db, people):
    client.force_login(people["mentor"])

    response = _suggest(client, "semer des plantes", current_fiches=[])

    assert response.status_code == 200
    assert not _suggested(response)


def test_without_a_reading_engine_the_lists_remain(client, rome, people, monkeypatch):
    monkeypatch.setattr("tisser.mentoring.services.profiles.get_understanding", lambda: None)
    client.force_login(people["mentor"])

    response = _suggest(client, "semer des plantes")

    assert response.status_code == 200
    assert "aucune compétence ne peut être proposée" in response.text
    assert f'id="skill-{_pk(96001)}"' in response.text


def _queries(client, **fields) -> int:
    with CaptureQueriesContext(connection) as context:
        response = _suggest(client, "semer des plantes, conseiller les clients", **fields)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_suggestions_cost_the_same_queries_whatever_the_number_of_fiches(client, rome, people):
    client.force_login(people["mentor"])
    _queries(client)  # the reading engine is built once per process

    one = _queries(client, current_fiches=["A1901"], past_fiches=["D1902"])
    four = _queries(client, current_fiches=["A1901", "D1901"], past_fiches=["D1902", "A1902"])
    with CaptureQueriesContext(connection) as context:
        client.post(
            reverse("mentoring:mentor_profile"),
            {**MENTOR_FORM, "past_fiches": ["D1902"], "refresh": "1"},
        )
    without = len(context.captured_queries)

    assert one == four
    assert one <= without + 1  # the current ROME version, to find the engine
