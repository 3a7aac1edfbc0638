"""The organisme's identity and the émargement pages (ADR 0018): the coordinator types a
wrong SIRET, reads why next to the field, then saves a good one; axe-core at 1280 and 390 px
on the identity page, the entretiens page with its émargement and the form of an entretien
recorded afterwards, none of them scrolling sideways on a phone."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.helpers import entretiens, held, open_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.accounts.models import Organisation
from tisser.bilans.models import Bilan
from tisser.core.enums import Role

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


def test_the_coordinator_fixes_a_wrong_siret(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    sign_in(page, live_server, coordinator)

    page.goto("/coordination/")
    page.get_by_role("link", name="Identité de l'organisme : SIRET, NDA, Qualiopi, logo").click()
    check_widths(page)
    page.locator("#id_legal_name").fill("Horizons Bilans SAS")
    page.locator("#id_address").fill("12 allée Jean Jaurès\n31000 Toulouse")
    page.locator("#id_siret").fill("812 345 676 00018")
    page.locator("#id_nda").fill("76311234531")
    page.get_by_role("button", name="Enregistrer l'identité").click()

    expect(page.locator("#id_siret_error")).to_contain_text("clé de contrôle")
    expect(page.get_by_role("alert")).to_contain_text("SIRET")
    expect(page.locator("#id_legal_name")).to_have_value("Horizons Bilans SAS")
    check_widths(page)

    page.locator("#id_siret").fill("812 345 676 00017")
    page.get_by_role("button", name="Enregistrer l'identité").click()

    expect(page.get_by_role("status")).to_contain_text("L'identité de l'organisme est enregistrée")
    saved = Organisation.objects.get(pk=organisation.pk)
    assert (saved.siret, saved.nda) == ("81234567600017", "76311234531")


def test_the_emargement_pages_pass_axe(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    bilan = open_bilan(consultant, beneficiary)
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=20))
    first, _second = entretiens(bilan, count=2)
    held(first, days_ago=3, confirmed=False)
    sign_in(page, live_server, consultant)

    page.goto(f"/bilans/{bilan.pk}/entretiens/liste/")
    expect(page.get_by_role("button", name="Je confirme avoir tenu cet entretien")).to_be_visible()
    check_widths(page)

    page.get_by_role("link", name="Enregistrer un entretien non planifié").click()
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    expect(page.locator("#id_reason_error")).to_be_visible()
    check_widths(page)
