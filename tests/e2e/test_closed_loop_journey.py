"""The closed loop on `make run`'s demo (issue #17), in one journey: Camille reads her story on
her home, her consultant reads it about her from the caseload, and the coordinator reads the
programme's outcomes, changes the period, and downloads them to read them back as a
spreadsheet would. axe-core on every page at 1280 and 390 px, no sideways scroll at 390."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import totp_activate
from tests.fixtures.rome_fixture import FIXTURE
from tisser.accounts.models import User
from tisser.referentiel.recommendations import clear_recommendation_cache

WIDTHS = (1280, 390)


@pytest.fixture
def demo(transactional_db):
    clear_recommendation_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    call_command("seed_demo", verbosity=0)
    yield
    clear_recommendation_cache()


def person(email_name: str) -> User:
    return User.objects.get(email=f"{email_name}@demo.tisser.fr")


def at_both_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_her_story_her_consultants_view_and_the_programme_outcomes(page, live_server, demo):
    camille = person("camille.roussel")
    consultant = camille.memberships.get().consultant
    coordinator = person("nadia.benali")
    # Staff sign in with a second factor (their own journeys walk it).
    totp_activate(consultant)
    totp_activate(coordinator)

    # Camille: her path, her isolation beside her network, in words and in data.
    sign_in(page, live_server, camille)
    page.goto("/beneficiaire/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pendant votre bilan")
    expect(main).to_contain_text("votre score d'isolement est passé de")
    expect(page.get_by_role("img", name="Isolement au fil du temps")).to_be_visible()
    expect(page.get_by_role("img", name="Réseau au fil du temps")).to_be_visible()
    page.locator("details.story-data summary").click()
    expect(
        page.get_by_role("table", name="Points sur l'isolement, du plus ancien au plus récent")
    ).to_be_visible()
    at_both_widths(page)

    # Her consultant, from the caseload.
    sign_in(page, live_server, consultant)
    page.goto("/conseiller/")
    row = page.get_by_role("row").filter(has_text="Camille Roussel").first
    expect(row).to_contain_text("Isolement : en baisse")
    at_both_widths(page)
    row.get_by_role("link", name="Parcours — Camille Roussel").click()
    page.wait_for_url(f"**/conseiller/beneficiaires/{camille.pk}/parcours/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le parcours de Camille Roussel")
    expect(page.get_by_role("main")).to_contain_text("son score d'isolement est passé de")
    at_both_widths(page)

    # The coordinator: the programme's outcomes, for the last twelve months, then the first
    # semester of the year.
    sign_in(page, live_server, coordinator)
    page.goto("/coordination/")
    page.get_by_role(
        "link", name="Résultats du programme : isolement, réseau, mentorat, groupes"
    ).click()
    isolation = page.locator("#isolation")
    first_row = isolation.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Fin du bilan")
    expect(first_row).not_to_contain_text("masqué")
    at_both_widths(page)

    year = timezone.localdate().year
    page.get_by_label("Du mois").fill(f"{year}-01")
    page.get_by_label("Au mois (inclus)").fill(f"{year}-06")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("main")).to_contain_text(f"juin {year}")
    expect(page.locator("#isolation").get_by_role("row").nth(1)).not_to_contain_text("masqué")
    at_both_widths(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    body = Path(download_info.value.path()).read_bytes().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    start = rows.index(["Isolement au travail (questionnaire Tisser) : avant, après"])
    header, end = rows[start + 1], rows[start + 2]
    assert header[0] == "Moment comparé au début du bilan"
    assert end[0] == "Fin du bilan"
    # Numbers as a French spreadsheet reads them: whole people, decimal comma.
    assert end[1].isdigit() and int(end[1]) % 5 == 0
    assert "," in end[2] and float(end[2].replace(",", ".")) > 0
    assert any(row and row[0].startswith("Des corrélations, pas des causes") for row in rows)
