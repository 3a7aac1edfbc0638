"""Bilans stay reachable (ADR 0021): the consultant finds an ended bilan and its follow-up
interview from their caseload; the coordinator finds an open bilan in the organisme's list
and hands it over to a colleague. axe-core at 1280 and 390 px, no sideways scroll."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.helpers import closed_bilan, open_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan
from tisser.core.enums import Role
from tisser.meetings.models import MeetingMode

WIDTHS = (1280, 390)


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        if width < 500:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{page.url} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_ended_bilan_is_found_and_an_open_one_handed_over(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Martin")
    organisation = consultant.memberships.get().organisation
    colleague = member(
        Role.CONSULTANT, organisation, user__first_name="Camille", user__last_name="Roux"
    )
    coordinator = member(Role.COORDINATOR, organisation)
    amandine = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Amandine",
        user__last_name="Zola",
    )
    hugo = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Hugo",
        user__last_name="Petit",
    )
    ended = closed_bilan(consultant, amandine)
    bilans.followup_propose(
        consultant=consultant,
        bilan=ended,
        start=timezone.now() + timedelta(days=180),
        duration_minutes=60,
        mode=MeetingMode.VIDEO,
        location="https://visio.example/suivi",
    )
    running = open_bilan(consultant, hugo)

    # The consultant finds the ended bilan by name and opens its follow-up interview.
    sign_in(page, live_server, consultant)
    page.goto("/conseiller/")
    page.get_by_label("Nom ou adresse e-mail").fill("zola")
    page.locator("#id_statut").select_option("termines")
    page.get_by_role("button", name="Afficher").click()
    caseload = page.get_by_role("table", name="Mes bilans terminés")
    row = caseload.get_by_role("row").filter(has_text="Amandine Zola")
    expect(row).to_contain_text("Terminé le")
    expect(row).to_contain_text("Entretien de suivi proposé")
    expect(caseload.get_by_role("row").filter(has_text="Hugo Petit")).to_have_count(0)
    check_widths(page)
    row.get_by_role("link", name="Entretien de suivi — Amandine Zola").click()
    page.wait_for_url(f"**/bilans/{ended.pk}/entretien-de-suivi/")

    # The coordinator hands Hugo's open bilan over to Camille Roux.
    sign_in(page, live_server, coordinator)
    page.goto("/coordination/bilans/liste/")
    check_widths(page)
    page.get_by_role("link", name="Hugo Petit").click()
    page.wait_for_url(f"**/coordination/bilans/{running.pk}/")
    check_widths(page)
    page.get_by_role("link", name="Confier ce bilan à un·e autre consultant·e").click()
    check_widths(page)
    page.locator("#id_consultant").select_option(label="Camille Roux")
    page.get_by_role("button", name="Confier le bilan").click()
    page.wait_for_url(f"**/coordination/bilans/{running.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Le bilan est confié à Camille Roux")
    check_widths(page)
    assert Bilan.objects.get(pk=running.pk).consultant == colleague
