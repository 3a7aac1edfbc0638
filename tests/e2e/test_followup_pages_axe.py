"""axe-core on the follow-up pages: entretiens and private notes, caseload, follow-up
interview, satisfaction questionnaire (with its errors), coordinator aggregates. Not a
journey: each page is opened directly."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.bilans.helpers import closed_bilan, entretiens, held, open_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.core.enums import Role


def test_follow_up_pages_pass_axe(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT)
    organisation = consultant.memberships.get().organisation
    coordinator = member(Role.COORDINATOR, organisation)
    running = open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
    first, _later = entretiens(running, count=2)
    held(first)
    closed = closed_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
    bilans.followup_propose(
        consultant=consultant,
        bilan=closed,
        start=timezone.now() + timedelta(days=180),
        duration_minutes=60,
        mode="phone",
    )

    sign_in(page, live_server, consultant)
    for path in (
        "/conseiller/",
        f"/bilans/{running.pk}/entretiens/liste/",
        f"/bilans/{running.pk}/entretiens/{first.pk}/notes/",
        f"/bilans/{closed.pk}/entretien-de-suivi/",
    ):
        page.goto(path)
        axe_check(page)

    sign_in(page, live_server, running.beneficiary)
    page.goto(f"/bilans/{running.pk}/entretiens/liste/")
    axe_check(page)

    sign_in(page, live_server, closed.beneficiary)
    for path in ("/bilans/", f"/bilans/{closed.pk}/entretien-de-suivi/"):
        page.goto(path)
        axe_check(page)
    page.goto(f"/bilans/{closed.pk}/satisfaction/fin/")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator(".field-error").first).to_be_visible()
    axe_check(page)

    sign_in(page, live_server, coordinator)
    page.goto("/coordination/bilans/")
    axe_check(page)
