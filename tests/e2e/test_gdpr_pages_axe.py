"""axe-core at 1280 and 390 px on the privacy notice, a contact's page with its art. 14
message, and the coordinator's departure pages (the list, a confirmation refused without the
box ticked, and an erasure blocked by an open bilan); nothing scrolls sideways at 390 px."""

from playwright.sync_api import expect

from tests.bilans.helpers import closed_bilan, open_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.network.guides_helpers import contact
from tisser.core.enums import Role

WIDTHS = (1280, 390)


def _check(page, path: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        axe_check(page)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"{path} scrolls sideways at {width} px"


def test_privacy_contact_and_departure_pages_pass_axe(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    coordinator = member(Role.COORDINATOR, organisation)
    leaving = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    closed_bilan(consultant, leaving)
    staying = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    open_bilan(consultant, staying)
    card = contact(leaving, "Durand", first_name="Inès", email="ines@example.org")

    _check(page, "/donnees-personnelles/")

    sign_in(page, live_server, leaving)
    _check(page, "/donnees-personnelles/")
    _check(page, f"/reseau/contacts/{card.pk}/")

    sign_in(page, live_server, coordinator)
    _check(page, "/coordination/departs/")
    _check(page, f"/coordination/departs/{staying.memberships.get().pk}/effacer/")
    erase = f"/coordination/departs/{leaving.memberships.get().pk}/effacer/"
    _check(page, erase)
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.locator(".field-error").first).to_be_visible()
    axe_check(page)
