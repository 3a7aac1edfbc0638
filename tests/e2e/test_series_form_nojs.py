"""The series form without JavaScript: Enter in the participant search searches (the form
comes back with what was typed and the people found, no error about the date), whatever
was searched before; only « Planifier » plans."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import member
from tisser.core.enums import Role
from tisser.meetings.models import MeetingSeries


@pytest.fixture
def page_nojs(browser, live_server):
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_enter_in_the_participant_search_searches_without_javascript(
    page_nojs, live_server, transactional_db
):
    page = page_nojs
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Morel")
    organisation = consultant.memberships.get().organisation
    member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Nadia",
        user__last_name="Benali",
    )
    sign_in(page, live_server, consultant)
    page.goto("/rencontres/series/nouvelle/")
    page.get_by_label("Titre").fill("Point d'équipe")
    # the time of the first meeting is styled as the date beside it (full width, border)
    date_box = page.locator("input[type=date]").bounding_box()
    time_box = page.locator("input[type=time]").bounding_box()
    assert date_box and time_box and time_box["width"] == date_box["width"]

    # when she types a name in the search and presses Enter, twice with the same name
    for _ in range(2):
        search = page.get_by_label("Chercher une personne à inviter")
        search.fill("Benali")
        with page.expect_navigation():
            search.press("Enter")

        # then the form searched: the person found, what was typed kept, no date error
        expect(page.get_by_label("Nadia Benali")).to_be_visible()
        expect(page.get_by_label("Titre")).to_have_value("Point d'équipe")
        expect(page.locator(".field-error")).to_have_count(0)
        assert not MeetingSeries.objects.exists()

    # and « Planifier » plans once the rest is filled in
    page.get_by_label("Nadia Benali").check()
    page.get_by_label("Date", exact=False).first.fill("2031-03-04")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Lieu, lien de visioconférence").fill("https://visio.example.org/equipe")
    with page.expect_navigation():
        page.get_by_role("button", name="Planifier").click()
    assert MeetingSeries.objects.get().title == "Point d'équipe"
