"""What people keep of the suggested compétences (ADR 0040): the coordinator opens the page
from the coordination's home, reads the figures per rank, then types an end before the start
and reads why next to the field and at the top. axe-core at 1280 and 390 px, with the table and
with the errors, neither scrolling sideways on a phone."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.bilans.models import ItemKind, SuggestionDecision
from tisser.core.enums import Role

WIDTHS = (1280, 390)
TITLE = "Suggestions de compétences : ce que les personnes en gardent"


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_suggestions_page(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    today = timezone.localdate()
    SuggestionDecision.objects.bulk_create(
        SuggestionDecision(
            organisation=organisation,
            contributor=f"person-{person}",
            rank=rank,
            kind=ItemKind.COMPETENCE,
            accepted=person % 2 == 0,
            engine=1,
            decided_on=today,
        )
        for person in range(8)
        for rank in (1, 2, 3)
    )
    sign_in(page, live_server, coordinator)

    page.goto("/coordination/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("table")).to_contain_text("1re suggestion")
    expect(page.get_by_role("table")).to_contain_text("3e suggestion")
    expect(page.get_by_role("table")).to_contain_text("Toutes les suggestions")
    check_widths(page)

    page.locator("#id_du").fill("2026-06-01")
    page.locator("#id_au").fill("2026-03-01")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#id_au_error")).to_contain_text("La date de fin doit être")
    expect(page.get_by_role("alert")).to_contain_text("Au (inclus)")
    check_widths(page)
