"""A mentor pauses a mentorship (its meetings ahead are cancelled) and sends an encouragement,
which the mentee receives as such. axe-core at 1280 and 390 px, no sideways scroll."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.mentoring.space_rows import signed
from tisser.core.enums import Role
from tisser.notifications.models import Notification

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


def test_a_mentor_pauses_a_mentorship_and_sends_an_encouragement(
    page, live_server, transactional_db
):
    organisation = member(Role.COORDINATOR).memberships.get().organisation
    mentorship = signed(organisation)
    sign_in(page, live_server, mentorship.mentor.user)
    page.goto(f"/mentorat/relations/{mentorship.pk}/")

    page.get_by_label("Motif (facultatif)").fill("Un mois chargé au travail")
    page.get_by_role("button", name="Mettre en pause").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mettre en pause le mentorat")
    page.get_by_role("button", name="Oui, mettre en pause").click()
    expect(page.get_by_text("Le mentorat est en pause ;")).to_be_visible()
    expect(page.get_by_role("button", name="Reprendre le mentorat")).to_be_visible()
    check_at_both_widths(page)

    page.get_by_label("Encouragement").check()
    page.locator("#id_update-text").fill("Bravo pour votre premier entretien !")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Votre encouragement est envoyé")).to_be_visible()
    check_at_both_widths(page)

    received = Notification.objects.filter(recipient=mentorship.mentee).values_list(
        "subject", flat=True
    )
    assert any("vous encourage" in subject for subject in received)
    assert any("en pause" in subject for subject in received)
