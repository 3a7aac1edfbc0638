"""A newcomer joins a peer group (issue 15, ADR 0023): the coordination creates a promotion,
finds her among the people asking for a group without one, places her, and she is offered the
promotion's group with room; she sees it on her hub. axe-core at 1280 and 390 px, and no page
scrolls sideways."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tisser.core.enums import Role
from tisser.peers.models import PeerGroupMember, PeerProfile

WIDTHS = (1280, 390)


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"{page.url} scrolls sideways by {sideways} px at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_newcomer_placed_in_a_promotion_is_offered_its_group(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    for user in users:
        peer_profile(organisation, user=user, cohort="Automne 2026")
    group = peer_group(organisation, users, name="Les Boussoles", coordinator=coordinator)
    group.cohort = "Automne 2026"
    group.save(update_fields=["cohort"])
    newcomer = peer_profile(organisation).user

    sign_in(page, live_server, coordinator)
    page.goto("/groupes/coordination/")
    page.get_by_role("link", name="Les placer dans une promotion").click()
    expect(page.get_by_text("1 personne trouvée.")).to_be_visible()
    page.get_by_label("Nom de la promotion").fill("Automne 2026")
    page.get_by_role("button", name="Créer la promotion").click()
    expect(page.get_by_role("status").first).to_contain_text("« Automne 2026 » est créée")
    check_widths(page)

    page.get_by_label(newcomer.get_full_name()).check()
    page.get_by_label("Promotion où les placer").select_option(label="Automne 2026")
    page.get_by_role("button", name="Placer dans la promotion").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "se voit proposer le groupe « Les Boussoles »"
    )
    check_widths(page)
    assert PeerProfile.objects.get(user=newcomer).cohort == "Automne 2026"
    assert group.members.get(user=newcomer).status == PeerGroupMember.Status.PROPOSED

    sign_in(page, live_server, newcomer)
    page.goto("/groupes/")
    expect(page.get_by_role("heading", name="Un groupe vous est proposé")).to_be_visible()
    expect(page.get_by_text("Les Boussoles")).to_be_visible()
    check_widths(page)
