"""An employer-funded bilan cannot leave its preliminary phase until the beneficiary signs
the convention within ten days of its transmission (R6313-8): the consultant sees the
deadline and the refusal to advance, the beneficiary accepts on "Mon bilan", then the bilan
moves on. And the self-funded contract page (L6353-3..6). axe-core at 1280 and 390 px, no
sideways scroll at 390 px."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tests.bilans.paperwork_helpers import convention_written
from tests.bilans.synthesis_helpers import preliminary_done
from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Funding, Phase
from tisser.core.enums import Role


def check_both_widths(page) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        axe_check(page)
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                f"sideways scroll at 390 px on {page.url}"
            )
    page.set_viewport_size({"width": 1280, "height": 900})


def land(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()


def opened(funding, first_name, last_name):
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Morel")
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.get().organisation,
        invited_by=consultant,
        user__first_name=first_name,
        user__last_name=last_name,
    )
    bilan = bilans.bilan_open(
        consultant=consultant,
        beneficiary=beneficiary,
        funding=funding,
        price_euros=Decimal("1500"),
    )
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    preliminary_done(bilan)  # the paperwork alone gates this bilan
    bilan.refresh_from_db()
    return bilan


def test_the_convention_gates_the_preliminary_phase(page, live_server, transactional_db):
    bilan = opened(Funding.EMPLOYER, "Thomas", "Garnier")
    convention = convention_written(bilan)
    today = timezone.localdate()
    sign_in_as(page, live_server, bilan.consultant)
    main = page.get_by_role("main")

    # The consultant records the transmission (two days ago) and the other two signatures.
    page.goto(f"/bilans/{bilan.pk}/convention/")
    check_both_widths(page)
    page.get_by_label("Transmise à la personne le").fill((today - timedelta(days=2)).isoformat())
    page.get_by_label("Signée par l'organisme le").fill(today.isoformat())
    page.get_by_label("Signée par l'employeur le").fill(today.isoformat())
    page.get_by_label("Fait à").fill("Toulouse")
    land(page, main.get_by_role("button", name="Enregistrer la transmission et les signatures"))
    assert "encore 8 jours" in main.inner_text()

    # Blocked: the beneficiary has not signed yet; the page says until when.
    page.goto(f"/bilans/{bilan.pk}/")
    land(page, main.get_by_role("button", name="Passer à la phase suivante"))
    assert "n'a pas encore signé la convention" in main.inner_text()
    assert "Phase préliminaire" in page.locator("[aria-current=step]").inner_text()
    check_both_widths(page)

    # The beneficiary reads the deadline and accepts in the app.
    sign_in_as(page, live_server, bilan.beneficiary)
    page.goto("/bilans/")
    assert "pour accepter la convention" in main.inner_text()
    check_both_widths(page)
    page.get_by_label("J'ai lu ce document et je l'accepte").check()
    land(page, main.get_by_role("button", name="Accepter la convention"))
    assert "votre acceptation de la convention est enregistrée" in main.inner_text()
    axe_check(page)

    # Signed within the ten days by all three: the bilan moves on.
    sign_in_as(page, live_server, bilan.consultant)
    page.goto(f"/bilans/{bilan.pk}/")
    land(page, main.get_by_role("button", name="Passer à la phase suivante"))
    assert "Phase d'investigation" in page.locator("[aria-current=step]").inner_text()
    bilan.refresh_from_db()
    assert bilan.status == Phase.INVESTIGATION
    assert convention.pk == bilan.convention.pk


def test_the_self_funded_contract_page(page, live_server, transactional_db):
    bilan = opened(Funding.PERSONAL, "Inès", "Lefebvre")
    sign_in_as(page, live_server, bilan.consultant)
    main = page.get_by_role("main")
    page.goto(f"/bilans/{bilan.pk}/financement/")
    check_both_widths(page)

    page.goto(f"/bilans/{bilan.pk}/contrat/")
    check_both_widths(page)
    page.get_by_label("Acompte à l'issue du délai de rétractation (euros)").fill("600")
    land(page, main.get_by_role("button", name="Enregistrer le contrat"))
    assert "30 % du prix, soit 450,00 €" in main.inner_text()
    check_both_widths(page)
    page.get_by_label("Acompte à l'issue du délai de rétractation (euros)").fill("450")
    land(page, main.get_by_role("button", name="Enregistrer le contrat"))
    assert "Le contrat est enregistré" in main.inner_text()
    check_both_widths(page)
