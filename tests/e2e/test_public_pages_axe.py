"""The organisme's public pages (ADR 0038): the coordinator publishes the offer and the
results after a confirmation, then an anonymous visitor reads both; axe-core at 1280 and
390 px on the coordinator's page and on both public pages, none scrolling sideways."""

from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_identity_emargement_axe import check_widths
from tests.factories import member
from tisser.core.enums import Role


def test_the_coordinator_publishes_and_a_visitor_reads_both_pages(
    page, live_server, transactional_db
):
    cache.clear()
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    organisation.disability_referent_name = "Sami Roux"
    organisation.save()
    sign_in(page, live_server, coordinator)

    page.goto("/coordination/")
    page.get_by_role("link", name="Pages publiques : offre et résultats").click()
    check_widths(page)

    # A duration over the law's 24 hours is said next to the field, the rest kept.
    page.locator("#id_duration_hours").fill("30")
    page.locator("#id_price_amount").fill("1 800")
    page.get_by_role("button", name="Enregistrer l'offre").click()
    expect(page.locator("#id_duration_hours_error")).to_contain_text("24 heures au plus")
    expect(page.locator("#id_price_amount")).to_have_value("1 800")
    check_widths(page)
    page.locator("#id_duration_hours").fill("24")
    page.get_by_role("button", name="Enregistrer l'offre").click()
    expect(page.get_by_role("status")).to_contain_text("L'offre est enregistrée")

    for confirm in ("Publier l'offre", "Publier les résultats"):
        page.get_by_role("button", name="Publier la page").first.click()
        check_widths(page)
        page.get_by_role("button", name=confirm).click()
        expect(page.get_by_role("status")).to_contain_text("est publiée")
    expect(page.get_by_role("button", name="Retirer la page")).to_have_count(2)
    offer_url = page.locator("#url-offer").input_value()
    results_url = page.locator("#url-results").input_value()

    page.context.clear_cookies()
    page.goto(offer_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le bilan de compétences : notre offre"
    )
    expect(page.get_by_text("1 800 € TTC par bilan.")).to_be_visible()
    expect(page.get_by_text("Sami Roux")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_have_count(0)
    check_widths(page)

    page.get_by_role("link", name="Nos résultats").click()
    assert page.url == results_url
    expect(page.get_by_role("heading", level=1)).to_have_text("Nos résultats")
    expect(page.get_by_text("Moins de 5 : chiffre masqué").first).to_be_visible()
    check_widths(page)
