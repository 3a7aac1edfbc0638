"""The error page, the accessibility statement and a form sent back with an error, at 1280 and
390 px: axe-core, no sideways scroll (measured by axe_check at 390 px), and the error summary
takes the focus and leads to its field (ADR 0028)."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role


def test_error_page_statement_and_error_summary(page, live_server, transactional_db):
    person = member(Role.BENEFICIARY)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/cette-page-n-existe-pas/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
        axe_check(page)
        page.goto("/accessibilite/")
        axe_check(page)

    sign_in(page, live_server, person)
    page.goto("/compte/profil/")
    page.get_by_label("Prénom").fill("")
    page.get_by_role("button", name="Enregistrer").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    axe_check(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Prénom")).to_be_focused()
