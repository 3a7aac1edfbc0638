"""Her story in one place (issue #17): Camille reads her path on her home — where she is, the
one next action, her isolation beside her network on one time axis, the reading and the data
— and her consultant reads the same story about her. axe-core at 1280 and 390 px, no
sideways scroll at 390."""

import os
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.helpers import closed_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.outcomes.story_helpers import check, story_path
from tisser.bilans.models import Bilan
from tisser.core.enums import Role

WIDTHS = (1280, 390)
# Where the screenshots go when asked for (STORY_SCREENSHOTS=/some/dir), to look at them.
SHOTS = os.environ.get("STORY_SCREENSHOTS")


def check_widths(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # The data tables too: axe reads what is inside an open <details>.
        page.locator("details.story-data summary").click()
        axe_check(page)
        page.locator("details.story-data summary").click()
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_camille_and_her_consultant_read_her_story(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Martin")
    organisation = consultant.memberships.get().organisation
    camille = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Roussel",
    )
    story_path(
        consultant,
        camille,
        mentor=member(Role.MENTOR, organisation),
        peer=member(Role.BENEFICIARY, organisation, invited_by=consultant),
    )

    sign_in(page, live_server, camille)
    page.goto("/beneficiaire/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pendant votre bilan : phase d'investigation")
    expect(main).to_contain_text(
        "Depuis le début de votre bilan, votre score d'isolement est passé de 100 à 50 sur 100."
    )
    expect(page.get_by_role("img", name="Isolement au fil du temps")).to_be_visible()
    expect(page.get_by_role("img", name="Réseau au fil du temps")).to_be_visible()
    expect(page.get_by_role("link", name="Préparer ma rencontre de mentorat du")).to_be_visible()
    page.get_by_text("Voir les données", exact=True).click()
    expect(
        page.get_by_role("table", name="Points sur l'isolement, du plus ancien au plus récent")
    ).to_be_visible()
    page.get_by_text("Voir les données", exact=True).click()
    check_widths(page, "story-beneficiary")

    sign_in(page, live_server, consultant)
    page.goto("/conseiller/")
    row = page.get_by_role("row").filter(has_text="Camille Roussel").first
    expect(row).to_contain_text("Isolement : en baisse (de 100 à 50)")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "caseload-1280.png"), full_page=True)
    row.get_by_role("link", name="Parcours — Camille Roussel").click()
    page.wait_for_url(f"**/conseiller/beneficiaires/{camille.pk}/parcours/")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le parcours de Camille Roussel")
    expect(main).to_contain_text("son score d'isolement est passé de 100 à 50")
    expect(main).not_to_contain_text("Jeanne Dupont")
    check_widths(page, "story-consultant")


def test_day_one_and_after_the_bilan_read_well(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    newcomer = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    sign_in(page, live_server, newcomer)
    page.goto("/beneficiaire/")
    expect(page.get_by_role("main")).to_contain_text("Rien n'est encore mesuré")
    expect(page.get_by_role("link", name="Faire mon premier point sur l'isolement")).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"day-one-{width}.png"), full_page=True)

    after = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    bilan = closed_bilan(consultant, after)
    Bilan.objects.filter(pk=bilan.pk).update(
        opened_at=timezone.now() - timedelta(days=200),
        closed_at=timezone.now() - timedelta(days=100),
        outcome_recorded_at=timezone.now() - timedelta(days=99),
    )
    check(after, days_ago=2, answer=3, moment="plus_3_months")
    sign_in(page, live_server, after)
    page.goto("/beneficiaire/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Après votre bilan, terminé le")
    expect(main).to_contain_text("comme la loi le prévoit")
    check_widths(page, "after-bilan")
