"""Qualiopi without the binders (issue #18), one journey through one organisme: Camille raises a
difficulty from her space; Nadia, the coordinator, answers it and opens an improvement action
from it; an employer gives its appraisal from the e-mail's link, without an account; Nadia
publishes the offer and results pages, which a visitor reads without an account, then asks the
auditor's export and downloads it. The archive holds what the journey produced, and no document
that belongs to Camille alone. axe-core on every page, at 1280 and 390 px.

Each step's bad input and edge cases have their own tests (test_complaints_journey,
test_appraisals_journey, test_public_pages_axe, test_audit_export_axe)."""

import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.quality.appraisal_helpers import ended_bilan
from tisser.core.enums import Role
from tisser.quality.models import AuditExport, ComplaintStatus, ImprovementAction

WIDTHS = (1280, 390)


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.TISSER_EXPORTS_DIR = tmp_path / "exports"


def checked(page) -> None:
    """axe-core at both widths on the page as it is now."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def follow(page, locator) -> None:
    """Click what loads a new page, wait for it, check it."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()
    checked(page)


def test_a_difficulty_an_action_an_appraisal_the_public_pages_and_the_export(
    page, live_server, transactional_db
):
    cache.clear()
    nadia = member(Role.COORDINATOR, user__first_name="Nadia", user__last_name="Benali")
    organisation = nadia.memberships.get().organisation
    consultant = member(Role.CONSULTANT, organisation)
    bilan = ended_bilan(consultant)
    camille = bilan.beneficiary
    main = page.get_by_role("main")

    # --- Camille raises a difficulty from her space ------------------------------------------
    sign_in(page, live_server, camille)
    page.goto(live_server.url + "/")
    checked(page)
    follow(page, main.get_by_role("link", name="Signaler une difficulté ou une réclamation"))
    main.get_by_label("Difficulté").check()
    main.get_by_label("Objet").fill("Entretiens pendant mes heures de travail")
    main.get_by_label("Description").fill("Les créneaux proposés tombent tous en journée.")
    follow(page, main.get_by_role("button", name="Envoyer à la coordination"))
    expect(main.get_by_text("réponse attendue avant le")).to_be_visible()
    follow_up = page.url

    # --- Nadia answers it and opens an improvement action ------------------------------------
    sign_in(page, live_server, nadia)
    page.goto(live_server.url + "/coordination/")
    checked(page)
    follow(page, main.get_by_role("link", name="Réclamations et difficultés"))
    follow(page, main.get_by_role("link", name="Entretiens pendant mes heures de travail"))
    follow(page, main.get_by_role("button", name="Accuser réception"))
    main.get_by_label("Réponse à la personne").fill("Des créneaux en soirée dès janvier.")
    follow(page, main.get_by_role("button", name="Envoyer la réponse"))
    follow(page, main.get_by_role("link", name="Ouvrir une action d'amélioration"))
    main.get_by_label("Intitulé").fill("Proposer des entretiens en soirée")
    follow(page, main.get_by_role("button", name="Enregistrer l'action"))
    action = ImprovementAction.objects.get()
    assert action.complaint.status == ComplaintStatus.ANSWERED

    # Camille reads the answer.
    sign_in(page, live_server, camille)
    page.goto(follow_up)
    checked(page)
    expect(main.get_by_text("Des créneaux en soirée dès janvier.")).to_be_visible()

    # --- An employer's appraisal, from the e-mail's link -------------------------------------
    sign_in(page, live_server, nadia)
    page.goto(live_server.url + "/qualite/appreciations/inviter/")
    checked(page)
    main.get_by_label("Bilan").select_option(str(bilan.pk))
    main.get_by_label("Employeur").check()
    main.get_by_label("Adresse e-mail de la personne à interroger").fill("rh@garonne.example")
    follow(page, main.get_by_role("button", name="Envoyer l'invitation"))
    link = re.search(r"http\S+/organismes/appreciation/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    checked(page)
    fieldsets = page.locator("fieldset")
    for index in range(fieldsets.count()):
        group = fieldsets.nth(index)
        if group.get_by_label("4 — satisfaisant").count():
            group.get_by_label("4 — satisfaisant").check()
        else:
            group.get_by_label("Oui").check()
    follow(page, page.get_by_role("button", name="Envoyer mon avis"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre avis")

    # --- Nadia publishes the public pages; a visitor reads them ------------------------------
    sign_in(page, live_server, nadia)
    page.goto(live_server.url + "/coordination/")
    follow(page, main.get_by_role("link", name="Pages publiques : offre et résultats"))
    for confirm in ("Publier l'offre", "Publier les résultats"):
        follow(page, main.get_by_role("button", name="Publier la page").first)
        follow(page, main.get_by_role("button", name=confirm))
    offer_url = page.locator("#url-offer").input_value()
    results_url = page.locator("#url-results").input_value()
    page.context.clear_cookies()
    page.goto(offer_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le bilan de compétences : notre offre"
    )
    checked(page)
    page.goto(results_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nos résultats")
    checked(page)

    # --- The auditor's export ----------------------------------------------------------------
    sign_in(page, live_server, nadia)
    page.goto(live_server.url + "/qualite/")
    checked(page)
    indicator_31 = main.locator("#indicateur-31")
    expect(indicator_31).to_contain_text("1 réclamation ou difficulté reçue sur la période")
    page.goto(live_server.url + "/coordination/")
    follow(page, main.get_by_role("link", name="L'export pour l'auditeur ou l'auditrice"))
    follow(page, main.get_by_role("button", name="Préparer l'export"))
    expect(page.get_by_role("status").first).to_contain_text("Prête", timeout=120_000)
    checked(page)
    with page.expect_download() as info:
        main.get_by_role("link", name="Télécharger l'archive (ZIP)").first.click()
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as archive:
        names = archive.namelist()
        text = {
            name: archive.read(name).decode("utf-8-sig") for name in names if name.endswith(".csv")
        }
    assert AuditExport.objects.get().status == AuditExport.Status.READY
    assert "00-index.pdf" in names
    folders = {name.split("/")[0] for name in names if "/" in name}
    for number in (1, 2, 30, 31, 32):
        assert any(folder.startswith(f"{number:02d}-") for folder in folders), number
    # The complaint and the action are in their registers, without Camille's name.
    assert any("Proposer des entretiens en soirée" in body for body in text.values())
    assert any(name.startswith("31-") for name in text)
    assert not any("Roussel" in body or camille.email in body for body in text.values())
    assert not any("synthese" in name.lower() for name in names)
