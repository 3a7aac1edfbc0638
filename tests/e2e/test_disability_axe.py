"""Indicator 26 in the browser (ADR 0037): the person records a need from her bilan, her
consultant records an adaptation, the coordinator sees counts only — axe-core on every page
at 1280 and 390 px."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.helpers import open_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.bilans.models import AdaptationMeasure, BilanAdaptation
from tisser.core.enums import Role

NEED = "Des entretiens d'une heure au plus."
WIDTHS = (1280, 390)


def check_both_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_need_adaptation_and_counts(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    organisation.disability_referent_name = "Inès Roche"
    organisation.disability_referent_email = "ines.roche@example.org"
    organisation.save()
    coordinator = member(Role.COORDINATOR, organisation)
    bilan = open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
    url = f"/bilans/{bilan.pk}/amenagements/"

    # The person: an empty text is refused next to the field, then her need is noted.
    sign_in(page, live_server, bilan.beneficiary)
    page.goto("/bilans/")
    page.get_by_role("link", name="Mes besoins d'aménagement").click()
    expect(page.get_by_text("Inès Roche")).to_be_visible()
    check_both_widths(page)
    page.get_by_role("button", name="Noter ce besoin").click()
    expect(page.locator(".field-error").first).to_be_visible()
    check_both_widths(page)
    page.get_by_label("Ce dont vous avez besoin").fill(NEED)
    page.get_by_role("button", name="Noter ce besoin").click()
    expect(page.locator("blockquote")).to_contain_text(NEED)
    check_both_widths(page)
    assert BilanAdaptation.objects.get().need == NEED

    # Her consultant: an adaptation made.
    sign_in(page, live_server, consultant)
    page.goto(f"/bilans/{bilan.pk}/")
    page.get_by_role("link", name="Besoin d'aménagement et aménagements").click()
    expect(page.locator("blockquote")).to_contain_text(NEED)
    check_both_widths(page)
    page.get_by_label("Entretiens plus courts ou fractionnés").check()
    page.get_by_label("Mis en place le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Noter l'aménagement").click()
    expect(page.get_by_role("button", name="Retirer cet aménagement")).to_be_visible()
    check_both_widths(page)
    assert AdaptationMeasure.objects.get().kind == "shorter_sessions"
    assert page.url.endswith(url)

    # The coordination: counts only, withheld under 5 people.
    sign_in(page, live_server, coordinator)
    page.goto("/coordination/")
    page.get_by_role("link", name="Handicap : référent et aménagements").click()
    expect(page.get_by_text("Inès Roche")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(NEED)
    expect(page.get_by_role("cell", name="masqué").first).to_be_visible()
    check_both_widths(page)
