"""The error pages are the site's own, in French, in the site's layout with a way back: not
Django's bare English ones. A refusal answers 404 like a missing page (ADR 0028). The test
settings run with DEBUG=False, as in production."""

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path, reverse
from django.views.defaults import server_error

from config.urls import urlpatterns as site_urlpatterns
from tests.factories import member
from tisser.core.enums import Role


@login_not_required
def _boom(request):
    raise RuntimeError("boom")


def _refused(request):
    raise PermissionDenied


@login_not_required
def _suspicious(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("essai/erreur/", _boom),
    path("essai/refus/", _refused),
    path("essai/douteux/", _suspicious),
    *site_urlpatterns,
]
handler403 = "tisser.www.errors.permission_denied"


def test_the_tests_run_without_debug():
    assert settings.DEBUG is False


def test_an_unknown_page_answers_404_in_french(client, db):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and "Not Found" not in html
    assert '<html lang="fr">' in html
    assert 'class="site-header"' in html and 'href="/"' in html


def test_another_roles_space_answers_404_in_french(client, db):
    client.force_login(member(Role.CONSULTANT))

    response = client.get(reverse("bilans:mine"))

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and "Forbidden" not in html


@pytest.mark.urls("tests.www.test_error_pages")
def test_a_permission_denied_anywhere_answers_the_404_page(client, db):
    client.force_login(member(Role.BENEFICIARY))

    response = client.get("/essai/refus/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.urls("tests.www.test_error_pages")
def test_a_server_error_answers_500_in_french_with_a_way_back(db):
    client = Client(raise_request_exception=False)

    response = client.get("/essai/erreur/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue de notre côté" in html
    assert "Server Error" not in html
    assert '<html lang="fr">' in html and 'class="site-header"' in html
    assert "Revenir à l'accueil" in html and 'href="/"' in html


def test_the_500_page_needs_no_database_nor_context_processor(rf):
    """No `db` fixture: any query while rendering fails the test."""
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Une erreur est survenue de notre côté" in response.content.decode()


@pytest.mark.urls("tests.www.test_error_pages")
def test_a_bad_request_answers_400_in_french(client, db):
    response = client.get("/essai/douteux/")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête incorrecte" in html and "Bad Request" not in html
    assert 'href="/"' in html


def test_an_unknown_host_answers_400_in_french(client, db):
    response = client.get("/", HTTP_HOST="ailleurs.example")

    assert response.status_code == 400
    assert "Requête incorrecte" in response.content.decode()


def test_an_expired_form_answers_403_in_french(db):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("account_login"), {"login": "a@example.org"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and "CSRF verification failed" not in html


def test_the_english_404_is_in_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()
