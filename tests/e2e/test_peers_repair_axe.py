"""axe-core on the coordination's late joiners and repairs: the arrivals page (one person
with a proposed group, one waiting with a reason), placing through the browser, the repairs
page with a proposed move, applying it; ending a group, confirmed on its own page first."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers import services


def test_late_joiners_and_repairs_pass_axe(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    small = peer_group(
        organisation,
        [member(Role.BENEFICIARY, organisation) for _ in range(3)],
        name="Les Passerelles",
        coordinator=coordinator,
    )
    big = peer_group(
        organisation,
        [member(Role.BENEFICIARY, organisation) for _ in range(5)],
        name="Les Tisserands",
        coordinator=coordinator,
    )
    peer_profile(organisation)
    peer_profile(organisation, availability=availability_bit(4, DaySlot.MORNING))

    sign_in(page, live_server, coordinator)
    page.goto("/groupes/coordination/arrivees/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("en attente")
    expect(page.get_by_text("Rejoindrait « Les Passerelles »")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Proposer « Les Passerelles »").click()
    expect(
        page.get_by_text("reçoit une invitation à rejoindre « Les Passerelles »")
    ).to_be_visible()
    axe_check(page)

    leaver = small.members.order_by("position").first().user
    services.peer_member_leave(actor=leaver, group=small)
    page.goto("/groupes/coordination/reajustements/")
    expect(page.get_by_role("heading", name="Les Passerelles")).to_be_visible()
    axe_check(page)
    # the group goes on as it is, or is reshaped: either way its one button names it
    page.get_by_role(
        "button",
        name=re.compile(
            r"^(Garder le groupe tel quel : |Appliquer le réajustement du groupe )"
            r"« Les Passerelles »$"
        ),
    ).click()
    expect(page.get_by_text("est enregistré")).to_be_visible()
    axe_check(page)

    # Ending a group: its own page says what will happen, and nothing happens before.
    services.peer_member_leave(actor=big.members.order_by("position").first().user, group=big)
    page.goto("/groupes/coordination/reajustements/")
    page.get_by_role("link", name="Terminer le groupe « Les Tisserands »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terminer le groupe « Les Tisserands »"
    )
    expect(page.get_by_text("Les 4 membres actuels sont prévenus")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Terminer définitivement le groupe").click()
    expect(page.get_by_text("« Les Tisserands » est terminé")).to_be_visible()
    axe_check(page)
