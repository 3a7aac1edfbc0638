"""The 404 and 403 pages are the site's own, in French: not Django's bare English ones."""

from django.urls import reverse

from tests.factories import member
from tisser.core.enums import Role


def test_an_unknown_page_answers_404_in_french(client, db):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and "Not Found" not in html
    assert '<html lang="fr">' in html


def test_another_roles_space_answers_403_in_french(client, db):
    client.force_login(member(Role.CONSULTANT))

    response = client.get(reverse("bilans:mine"))

    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and "Forbidden" not in html
