"""axe-core on the mentorship space: the space before the agreement, the agreement written by
the mentee then signed by both (the space then shows the next meeting), a goal, the feedback
form, the news feed, the coordination's health page and the mentee's network home. Each page is
opened in a realistic state; the agreement is filled in and signed through the browser."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.mentoring.space_rows import start
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.models import Mentorship, ProgressUpdate


def test_the_mentorship_space_passes_axe(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    mentorship = start(organisation)
    mentee, mentor = mentorship.mentee, mentorship.mentor.user
    space = f"/mentorat/relations/{mentorship.pk}/"

    # the mentee opens the space, then writes the agreement
    sign_in(page, live_server, mentee)
    page.goto(space)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mentorat avec")
    axe_check(page)
    page.get_by_role("link", name="Écrire la charte").click()
    axe_check(page)
    page.get_by_label("Objectifs du mentorat").fill("Vérifier que le métier me convient.")
    page.get_by_label("Ce que la personne mentorée attend").fill("Des conseils concrets.")
    day = timezone.localdate() + timedelta(days=9)
    page.get_by_label("Date de la première rencontre").fill(day.isoformat())
    page.get_by_label("Heure").fill("18:30")
    page.get_by_label("Lien de visioconférence, adresse ou numéro de téléphone").fill(
        "https://visio.example.org/salle"
    )
    page.get_by_role("button", name="Enregistrer la charte").click()
    expect(page.get_by_text("La charte est enregistrée")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Signer la charte").click()
    expect(page.get_by_text("Elle attend l'autre signature")).to_be_visible()

    # the mentor signs: the meetings are planned
    sign_in(page, live_server, mentor)
    page.goto(f"{space}charte/")
    page.get_by_role("button", name="Signer la charte").click()
    expect(page.get_by_text("La charte est signée par vous deux")).to_be_visible()
    expect(page.get_by_role("link", name="Préparer la rencontre")).to_be_visible()
    axe_check(page)

    # a goal, news and thanks, then the goal's page
    goal = services.goal_add(
        actor=mentee, mentorship=mentorship, title="Deux enquêtes", success_criteria="Avant mars"
    )
    services.progress_update_post(
        actor=mentee,
        mentorship=mentorship,
        kind=ProgressUpdate.Kind.UPDATE,
        text="J'ai rencontré une soigneuse.",
        goal=goal,
    )
    sign_in(page, live_server, mentee)
    page.goto(space)
    expect(page.get_by_text("J'ai rencontré une soigneuse.")).to_be_visible()
    axe_check(page)

    page.goto(f"/mentorat/objectifs/{goal.pk}/")
    axe_check(page)

    # the 30-day feedback, with an error next to the rating
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - timedelta(days=31)
    )
    page.goto(f"{space}avis/day_30/")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.locator("#id_rating_error")).to_be_visible()
    axe_check(page)

    # the mentee's network home lists the mentorship
    page.goto("/reseau/")
    expect(page.get_by_role("heading", name="Mes mentorats")).to_be_visible()
    axe_check(page)

    # the coordination's health overview
    sign_in(page, live_server, coordinator)
    page.goto("/mentorat/coordination/sante/")
    expect(page.get_by_role("table")).to_be_visible()
    axe_check(page)
