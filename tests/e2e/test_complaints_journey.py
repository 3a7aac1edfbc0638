"""Complaints and improvement actions (indicators 31 and 32), through the pages: Camille
raises a difficulty from her space, Nadia (coordinator) acknowledges and answers it and opens
an improvement action from it, Camille reads the answer; the organisme's public form is
checked too. axe-core runs on every page visited, at 1280 and 390 px."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role
from tisser.quality.models import Complaint, ComplaintStatus, ImprovementAction

WIDTHS = (1280, 390)


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()
    check_widths(page)


def test_camille_raises_a_difficulty_and_nadia_answers_it(page, live_server, transactional_db):
    nadia = member(Role.COORDINATOR, user__first_name="Nadia", user__last_name="Benali")
    organisation = nadia.memberships.get().organisation
    camille = member(
        Role.BENEFICIARY, organisation, user__first_name="Camille", user__last_name="Roussel"
    )
    main = page.get_by_role("main")

    # --- Camille, from her space -------------------------------------------------------------
    sign_in(page, live_server, camille)
    page.goto(live_server.url + "/")
    page.wait_for_load_state()
    check_widths(page)
    submit(page, main.get_by_role("link", name="Signaler une difficulté ou une réclamation"))
    # Nothing chosen, nothing typed: the messages next to the fields, the summary on top.
    submit(page, main.get_by_role("button", name="Envoyer à la coordination"))
    expect(main.get_by_text("Choisissez : réclamation ou difficulté.").first).to_be_visible()
    main.get_by_label("Difficulté").check()
    main.get_by_label("Objet").fill("Horaires des entretiens difficiles")
    main.get_by_label("Description").fill("Les entretiens tombent pendant mes heures de travail.")
    submit(page, main.get_by_role("button", name="Envoyer à la coordination"))
    expect(main.get_by_text("réponse attendue avant le")).to_be_visible()
    complaint = Complaint.objects.get()
    follow_up = page.url

    # --- Nadia acknowledges, answers and opens an action ---------------------------------------
    sign_in(page, live_server, nadia)
    page.goto(live_server.url + "/qualite/reclamations/")
    check_widths(page)
    submit(page, main.get_by_role("link", name="Horaires des entretiens difficiles"))
    submit(page, main.get_by_role("button", name="Accuser réception"))
    expect(main.get_by_text("Prise en compte").first).to_be_visible()
    main.get_by_label("Réponse à la personne").fill("Des créneaux en fin de journée dès janvier.")
    submit(page, main.get_by_role("button", name="Envoyer la réponse"))
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    submit(page, main.get_by_role("link", name="Ouvrir une action d'amélioration"))
    expect(main.locator("#id_source")).to_have_value("complaint")
    main.get_by_label("Intitulé").fill("Proposer des créneaux du soir")
    submit(page, main.get_by_role("button", name="Enregistrer l'action"))
    assert ImprovementAction.objects.get().complaint == complaint
    page.goto(live_server.url + "/qualite/actions/")
    check_widths(page)

    # --- Camille reads the answer ------------------------------------------------------------
    sign_in(page, live_server, camille)
    page.goto(follow_up)
    check_widths(page)
    expect(main.get_by_text("Des créneaux en fin de journée dès janvier.")).to_be_visible()


def test_the_public_form_reads_well(page, live_server, transactional_db):
    organisation = member(Role.COORDINATOR).memberships.get().organisation
    page.goto(f"{live_server.url}/organismes/{organisation.slug}/reclamation/")
    check_widths(page)
    # The honeypot is there for robots, never shown to people.
    expect(page.locator("input[name=site_web]")).to_be_hidden()
