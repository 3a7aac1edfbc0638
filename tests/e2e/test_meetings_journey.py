"""A consultant plans monthly meetings with a beneficiary, prepares the first one (a blocker,
a question, a success and a free topic), downloads it for their calendar, writes it up with a
next action, and finds that action again on the next meeting's agenda."""

import re
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tisser.core.enums import Role


def test_consultant_plans_prepares_and_writes_up_a_meeting(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire")
    organisation = consultant.memberships.get().organisation
    member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Camille",
        user__last_name="Roussel",
    )
    sign_in_as(page, live_server, consultant)

    page.goto("/rencontres/")
    axe_check(page)
    page.get_by_role("link", name="Planifier des rencontres").click()
    axe_check(page)
    page.get_by_label("Titre").fill("Point mensuel")
    page.get_by_label("Type de rencontre").select_option("other")
    # The participants are found by name (the picker offers a few at a time, ADR 0030);
    # with HTMX the choices follow what is typed and the status says what was found.
    page.get_by_label("Chercher une personne à inviter").fill("rous")
    expect(page.locator("#participants-status")).to_contain_text("1 personne correspond")
    page.get_by_label("Camille Roussel").check()
    page.get_by_label("Date").fill("2031-03-04")
    page.get_by_label("Heure de début").fill("18:00")
    page.get_by_label("Régularité").select_option("monthly")
    page.get_by_label("Nombre de rencontres").fill("3")
    page.get_by_label("Modalité").select_option("video")
    page.get_by_label("Lieu, lien de visioconférence").fill("visio.example.org/point")
    page.get_by_role("button", name="Planifier").click()

    # A bad link is refused next to its field; everything else is kept.
    expect(page.locator(".field-error").filter(has_text="https://")).to_be_visible()
    assert page.get_by_label("Titre").input_value() == "Point mensuel"
    axe_check(page)
    page.get_by_label("Lieu, lien de visioconférence").fill("https://visio.example.org/point")
    page.get_by_role("button", name="Planifier").click()

    page.wait_for_url("**/rencontres/series/*/")
    meetings = page.locator(".meeting-list li")
    assert meetings.count() == 3
    axe_check(page)
    meetings.first.get_by_role("link").click()
    page.wait_for_url("**/rencontres/*/")
    axe_check(page)

    for kind, text in [
        ("blocker", "Je n'arrive pas à contacter des professionnels"),
        ("question", "Comment présenter ma reconversion ?"),
        ("success", "Premier entretien décroché"),
        ("topic", "Organisation des prochaines semaines"),
    ]:
        page.get_by_label(re.compile(r"^Type\W*$")).select_option(kind)
        page.get_by_label("Point à aborder").fill(text)
        page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
        page.locator("#agenda li").filter(has_text=text).wait_for()
    agenda = page.locator("#agenda li")
    assert agenda.count() == 4
    page.get_by_role("button", name="Monter « Comment présenter ma reconversion ? »").click()
    expect(page.locator("#agenda li").first).to_contain_text("Comment présenter")
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Point mensuel"
    assert event["DTSTART"].dt.hour == 18

    page.get_by_label("Notes partagées").fill(
        "Camille a listé trois anciens collègues à recontacter."
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(
        page.get_by_role("status").filter(has_text="Le compte rendu est enregistré.")
    ).to_be_visible()
    page.get_by_label("Prochaine action").fill("Écrire à deux anciens collègues")
    page.get_by_label("Qui s'en charge").select_option(label="Camille Roussel")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(
        page.locator(".actions li").filter(has_text="Écrire à deux anciens collègues")
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Point mensuel").click()
    page.locator(".meeting-list li").nth(1).get_by_role("link").click()
    rolled = page.get_by_role(
        "region", name="Actions en cours, décidées aux rencontres précédentes"
    )
    assert "Écrire à deux anciens collègues" in rolled.inner_text()
    axe_check(page)
