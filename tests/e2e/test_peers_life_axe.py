"""axe-core on a group's life: the commitments page (a commitment added through the browser,
then an empty check-in showing its error), the edit page, the help page with a balance, the
member's network home listing the group, and the coordination's health page."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.peers import services
from tisser.peers.models import Commitment, HelpKind


def test_the_life_of_a_peer_group_passes_axe(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    ana, bea, cleo = (member(Role.BENEFICIARY, organisation) for _ in range(3))
    group = peer_group(organisation, [ana, bea, cleo], coordinator=coordinator)
    done = services.commitment_add(actor=bea, group=group, text="Appeler la médiathèque")
    services.commitment_check_in(actor=bea, commitment=done, outcome="partial", comment="Demain")
    services.contribution_record(actor=bea, group=group, other=ana, gave=True, kind=HelpKind.TIME)

    # Ana commits through the browser, then checks in without choosing: the error shows
    sign_in(page, live_server, ana)
    page.goto(f"/groupes/{group.pk}/engagements/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nos engagements")
    axe_check(page)
    page.get_by_label("Je m'engage à").fill("Envoyer deux candidatures")
    page.get_by_role("button", name="Ajouter l'engagement").click()
    expect(page.get_by_text("Votre engagement est ajouté.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Enregistrer mon bilan").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    axe_check(page)

    commitment = Commitment.objects.get(user=ana)
    page.goto(f"/groupes/engagements/{commitment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier mon engagement")
    axe_check(page)

    # help: Ana has only received, the page says so gently
    page.goto(f"/groupes/{group.pk}/entraide/")
    expect(page.get_by_role("heading", name="Mon bilan d'entraide")).to_be_visible()
    axe_check(page)

    page.goto("/reseau/")
    expect(page.get_by_role("heading", name="Mes groupes de pairs")).to_be_visible()
    axe_check(page)

    sign_in(page, live_server, coordinator)
    page.goto("/groupes/sante/")
    expect(page.get_by_role("table")).to_be_visible()
    axe_check(page)
