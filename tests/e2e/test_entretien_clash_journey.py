"""The consultant plans an entretien on top of their team meeting: refused, the meeting named
next to the date, nothing typed lost; the entretiens list fits a phone; on the team meeting's
agenda, focus and an announcement follow an htmx add. axe-core at 1280 and 390 px."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.bilans.helpers import entretiens, open_bilan
from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, MeetingMode

DATE = re.compile(r"^Date\W*$")  # Django's French label ends with " :"


def check_at_both_widths(page) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"{page.url} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_clashing_entretien_is_refused_and_named(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire", user__last_name="Morel")
    organisation = consultant.memberships.get().organisation
    camille = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Roussel",
    )
    nadia = member(
        Role.COORDINATOR, organisation, user__first_name="Nadia", user__last_name="Benali"
    )
    bilan = open_bilan(consultant, camille)
    entretiens(bilan, count=2)
    team = meetings.series_create(
        organiser=consultant,
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Réunion d'équipe",
        participants=[nadia],
        # Tuesday 4 March 2031, 14:00 to 15:30
        first_start=datetime(2031, 3, 4, 14, tzinfo=ZoneInfo("Europe/Paris")),
        duration_minutes=90,
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="Salle 2",
    )
    sign_in(page, live_server, consultant)

    page.goto(f"/bilans/{bilan.pk}/")
    page.get_by_label(DATE).fill("2031-03-04")
    page.get_by_label("Heure de début").fill("15:00")
    page.get_by_label("Nombre d'entretiens").fill("2")
    page.get_by_label("Modalité").select_option("phone")
    page.get_by_label("Lieu, lien de visioconférence").fill("01 23 45 67 89")
    page.get_by_role("button", name="Planifier").click()

    error = page.locator(".field-error").filter(has_text="Vous avez déjà")
    expect(error).to_contain_text(
        "« Réunion d'équipe » avec Nadia Benali le mardi 4 mars 2031 de 14:00 à 15:30"
    )
    expect(error.get_by_label(DATE)).to_have_value("2031-03-04")
    assert page.get_by_label("Heure de début").input_value() == "15:00"
    assert page.get_by_label("Lieu, lien de visioconférence").input_value() == "01 23 45 67 89"
    check_at_both_widths(page)

    page.goto(f"/bilans/{bilan.pk}/entretiens/liste/")
    check_at_both_widths(page)
    # On a phone the list does not even scroll inside its wrapper: one block per entretien.
    page.set_viewport_size({"width": 390, "height": 900})
    wrapper = page.locator(".table-wrapper")
    assert wrapper.evaluate("w => w.scrollWidth <= w.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/rencontres/{team.occurrences.get().pk}/")
    page.get_by_label("Point à aborder").fill("Plannings de mars")
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.locator("#agenda-status")).to_have_text(
        "« Plannings de mars » est ajouté à l'ordre du jour."
    )
    expect(page.locator("#agenda li").filter(has_text="Plannings de mars")).to_be_focused()
    check_at_both_widths(page)
