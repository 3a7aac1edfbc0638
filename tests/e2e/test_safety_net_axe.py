"""The safety net's pages pass axe-core at 1280 and 390 px, without sideways scroll: the
result of a check with strong felt isolation (resources and the small form open) and the
"Besoin d'aide ?" page (docs/adr/0020-safety-net.md)."""

import os

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.assessments import isolation
from tisser.assessments.services import isolation_check_record
from tisser.core.enums import Role

WIDTHS = (1280, 390)
SCREENSHOTS = os.environ.get("TISSER_SCREENSHOTS")


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_safety_net_pages_are_accessible(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire")
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.get().organisation,
        invited_by=consultant,
        user__first_name="Camille",
    )
    answers = {item.id: 3 for item in isolation.ITEMS}
    answers |= {"felt_1": 4, "felt_2": 4, "felt_3": 2, "felt_4": 5}
    check = isolation_check_record(user=beneficiary, moment="start", answers=answers)
    sign_in_as(page, live_server, beneficiary)

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/bilan/isolement/{check.pk}/")
        expect(page.get_by_role("heading", name="Vers qui vous tourner")).to_be_visible()
        page.locator("details summary").click()
        expect(page.get_by_label("Une ambiance de travail toxique", exact=False)).to_be_visible()
        axe_check(page)
        no_sideways_scroll(page, width)
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/safety-result-{width}.png", full_page=True)

        page.get_by_role("link", name="Besoin d'aide ?", exact=True).click()
        page.wait_for_url("**/aide/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Besoin d'aide ?")
        axe_check(page)
        no_sideways_scroll(page, width)
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/safety-help-{width}.png", full_page=True)
