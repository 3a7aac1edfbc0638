"""Consultants' records (Qualiopi 21 and 22): a consultant adds a continuing training with its
certificate, first with a file that is not a PDF (told next to the field, nothing typed lost);
the coordinator sees who is due for what. axe-core at 1280 and 390 px on every page, none
scrolling sideways on a phone."""

from datetime import timedelta

from freezegun import freeze_time
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role
from tisser.quality.demo_consultants import demo_proof
from tisser.quality.models import ConsultantTraining

WIDTHS = (1280, 390)


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_consultant_records_a_training_and_the_coordinator_sees_who_is_due(
    page, live_server, transactional_db
):
    with freeze_time(timedelta(days=-500), tick=True):
        consultant = member(Role.CONSULTANT)
        organisation = consultant.memberships.get().organisation
        colleague = member(Role.CONSULTANT, organisation)
    colleague.first_name, colleague.last_name = "Julien", "Fabre"
    colleague.save()
    coordinator = member(Role.COORDINATOR, organisation)

    sign_in(page, live_server, consultant)
    page.goto(live_server.url + "/qualite/mon-dossier/")
    expect(page.get_by_role("heading", name="Mon dossier professionnel")).to_be_visible()
    check_widths(page)

    page.get_by_role("link", name="Ajouter une formation continue").click()
    page.locator("#id_title").fill("Accompagner les reconversions")
    page.locator("#id_provider").fill("Centre Inffo")
    page.locator("#id_started_on").fill("2026-11-02")
    page.locator("#id_ended_on").fill("2026-11-03")
    page.locator("#id_hours").fill("14")
    page.locator("#id_proof").set_input_files(
        {"name": "attestation.txt", "mimeType": "text/plain", "buffer": b"pas un PDF"}
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_proof_error")).to_contain_text("Envoyez un PDF")
    expect(page.get_by_role("alert")).to_contain_text("Justificatif")
    expect(page.locator("#id_title")).to_have_value("Accompagner les reconversions")
    check_widths(page)

    page.locator("#id_proof").set_input_files(
        {
            "name": "attestation.pdf",
            "mimeType": "application/pdf",
            "buffer": demo_proof("Reconversions").content,
        }
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("C'est enregistré dans le dossier.")
    expect(page.get_by_role("link", name="Accompagner les reconversions")).to_be_visible()
    assert ConsultantTraining.objects.get().proof_name == "attestation.pdf"
    check_widths(page)

    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/coordination/")
    page.get_by_role(
        "link", name="Dossiers des consultant·es : qualifications et formations"
    ).click()
    julien = page.get_by_role("row").filter(has_text="Julien Fabre")
    expect(julien).to_contain_text("Formation continue à prévoir")
    expect(julien).to_contain_text("Dossier incomplet")
    check_widths(page)

    page.get_by_label("Échéances").select_option("formation")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("status").filter(has_text="consultant")).to_have_text("1 consultant·e")
    page.get_by_role("link", name="Julien Fabre").click()
    expect(
        page.get_by_role("heading", name="Dossier professionnel de Julien Fabre")
    ).to_be_visible()
    check_widths(page)
