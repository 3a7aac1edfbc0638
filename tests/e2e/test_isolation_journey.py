"""A beneficiary takes the isolation check from "Mon parcours", forgets an answer, reads
their results (the 16 items and the direct question on loneliness, ADR 0031), takes it again
at the end of the bilan and follows their history on a chart and in a table, on a computer
and on a phone."""

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE_WIDTH, axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.assessments import isolation, loneliness
from tisser.core.enums import Role


def answer_everything(page, value_for, lonely: str | None = "De temps en temps") -> None:
    for item in isolation.ITEMS:
        group = page.get_by_role("group", name=str(item.text))
        label = value_for(item)
        if label is not None:
            group.get_by_label(label, exact=True).check()
    if lonely is not None:
        frequency = page.get_by_role("group", name=str(loneliness.FREQUENCY_QUESTION))
        frequency.get_by_label(lonely, exact=True).check()


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

    # One answer forgotten, and the question on loneliness: each is flagged next to it and
    # in the summary at the top, the others are kept.
    last = isolation.ITEMS[-1]
    answer_everything(
        page,
        lambda item: (
            None if item is last else "Plutôt pas d'accord" if item.reverse else "Plutôt d'accord"
        ),
        lonely=None,
    )
    forgotten = page.get_by_role("group", name=str(last.text))
    frequency = page.get_by_role("group", name=str(loneliness.FREQUENCY_QUESTION))
    page.get_by_role("button", name="Voir mes résultats").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(forgotten.locator(".errorlist")).to_be_visible()
    expect(frequency.locator(".errorlist")).to_have_text(
        "Choisissez une réponse pour cette question."
    )
    expect(page.get_by_role("alert").get_by_role("link")).to_have_count(2)
    first_group = page.get_by_role("group", name=str(isolation.ITEMS[0].text))
    assert first_group.get_by_label("Plutôt d'accord").is_checked()
    axe_check(page)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    forgotten.get_by_label("Plutôt d'accord").check()
    frequency.get_by_label("Une partie du temps", exact=True).check()
    page.get_by_role("button", name="Voir mes résultats").click()

    page.wait_for_url("**/bilan/isolement/*/")
    main = page.get_by_role("main").inner_text()
    assert "Ce n'est pas un diagnostic :" in main
    assert "Vue d'ensemble : 75 / 100" in main
    assert (
        "À la question « À quelle fréquence vous sentez-vous seul·e ? », "
        "vous avez répondu : une partie du temps (4e réponse sur 5, de"
    ) in main
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
    assert "Une partie du temps" in rows.nth(0).inner_text()
    assert "De temps en temps" in rows.nth(1).inner_text()
    axe_check(page)
    # On a phone, each point is a block of labelled lines: nothing to scroll sideways.
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    axe_check(page)
    page.get_by_role("link", name="Fin du bilan").click()
    page.wait_for_url("**/bilan/isolement/*/")
    axe_check(page)
