"""The pages of the two self-inventories pass axe-core: the forms (with an error), the
results and the consultant's read-only view. The bilan journey covers the flow itself."""

import os

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.assessments import riasec, values
from tisser.assessments.services import interests_record
from tisser.core.enums import Role

SCREENSHOTS = os.environ.get("TISSER_SCREENSHOTS")


def answer(page, items, label_for) -> None:
    for item in items:
        label = label_for(item)
        if label is not None:
            group = page.get_by_role("group", name=str(item.text))
            group.get_by_label(label, exact=True).check()


def test_inventory_pages_are_accessible(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire")
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.get().organisation,
        invited_by=consultant,
        user__first_name="Camille",
    )
    interests_record(
        user=beneficiary, answers={item.id: 3 for item in riasec.ITEMS}
    )  # an earlier take, for the history
    sign_in_as(page, live_server, beneficiary)

    page.goto("/bilan/interets/repondre/")
    axe_check(page)
    skipped = riasec.BLOCKS[3][2]
    answer(
        page,
        riasec.ITEMS,
        lambda item: (
            None
            if item is skipped
            else "Cela m'attire beaucoup"
            if item.dimension in "SA"
            else "Cela m'attire peu"
        ),
    )
    page.get_by_role("button", name="Voir mes résultats").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    if SCREENSHOTS:
        page.get_by_role("group", name=str(skipped.text)).scroll_into_view_if_needed()
        page.screenshot(path=f"{SCREENSHOTS}/form.png")
    page.get_by_role("group", name=str(skipped.text)).get_by_label(
        "Cela m'attire beaucoup", exact=True
    ).check()
    page.get_by_role("button", name="Voir mes résultats").click()
    page.wait_for_url("**/bilan/interets/*/")
    assert "Le code : AS" in page.get_by_role("main").inner_text()
    axe_check(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/interests.png", full_page=True)

    page.goto("/bilan/valeurs/")
    axe_check(page)
    page.goto("/bilan/valeurs/repondre/")
    answer(
        page,
        values.ITEMS,
        lambda item: (
            "C'est essentiel pour moi"
            if item.dimension in ("service", "balance")
            else "Cela compte moyennement"
        ),
    )
    page.get_by_role("button", name="Voir mes résultats").click()
    page.wait_for_url("**/bilan/valeurs/*/")
    axe_check(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/values.png", full_page=True)

    sign_in_as(page, live_server, consultant)
    page.goto(f"/bilan/interets/beneficiaire/{beneficiary.pk}/")
    assert "Centres d'intérêt de Camille" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page)
    page.goto(f"/bilan/valeurs/beneficiaire/{beneficiary.pk}/")
    axe_check(page)
