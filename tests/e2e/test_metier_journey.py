"""A beneficiary signs in, looks for a métier with a typo, opens its fiche and signs out."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.factories import PASSWORD, member
from tests.fixtures.rome_fixture import FIXTURE
from tisser.core.enums import Role


@pytest.fixture
def rome(transactional_db):
    call_command("import_rome", str(FIXTURE), verbosity=0)


def test_beneficiary_searches_a_metier_and_reads_its_fiche(page, rome, transactional_db):
    beneficiary = member(Role.BENEFICIARY, user__first_name="Camille")

    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Se connecter").first.click()
    axe_check(page)
    page.get_by_label("Courriel").fill(beneficiary.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()

    page.wait_for_url("**/beneficiaire/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Camille"
    axe_check(page)

    # The search box on "Mon parcours" leads to the métier search; results come as one types.
    page.get_by_label("Un métier, un mot-clé").fill("boulangre")
    page.get_by_role("main").get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/metiers/?q=boulangre")
    results = page.locator("ol.results > li")
    assert "Fournier / Fournière de quartier" in results.first.inner_text()
    axe_check(page)

    search_box = page.get_by_label("Un métier, une appellation ou un mot-clé")
    search_box.fill("epiciere")
    expect(page.locator("#results")).to_contain_text("Épicier")
    assert "epiciere" in page.url  # the HTMX search keeps the address shareable
    axe_check(page)

    page.get_by_role("link", name="Épicier / Épicière de produits fins").click()
    page.wait_for_url("**/metiers/D1902/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Épicier / Épicière de produits fins"
    )
    assert "Source : France Travail, ROME 4.0 version" in page.content()
    axe_check(page)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    axe_check(page)
