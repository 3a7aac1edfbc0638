"""A beneficiary writes a réussite in her own words and sees, for each suggestion, why it came
(her words, the métier her récit reads like); she keeps a savoir no word of hers named. Then
the portfolio's search finds by meaning, and the métier search finds a description of work
(ADR 0040). At 1280 and 390 px, axe-core on every page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, no_sideways_scroll, sign_in
from tests.factories import member
from tests.fixtures.rome_fixture import FIXTURE
from tisser.bilans import services as bilans
from tisser.bilans.models import Funding
from tisser.core.enums import Role


@pytest.fixture
def rome(transactional_db, settings, tmp_path):
    settings.TISSER_CACHE_DIR = tmp_path / "cache"
    call_command("import_rome", str(FIXTURE), verbosity=0)


def land(page, action, url_glob: str) -> None:
    """Act, wait for the new page, check it with axe-core at 1280 px, then at 390 px with no
    sideways scroll, and come back to 1280 px."""
    with page.expect_navigation(url=url_glob):
        action()
    page.wait_for_load_state()
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 900})
    axe_check(page)
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_recit_in_her_own_words(page, live_server, rome, transactional_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    consultant = member(Role.CONSULTANT)
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.first().organisation,
        invited_by=consultant,
        user__first_name="Inès",
    )
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    sign_in(page, live_server, beneficiary)
    main = page.get_by_role("main")

    land(page, lambda: page.goto(f"/bilans/{bilan.pk}/reussites/"), "**/reussites/")
    page.get_by_label("Titre de la réussite").fill("Le fournil du quartier")
    page.get_by_label("La situation").fill("Le boulanger du quartier partait en vacances.")
    page.get_by_label("Ce que j'ai fait").fill(
        "Tous les matins je faisais le levain, je façonnais les pâtons à la main et je "
        "surveillais le four à bois."
    )
    page.get_by_label("Le résultat").fill("Les clients revenaient pour nos pains.")
    land(
        page,
        lambda: main.get_by_role("button", name="Enregistrer la réussite").click(),
        "**/reussites/*/**",
    )

    suggestions = page.locator("#suggestions")
    first = suggestions.locator("li").first
    expect(first).to_contain_text("Façonner des pâtons à la main")
    expect(first).to_contain_text("Mots du récit : « pâtons », « main »")
    expect(first).to_contain_text("un récit proche du métier « Fournier / Fournière de quartier »")
    # A savoir that none of her words names, suggested through the fiche.
    savoir = suggestions.locator("li", has_text="Techniques de panification")
    expect(savoir).to_contain_text("Savoir")
    expect(savoir).not_to_contain_text("Mots du récit")
    land(
        page,
        lambda: savoir.get_by_role("button", name="La garder : Techniques de panification").click(),
        "**/reussites/*/**",
    )
    expect(suggestions).to_contain_text("Gardées, dans le portefeuille")

    # The portfolio holds it as a savoir; its search finds by meaning too.
    land(page, lambda: page.goto(f"/bilans/{bilan.pk}/portefeuille/"), "**/portefeuille/")
    expect(main).to_contain_text("Techniques de panification")
    search = page.get_by_label("Chercher dans le ROME")
    search.fill("pain au levain")
    land(page, lambda: search.press("Enter"), "**/portefeuille/**")
    results = page.locator("ul.results")
    expect(results).to_contain_text("proche du sens de votre recherche")

    # The métier search reads a description of work.
    land(
        page,
        lambda: page.goto("/metiers/?q=je+fais+du+pain+au+levain+et+des+viennoiseries"),
        "**/metiers/**",
    )
    found = page.locator("ol.results > li").first
    expect(found).to_contain_text("Fournier / Fournière de quartier")
    expect(found).to_contain_text("d'après vos mots")
