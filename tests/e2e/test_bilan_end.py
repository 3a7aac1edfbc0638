"""A consultant interrupts a bilan with its CPF reason: a date in the future is refused next
to its field, then the bilan ends and both pages say how. axe-core at 1280 and 390 px, with
no sideways scroll on a phone."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.helpers import entretiens, held, open_bilan
from tests.bilans.synthesis_helpers import advance_to
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.bilans.models import Outcome, Phase
from tisser.core.enums import Role

WIDTHS = (1280, 390)


def check_at_both_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_consultant_interrupts_a_bilan_with_its_reason(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    bilan = open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
    advance_to(bilan, Phase.INVESTIGATION)
    held(entretiens(bilan, count=2, minutes=120)[0])

    sign_in(page, live_server, consultant)
    page.goto(f"/bilans/{bilan.pk}/preliminaire/")
    check_at_both_widths(page)
    page.goto(f"/bilans/{bilan.pk}/")
    main = page.get_by_role("main")
    main.get_by_role("link", name="Interrompre le bilan ou déclarer un abandon").click()
    page.wait_for_url("**/terminer/")
    check_at_both_widths(page)

    page.get_by_label("Interrompu : le bilan s'arrête avant son terme").check()
    page.get_by_label("Force majeure").check()
    page.get_by_label("Date de fin").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    page.get_by_label("Précision (facultatif)").fill("Déménagement à l'étranger")
    main.get_by_role("button", name="Terminer le bilan").click()
    error = page.locator(".field-error").filter(has_text="Date de fin")
    expect(error).to_contain_text("La date de fin ne peut pas être dans le futur.")
    assert page.get_by_label("Précision (facultatif)").input_value() == "Déménagement à l'étranger"
    check_at_both_widths(page)

    page.get_by_label("Date de fin").fill(timezone.localdate().isoformat())
    main.get_by_role("button", name="Terminer le bilan").click()
    page.wait_for_url(f"**/bilans/{bilan.pk}/")
    ending = main.get_by_role("region", name="Comment ce bilan s'est terminé")
    expect(ending).to_contain_text("Bilan interrompu")
    expect(ending).to_contain_text("Force majeure")
    expect(ending).to_contain_text("Taux de réalisation")
    check_at_both_widths(page)
    bilan.refresh_from_db()
    assert bilan.outcome == Outcome.INTERRUPTED
    assert (
        not bilan.sessions.get()
        .series.occurrences.filter(status="scheduled", start__gt=timezone.now())
        .exists()
    )

    sign_in(page, live_server, bilan.beneficiary)
    page.goto("/bilans/")
    expect(page.get_by_role("region", name="Comment ce bilan s'est terminé")).to_contain_text(
        "Bilan interrompu"
    )
    check_at_both_widths(page)
