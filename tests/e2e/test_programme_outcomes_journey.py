"""A coordinator reads the programme's outcomes (issue #17): from her home to the page, a
period of her choice, the figures in charts and tables (« masqué » under five people), a wrong
period corrected, then the CSV downloaded and read back as a spreadsheet would. axe-core at
1280 and 390 px, and no page scrolls sideways."""

import csv
import io
import os
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.outcomes.activity_data import mentorships, ten_ended
from tisser.core.enums import Role

WIDTHS = (1280, 390)
# Where the screenshots go, to look at them (not kept by the test run).
SHOTS = Path(os.environ.get("TISSER_SCREENSHOTS", "/tmp/tisser-screenshots"))


def check_widths(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"{page.url} scrolls sideways by {sideways} px at {width} px"
        if os.environ.get("TISSER_SCREENSHOTS"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_coordinator_reads_the_programme_outcomes_and_downloads_them(
    page, live_server, transactional_db
):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    consultant = member(Role.CONSULTANT, organisation)
    ten_ended(organisation, consultant)
    mentorships(organisation, 3, started=date(2026, 3, 2))

    sign_in(page, live_server, coordinator)
    page.goto("/coordination/")
    page.get_by_role(
        "link", name="Résultats du programme : isolement, réseau, mentorat, groupes"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Résultats du programme")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("corrélations, pas des causes")
    check_widths(page, "outcomes-default")

    # A period that ends before it starts: said next to the field and at the top.
    page.get_by_label("Du mois").fill("2026-03")
    page.get_by_label("Au mois (inclus)").fill("2026-01")
    page.get_by_role("button", name="Afficher").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Le mois de fin doit être le mois de début ou venir après lui.")
    expect(page.get_by_text("Corrigez les choix signalés pour voir les résultats.")).to_be_visible()
    check_widths(page, "outcomes-error")

    page.get_by_label("Au mois (inclus)").fill("2026-03")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Bilans terminés en mars 2026, toutes les promotions.")).to_be_visible()
    outcomes = page.locator("#issues")
    expect(
        outcomes.get_by_role("heading", name="Comment les bilans se sont terminés")
    ).to_be_visible()
    expect(outcomes.get_by_role("img")).to_be_visible()
    table = outcomes.get_by_role("table", name="Comment les bilans se sont terminés")
    expect(table.get_by_role("row", name="Bilan mené à son terme 5 50 %")).to_be_visible()
    expect(table.get_by_role("row", name="Bilan abandonné masqué masqué")).to_be_visible()
    # Three mentorships: fewer than five, masked.
    expect(page.locator("#mentorat").get_by_text("Moins de 5 personnes")).to_be_visible()
    check_widths(page, "outcomes-march")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == (f"resultats-{organisation.slug}-2026-03-2026-03.csv")
    body = Path(download.path()).read_bytes().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[2] == ["Période", "mars 2026"]
    start = rows.index(["Comment les bilans se sont terminés"])
    assert rows[start + 2 : start + 4] == [
        ["Bilans terminés", "10", "100"],
        ["Bilan mené à son terme", "5", "50"],
    ]
    assert ["Bilan abandonné", "", ""] in rows
