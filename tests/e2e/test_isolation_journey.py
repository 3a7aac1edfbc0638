"""A beneficiary takes the isolation check from "Mon parcours", forgets an answer, reads
their results, takes it again at the end of the bilan and follows their history on a chart
and in a table."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.assessments import isolation
from tisser.core.enums import Role


def answer_everything(page, value_for) -> None:
    for item in isolation.ITEMS:
        group = page.get_by_role("group", name=str(item.text))
        label = value_for(item)
        if label is not None:
            group.get_by_label(label, exact=True).check()


def test_beneficiary_takes_the_check_twice_and_follows_the_history(
    page, live_server, transactional_db
):
    consultant = member(Role.CONSULTANT, user__first_name="Claire")
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.get().organisation,
        invited_by=consultant,
        user__first_name="Camille",
    )
    sign_in_as(page, live_server, beneficiary)

    page.goto("/beneficiaire/")
    axe_check(page)
    page.get_by_role("link", name="Faire le point", exact=True).click()
    page.wait_for_url("**/bilan/isolement/")
    assert page.get_by_role("heading", level=1).inner_text() == "Faire le point sur mon isolement"
    axe_check(page)

    # One answer forgotten: it is flagged next to its statement, the others are kept.
    last = isolation.ITEMS[-1]
    answer_everything(
        page,
        lambda item: (
            None if item is last else "Plutôt pas d'accord" if item.reverse else "Plutôt d'accord"
        ),
    )
    forgotten = page.get_by_role("group", name=str(last.text))
    page.get_by_role("button", name="Voir mes résultats").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(forgotten.locator(".errorlist")).to_be_visible()
    first_group = page.get_by_role("group", name=str(isolation.ITEMS[0].text))
    assert first_group.get_by_label("Plutôt d'accord").is_checked()
    axe_check(page)
    forgotten.get_by_label("Plutôt d'accord").check()
    page.get_by_role("button", name="Voir mes résultats").click()

    page.wait_for_url("**/bilan/isolement/*/")
    assert "Ce n'est pas un diagnostic :" in page.get_by_role("main").inner_text()
    assert "Vue d'ensemble : 75 / 100" in page.get_by_role("main").inner_text()
    axe_check(page)

    page.goto("/bilan/isolement/")
    page.get_by_label("À quel moment faites-vous ce point ?").select_option("end")
    answer_everything(
        page, lambda item: "Plutôt d'accord" if item.reverse else "Plutôt pas d'accord"
    )
    page.get_by_role("button", name="Voir mes résultats").click()
    page.wait_for_url("**/bilan/isolement/*/")
    assert "Vue d'ensemble : 25 / 100" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Voir l'évolution de mes points").click()

    page.wait_for_url("**/bilan/isolement/historique/")
    chart = page.get_by_role("img", name="Évolution de mes scores d'isolement")
    expect(chart).to_be_visible()
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().startswith("Début du bilan")
    assert rows.nth(1).inner_text().startswith("Fin du bilan")
    assert "25" in rows.nth(1).inner_text()
    axe_check(page)
