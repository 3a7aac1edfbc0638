"""A consultant opens a bilan from their home table, plans entretiens and cannot leave the
preliminary phase until the beneficiary, on "Mon bilan", has read the consent text and
accepted it; then the bilan moves to its investigation phase."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.synthesis_helpers import preliminary_done
from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.bilans.models import Bilan, Phase
from tisser.core.enums import Role


def test_consultant_opens_the_beneficiary_consents_the_bilan_moves_on(
    page, live_server, transactional_db
):
    consultant = member(Role.CONSULTANT, user__first_name="Claire")
    beneficiary = member(
        Role.BENEFICIARY,
        consultant.memberships.get().organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Durand",
    )
    sign_in_as(page, live_server, consultant)

    page.goto("/conseiller/")
    page.get_by_role("link", name="Ouvrir un bilan — Camille Durand").click()
    page.wait_for_url("**/bilans/ouvrir/**")
    axe_check(page)

    # Funding forgotten: flagged next to the field, the beneficiary stays chosen.
    page.get_by_role("button", name="Ouvrir le bilan").click()
    expect(page.locator(".field-error").filter(has_text="Financement")).to_be_visible()
    assert page.get_by_label("Bénéficiaire").input_value() == str(beneficiary.pk)
    axe_check(page)
    page.get_by_label("Compte personnel de formation (CPF)").check()
    page.get_by_label("Prix du bilan (euros, TTC)").fill("1500")
    page.get_by_role("button", name="Ouvrir le bilan").click()

    page.wait_for_url("**/bilans/*/")
    main = page.get_by_role("main")
    assert "Phase préliminaire" in main.inner_text()
    axe_check(page)

    page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_label("Heure de début").fill("10:00")
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_label("Nombre d'entretiens").fill("3")
    page.get_by_label("Modalité").select_option("on_site")
    page.get_by_label("Lieu, lien de visioconférence ou numéro de téléphone").fill("Salle 2")
    page.get_by_role("button", name="Planifier", exact=True).click()
    page.wait_for_url("**/bilans/*/")
    assert "18 h sur 24 h au plus" in main.inner_text()

    page.get_by_role("button", name="Passer à la phase suivante").click()
    assert "avant que la personne ait donné son consentement" in main.inner_text()
    axe_check(page)

    sign_in_as(page, live_server, beneficiary)
    page.goto("/beneficiaire/")
    page.get_by_role("link", name="Voir mon bilan").click()
    page.wait_for_url("**/bilans/")
    assert "ni une faute" in main.inner_text()
    axe_check(page)
    page.get_by_role("button", name="J'ai lu ce texte et je donne mon consentement").click()
    page.wait_for_url("**/bilans/")
    assert "votre consentement est enregistré" in main.inner_text()
    axe_check(page)

    # The preliminary record, written and acknowledged (its pages: tests/e2e/test_bilan_end.py).
    bilan = Bilan.objects.get()
    preliminary_done(bilan)
    sign_in_as(page, live_server, consultant)
    page.goto(f"/bilans/{bilan.pk}/")
    page.get_by_role("button", name="Passer à la phase suivante").click()
    page.wait_for_url("**/bilans/*/")
    assert "Phase d'investigation" in page.locator("[aria-current=step]").inner_text()
    axe_check(page)
    bilan.refresh_from_db()
    assert bilan.status == Phase.INVESTIGATION
