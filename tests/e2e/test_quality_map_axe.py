"""The indicator map and the organisme's documents (issue #18, ADR 0033): the coordinator
opens the map from the coordination's home, uploads a file that is not a PDF and reads why
next to the field, then uploads the PDF and finds it under indicator 23. axe-core at 1280 and
390 px on both pages, neither scrolling sideways on a phone."""

import re

from playwright.sync_api import expect

from tests.bilans.helpers import closed_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.quality.helpers_documents import PDF
from tisser.core.enums import Role
from tisser.quality.models import OrganismeDocument

WIDTHS = (1280, 390)


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_map_and_the_documents(page, live_server, transactional_db, tmp_path):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    consultant = member(Role.CONSULTANT, organisation)
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    closed_bilan(consultant, beneficiary)
    sign_in(page, live_server, coordinator)

    page.goto("/coordination/")
    page.get_by_role(
        "link", name="Les indicateurs, leurs preuves et les documents de l'organisme"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Qualiopi")
    expect(page.locator("#indicateur-11")).to_contain_text("mené à son terme")
    check_widths(page)

    page.get_by_role("link", name=re.compile("^Les documents de l'organisme : 0 document")).click()
    check_widths(page)
    wrong = tmp_path / "veille.txt"
    wrong.write_text("pas un PDF")
    page.locator("#id_kind").select_option("legal_watch")
    page.locator("#id_title").fill("Veille légale du printemps")
    page.locator("#id_document_date").fill("2026-04-01")
    page.locator("#id_file").set_input_files(str(wrong))
    page.get_by_role("button", name="Déposer le document").click()

    expect(page.locator("#id_file_error")).to_contain_text("Envoyez un PDF")
    expect(page.get_by_role("alert")).to_contain_text("Fichier")
    expect(page.locator("#id_title")).to_have_value("Veille légale du printemps")
    check_widths(page)

    good = tmp_path / "veille.pdf"
    good.write_bytes(PDF)
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Déposer le document").click()
    expect(page.get_by_role("status")).to_contain_text("est déposé")
    check_widths(page)
    assert OrganismeDocument.objects.get().indicators == [23]

    page.goto("/qualite/")
    expect(page.locator("#indicateur-23")).to_contain_text("Veille légale du printemps")
