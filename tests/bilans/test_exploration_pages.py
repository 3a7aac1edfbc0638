"""Pistes de métiers, gap analysis, shortlist and projects pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.exploration_helpers import (  # noqa: F401 - fixtures: bilan, rome
    bilan_close,
    bilan_fixture,
    interests_record,
    portfolio_add,
    rome_fixture,
)
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import CheckItem, Project, ProjectKind, ShortlistEntry
from tisser.core.enums import Role
from tisser.referentiel.models import Metier

SOURCE = "Source : France Travail, ROME 4.0 version 60"


@pytest.fixture
def explored(rome, bilan, people):
    """A beneficiary with S-A interests and the K1901 atelier compétence."""
    interests_record(people["beneficiary"], bilan.organisation, S=90, A=70, E=20)
    portfolio_add(bilan, 96008, level=3)
    return bilan


def page(client, user, url_name, *args, **query):
    client.force_login(user)
    response = client.get(reverse(url_name, args=args), query)
    return response, response.content.decode()


def test_pistes_rank_and_explain_the_fiches(client, people, explored):
    response, html = page(client, people["beneficiary"], "bilans:pistes", explored.pk)

    assert response.status_code == 200
    assert html.index("Animateur / Animatrice d&#x27;ateliers numériques") < html.index(
        "Fournier / Fournière de quartier"
    )
    assert "Votre profil S-A rejoint le profil S-A de ce métier." in html
    assert "Animer un atelier d&#x27;initiation au numérique" in html
    assert "Cœur de métier à acquérir" in html
    assert "Garder pour l'explorer" in html
    assert SOURCE in html


def test_pistes_say_what_the_profile_lacks(client, people, rome, bilan):
    _response, html = page(client, people["beneficiary"], "bilans:pistes", bilan.pk)

    assert "Complétez vos centres d'intérêt pour affiner" in html
    assert "Complétez votre portefeuille pour affiner" in html
    assert "Reliez vos expériences à des fiches métiers" in html


def test_pistes_without_a_referentiel_say_so(client, people, bilan):
    _response, html = page(client, people["beneficiary"], "bilans:pistes", bilan.pk)

    assert "pas encore importé" in html


def test_the_consultant_reads_the_pistes_without_acting_on_them(client, people, explored):
    response, html = page(client, people["consultant"], "bilans:pistes", explored.pk)

    assert response.status_code == 200
    assert "Animateur / Animatrice d&#x27;ateliers numériques" in html
    assert "Garder pour l'explorer" not in html
    assert "seule cette personne peut les modifier" in html


@pytest.mark.parametrize(
    "url_name", ["bilans:pistes", "bilans:shortlist", "bilans:projects", "bilans:gap_search"]
)
@pytest.mark.parametrize("who", ["coordinator", "mentor", "other_beneficiary", "other_consultant"])
def test_nobody_else_sees_the_exploration(client, people, organisation, explored, url_name, who):
    other = {
        "other_beneficiary": lambda: member(Role.BENEFICIARY, organisation),
        "other_consultant": lambda: member(Role.CONSULTANT, organisation),
    }.get(who, lambda: people[who])()

    response, _html = page(client, other, url_name, explored.pk)

    assert response.status_code == 404


def test_the_consultant_cannot_write(client, people, explored):
    client.force_login(people["consultant"])

    response = client.post(reverse("bilans:fiche_shortlist", args=[explored.pk, "K1901"]))

    assert response.status_code == 404
    assert not ShortlistEntry.objects.exists()


def pistes_queries(client, bilan, user) -> int:
    client.force_login(user)
    client.get(reverse("bilans:pistes", args=[bilan.pk]))  # the index is built once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("bilans:pistes", args=[bilan.pk])).status_code == 200
    return len(queries)


def test_the_pistes_page_takes_a_fixed_number_of_queries(client, people, explored):
    few = pistes_queries(client, explored, people["beneficiary"])
    for code in ("K1901", "D1901", "A1901"):
        bilans.shortlist_add(
            actor=people["beneficiary"], bilan=explored, metier=Metier.objects.get(code_rome=code)
        )
    for code_ogr in (97005, 97003, 96004):
        portfolio_add(explored, code_ogr)

    assert pistes_queries(client, explored, people["beneficiary"]) == few
    assert few <= 16


def test_keep_a_fiche_then_note_it(client, people, explored):
    client.force_login(people["beneficiary"])
    next_url = reverse("bilans:pistes", args=[explored.pk]) + "#piste-K1901"

    response = client.post(
        reverse("bilans:fiche_shortlist", args=[explored.pk, "K1901"]), {"next": next_url}
    )

    assert response["Location"] == next_url
    entry = ShortlistEntry.objects.get()
    html = client.get(reverse("bilans:shortlist", args=[explored.pk])).content.decode()
    assert "Animateur / Animatrice d&#x27;ateliers numériques" in html
    assert f'name="entry-{entry.pk}-note"' in html

    response = client.post(
        reverse("bilans:shortlist_update", args=[explored.pk, entry.pk]),
        {
            f"entry-{entry.pk}-note": "Rencontrer une médiatrice",
            f"entry-{entry.pk}-status": "explored",
            f"entry-{entry.pk}-version": "1",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.note, entry.status) == ("Rencontrer une médiatrice", "explored")


def test_an_outside_redirect_is_ignored(client, people, explored):
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("bilans:fiche_dismiss", args=[explored.pk, "D1901"]),
        {"next": "https://ailleurs.example.org/"},
    )

    assert response["Location"] == reverse("bilans:pistes", args=[explored.pk])


def test_a_stale_note_shows_both_versions_and_keeps_the_typed_one(client, people, explored):
    beneficiary = people["beneficiary"]
    entry = bilans.shortlist_add(
        actor=beneficiary, bilan=explored, metier=Metier.objects.get(code_rome="K1901")
    )
    bilans.shortlist_update(
        actor=beneficiary,
        entry=entry,
        note="Version de l'autre onglet",
        status="to_explore",
        expected_version=1,
    )
    client.force_login(beneficiary)

    response = client.post(
        reverse("bilans:shortlist_update", args=[explored.pk, entry.pk]),
        {
            f"entry-{entry.pk}-note": "Mon texte à moi",
            f"entry-{entry.pk}-status": "explored",
            f"entry-{entry.pk}-version": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Version de l&#x27;autre onglet" in html
    assert "Mon texte à moi" in html
    assert f'name="entry-{entry.pk}-version" value="2"' in html


def test_dismissed_fiches_leave_the_pistes_and_can_come_back(client, people, explored):
    client.force_login(people["beneficiary"])
    client.post(reverse("bilans:fiche_dismiss", args=[explored.pk, "K1901"]))

    html = client.get(reverse("bilans:pistes", args=[explored.pk])).content.decode()
    assert 'id="piste-K1901"' not in html
    assert "1 métier écarté n'est plus proposé." in html

    client.post(reverse("bilans:fiche_restore", args=[explored.pk, "K1901"]))
    html = client.get(reverse("bilans:pistes", args=[explored.pk])).content.decode()
    assert 'id="piste-K1901"' in html


def test_the_gap_page_lists_what_to_acquire(client, people, explored):
    response, html = page(client, people["beneficiary"], "bilans:gap", explored.pk, "k1901")

    assert response.status_code == 200
    assert html.index("Outils de visioconférence") < html.index("Certificat de médiation")
    assert "Ce que vous avez déjà" in html
    assert reverse("metiers:fiche", args=["K1901"]) in html
    assert SOURCE in html


def test_the_gap_of_an_unknown_fiche_is_a_404(client, people, explored):
    response, _html = page(client, people["beneficiary"], "bilans:gap", explored.pk, "Z9999")

    assert response.status_code == 404


def test_the_public_fiche_leads_the_beneficiary_to_their_gap(client, people, explored):
    _response, html = page(client, people["beneficiary"], "metiers:fiche", "K1901")
    assert reverse("bilans:gap_mine", args=["K1901"]) in html

    response = client.get(reverse("bilans:gap_mine", args=["K1901"]))
    assert response["Location"] == reverse("bilans:gap", args=[explored.pk, "K1901"])


def test_any_fiche_is_found_for_a_gap_analysis(client, people, explored):
    _response, html = page(
        client, people["beneficiary"], "bilans:gap_search", explored.pk, q="boulanger"
    )

    assert reverse("bilans:gap", args=[explored.pk, "D1901"]) in html


# --- Projects --------------------------------------------------------------------------------


def test_a_project_form_with_errors_keeps_the_input(client, people, explored):
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("bilans:project_create", args=[explored.pk]),
        {
            "kind": "training",
            "title": "",
            "motivation": "Transmettre",
            "other_codes": "K19",
            "version": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_title_error"' in html
    assert "« K19 » n&#x27;est pas un code ROME" in html
    assert "Transmettre" in html
    assert not Project.objects.exists()


def test_create_a_project_targeting_a_shortlisted_fiche(client, people, explored):
    beneficiary = people["beneficiary"]
    k1901 = Metier.objects.get(code_rome="K1901")
    bilans.shortlist_add(actor=beneficiary, bilan=explored, metier=k1901)
    client.force_login(beneficiary)
    form_html = client.get(
        reverse("bilans:project_create", args=[explored.pk]), {"metier": "K1901"}
    ).content.decode()
    assert f'value="{k1901.pk}" checked' in form_html or "checked" in form_html

    response = client.post(
        reverse("bilans:project_create", args=[explored.pk]),
        {
            "kind": "training",
            "title": "Animer des ateliers numériques",
            "targets": [k1901.pk],
            "other_codes": "k1902",
            "motivation": "Transmettre",
            "version": "1",
        },
    )

    project = Project.objects.get()
    assert response["Location"] == reverse("bilans:project", args=[explored.pk, project.pk])
    assert sorted(project.targets.values_list("code_rome", flat=True)) == ["K1901", "K1902"]
    assert project.preferred


def project_with_steps(bilan, beneficiary) -> Project:
    project = bilans.project_create(
        actor=beneficiary,
        bilan=bilan,
        kind=ProjectKind.TRAINING,
        title="Se former",
        targets=[Metier.objects.get(code_rome="K1901")],
    )
    today = timezone.localdate()
    bilans.project_step_add(
        actor=beneficiary, project=project, title="Étape oubliée", due_on=today - timedelta(1)
    )
    bilans.project_step_add(
        actor=beneficiary, project=project, title="Étape à venir", due_on=today + timedelta(9)
    )
    return project


def test_the_project_page_shows_the_checklist_and_overdue_steps(client, people, explored):
    project = project_with_steps(explored, people["beneficiary"])

    response, html = page(client, people["beneficiary"], "bilans:project", explored.pk, project.pk)

    assert response.status_code == 200
    for item in CheckItem:
        assert str(item.label) in html
    assert html.count("En retard") == 1
    assert "1 étape a dépassé son échéance." in html
    assert reverse("bilans:gap", args=[explored.pk, "K1901"]) in html


def test_the_consultant_reads_the_project(client, people, explored):
    project = project_with_steps(explored, people["beneficiary"])

    response, html = page(client, people["consultant"], "bilans:project", explored.pk, project.pk)

    assert response.status_code == 200
    assert "<caption" in html and "Étape oubliée" in html
    assert "Ajouter une étape" not in html
    assert "Modifier le projet" not in html


def test_a_closed_bilan_shows_its_projects_without_forms(client, people, explored):
    project = project_with_steps(explored, people["beneficiary"])
    bilan_close(explored)

    _response, html = page(client, people["beneficiary"], "bilans:project", explored.pk, project.pk)

    assert "Ce bilan est terminé" in html
    assert "Ajouter une étape" not in html


def test_a_step_is_added_and_an_invalid_one_is_explained(client, people, explored):
    project = project_with_steps(explored, people["beneficiary"])
    client.force_login(people["beneficiary"])
    url = reverse("bilans:project_step_add", args=[explored.pk, project.pk])

    bad = client.post(url, {"step-title": "Appeler l'OPCO", "step-due_on": "demain"})
    assert bad.status_code == 400
    assert 'id="id_step-due_on_error"' in bad.content.decode()
    assert "Appeler l&#x27;OPCO" in bad.content.decode()

    good = client.post(url, {"step-title": "Appeler l'OPCO", "step-due_on": "15/09/2026"})
    assert good.status_code == 302
    assert project.steps.filter(title="Appeler l'OPCO").exists()


def test_a_checklist_point_is_saved_from_the_page(client, people, explored):
    project = project_with_steps(explored, people["beneficiary"])
    check = project.checks.get(item=CheckItem.FINANCING)
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("bilans:project_check_update", args=[explored.pk, project.pk, check.pk]),
        {
            f"check-{check.pk}-status": "done",
            f"check-{check.pk}-note": "CPF",
            f"check-{check.pk}-version": "1",
        },
    )

    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.note) == ("done", "CPF")


def test_the_projects_list_takes_a_fixed_number_of_queries(client, people, explored):
    beneficiary = people["beneficiary"]
    project_with_steps(explored, beneficiary)
    client.force_login(beneficiary)
    url = reverse("bilans:projects", args=[explored.pk])
    client.get(url)  # the session is read and refreshed once
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    for title in ("Deux", "Trois"):
        project_with_steps(explored, beneficiary).title = title
    with CaptureQueriesContext(connection) as three:
        html = client.get(url).content.decode()

    assert len(three) == len(one)
    assert html.count("Projet privilégié") == 1


def test_mine_and_the_consultant_detail_link_to_the_exploration(client, people, bilan):
    _response, mine = page(client, people["beneficiary"], "bilans:mine")
    _response, detail = page(client, people["consultant"], "bilans:detail", bilan.pk)

    for html in (mine, detail):
        assert reverse("bilans:pistes", args=[bilan.pk]) in html
        assert reverse("bilans:projects", args=[bilan.pk]) in html


def test_the_tools_to_complete_the_profile_are_linked_once_their_pages_exist(
    client, people, rome, bilan, monkeypatch
):
    from tisser.www.bilans import exploration_views

    monkeypatch.setitem(exploration_views.TOOL_URLS, "portfolio", ("bilans:detail", True))
    monkeypatch.setitem(exploration_views.TOOL_URLS, "interests", ("bilans:mine", False))

    _response, html = page(client, people["beneficiary"], "bilans:pistes", bilan.pk)

    assert f'<a href="{reverse("bilans:detail", args=[bilan.pk])}">' in html
    assert f'<a href="{reverse("bilans:mine")}">' in html
