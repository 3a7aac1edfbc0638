"""Qualiopi indicator 30: the coordinator asks an employer for its appraisal of an ended bilan;
the employer answers from the e-mail's link, without an account; the coordinator sees it
counted. Every page passes axe-core at 1280 and 390 px."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.quality.appraisal_helpers import ended_bilan
from tisser.core.enums import Role

WIDTHS = (1280, 390)


def axe_at_both_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_an_employer_appraises_a_bilan_from_its_link(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    consultant = member(Role.CONSULTANT, organisation)
    bilan = ended_bilan(consultant)

    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/coordination/")
    page.get_by_role("link", name=re.compile("Appréciations des employeurs")).click()
    page.wait_for_url("**/qualite/appreciations/")
    axe_at_both_widths(page)

    page.get_by_role("link", name="Demander l'avis d'un employeur ou d'un financeur").click()
    page.wait_for_url("**/qualite/appreciations/inviter/")
    axe_at_both_widths(page)
    page.get_by_label("Bilan").select_option(str(bilan.pk))
    page.get_by_label("Employeur").check()
    page.get_by_label("Structure (facultatif)").fill("Transports Garonne")
    page.get_by_label("Adresse e-mail de la personne à interroger").fill("rh@garonne.example")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url("**/qualite/appreciations/")
    expect(page.locator("#invitations")).to_contain_text("rh@garonne.example")
    expect(page.locator("#invitations")).to_contain_text("Envoyée")

    link = re.search(r"http\S+/organismes/appreciation/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("main")).to_contain_text(organisation.name)
    expect(page.get_by_role("main")).to_contain_text("Camille R.")
    axe_at_both_widths(page)

    # A forgotten note is named next to its question; nothing is recorded yet.
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe_at_both_widths(page)
    fieldsets = page.locator("fieldset")
    for index in range(fieldsets.count()):
        group = fieldsets.nth(index)
        if group.get_by_label("4 — satisfaisant").count():
            group.get_by_label("4 — satisfaisant").check()
        else:
            group.get_by_label("Oui").check()
    page.get_by_label("Vos remarques et suggestions").fill("Un bilan utile pour notre salariée.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre avis")
    axe_at_both_widths(page)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien n'est plus valable")

    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/qualite/appreciations/")
    employer = page.locator("section", has=page.locator("#audience-employer"))
    expect(employer).to_contain_text("1 appréciation reçue")
    expect(employer).to_contain_text("masqué, moins de 5 personnes")
    expect(employer).to_contain_text("Un bilan utile pour notre salariée.")
    expect(page.locator("#invitations")).to_contain_text("Répondue")

    page.get_by_role("link", name="Employeur", exact=True).click()
    page.wait_for_url("**/questionnaires/employer/")
    axe_at_both_widths(page)

    sign_in(page, live_server, consultant)
    page.goto(live_server.url + f"/qualite/appreciations/bilans/{bilan.pk}/")
    axe_at_both_widths(page)
