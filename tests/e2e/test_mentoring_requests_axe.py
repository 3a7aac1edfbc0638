"""axe-core on the pages of mentoring requests, in a realistic order: a mentee without needs,
then with suggestions, a mentor's profile, the request (sent from the browser), the lists and
the request as each side sees it, and the mentor's acceptance."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import OrganisationFactory, member
from tests.fixtures.rome_fixture import FIXTURE
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring.models import MentorshipRequest


def test_the_request_pages_pass_axe(page, live_server, transactional_db):
    call_command("import_rome", str(FIXTURE), verbosity=0)
    organisation = OrganisationFactory()
    newcomer = member(Role.BENEFICIARY, organisation)
    sign_in(page, live_server, newcomer)
    page.goto("/mentorat/suggestions/")
    expect(page.get_by_role("link", name="Décrire mes besoins")).to_be_visible()
    axe_check(page)

    mentor = mentor_profile(organisation, fiches=["A1901"], reconversion="Ancienne comptable.")
    mentor_profile(organisation, fiches=["A1902"])
    needs = mentee_profile(organisation, targets=["A1901"], share_targets=True)
    sign_in(page, live_server, needs.user)
    page.goto("/mentorat/suggestions/")
    expect(page.get_by_role("heading", name="Pourquoi cette personne").first).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Voir tout son profil").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(mentor.user.get_full_name())
    axe_check(page)

    page.get_by_role("link", name=f"Écrire à {mentor.user.first_name}").click()
    expect(page.get_by_label("Votre message")).to_contain_text("je vous contacte parce que")
    axe_check(page)
    page.get_by_label("Votre message").fill("")
    page.get_by_role("button", name="Envoyer ma demande").click()
    # In the error summary and next to the field (ADR 0028): the one next to the field.
    expect(page.get_by_text("Écrivez votre message avant de l'envoyer.").last).to_be_visible()
    axe_check(page)
    page.get_by_label("Votre message").fill("Bonjour, votre parcours m'inspire.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("button", name="Retirer ma demande")).to_be_visible()
    axe_check(page)
    page.goto("/mentorat/demandes/")
    axe_check(page)

    sent = MentorshipRequest.objects.get()
    sign_in(page, live_server, mentor.user)
    page.goto("/mentorat/demandes/")
    expect(page.get_by_text("encore 7 jours")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=needs.user.get_full_name()).click()
    shared = page.get_by_role("heading", name="Ce qu'il ou elle a choisi de partager")
    expect(shared).to_be_visible()
    axe_check(page)
    page.locator("#id_accept-answer").fill("Avec plaisir, à bientôt.")
    page.get_by_role("button", name="Accepter et commencer le mentorat").click()
    expect(page.get_by_text("votre mentorat commence")).to_be_visible()
    axe_check(page)
    sent.refresh_from_db()
    assert sent.status == MentorshipRequest.Status.ACCEPTED

    sign_in(page, live_server, needs.user)
    page.goto(f"/mentorat/demandes/{sent.pk}/")
    expect(page.get_by_text("Avec plaisir, à bientôt.")).to_be_visible()
    axe_check(page)
