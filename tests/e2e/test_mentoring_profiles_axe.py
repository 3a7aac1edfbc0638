"""axe-core on the mentoring profile pages: a mentor's profile (new, with the compétences
their description suggests at 1280 and 390 px, then with errors, then submitted), a
beneficiary's needs with the live preview, and the coordination's pool, one profile under
review, mentees and incompatibilities. Not a journey: pages opened directly."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.fixtures.rome_fixture import FIXTURE
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring.models import DeclaredConflict, MentorProfile


def test_the_mentoring_profile_pages_pass_axe(page, live_server, transactional_db):
    call_command("import_rome", str(FIXTURE), verbosity=0)
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    mentor = member(Role.MENTOR, organisation)
    beneficiary = member(Role.BENEFICIARY, organisation)

    # The mentor: an empty profile, a bad département, a saved and submitted profile
    sign_in(page, live_server, mentor)
    page.goto("/mentorat/mon-profil-mentor/")
    axe_check(page)
    page.get_by_label("Poste ou activité actuelle").fill("Cheffe d'atelier")
    page.get_by_label("Mon parcours professionnel").fill("Vingt ans en atelier.")
    page.get_by_label("Pourquoi je deviens mentor").fill("Transmettre.")
    page.locator("#current_fiches-add").fill("A1901")
    page.get_by_label("Découvrir le métier et tester la faisabilité du projet").check()
    page.get_by_label("lundi matin").check()
    page.get_by_label("En présentiel", exact=True).check()
    # What the mentor can pass on, in their words: the compétences of their fiches it
    # suggests, at 1280 and 390 px, everything typed kept
    page.get_by_label("Décrivez en quelques mots ce que vous pouvez transmettre").fill(
        "récolter les feuilles, semer"
    )
    page.get_by_role("button", name="Proposer des compétences").click()
    suggested = page.get_by_label("Récolter et sécher des feuilles")
    expect(suggested).to_be_visible()
    expect(page.get_by_text("Vos mots : « récolter », « feuilles »")).to_be_visible()
    expect(page.get_by_label("Poste ou activité actuelle")).to_have_value("Cheffe d'atelier")
    expect(page.get_by_label("lundi matin")).to_be_checked()
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 900})
    axe_check(page)  # no sideways scroll either
    page.set_viewport_size({"width": 1280, "height": 900})
    suggested.check()
    page.get_by_label("Département").fill("20")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    # In the error summary and next to the field (ADR 0028): the one next to the field.
    expect(page.get_by_text("n'est pas un département").last).to_be_visible()
    axe_check(page)
    page.get_by_label("Département").fill("69")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(page.get_by_text("Votre profil est enregistré")).to_be_visible()
    saved = MentorProfile.objects.get(user=mentor)
    assert list(saved.skills.values_list("libelle", flat=True)) == [
        "Récolter et sécher des feuilles"
    ]
    page.get_by_role("button", name="Envoyer mon profil à la coordination").click()
    expect(page.get_by_text("Votre profil est envoyé")).to_be_visible()
    axe_check(page)

    # The beneficiary: their needs, the preview updated as a consent is ticked
    sign_in(page, live_server, beneficiary)
    page.goto("/mentorat/mes-besoins/")
    axe_check(page)
    page.locator("#target_fiches-add").fill("D1902")
    page.get_by_label("Partager mes métiers visés").check()
    expect(page.locator("#needs-preview")).to_contain_text("Métiers visés")
    axe_check(page)

    # The coordination
    other = mentor_profile(organisation, employer="Menuiserie Dupont")
    mentee = mentee_profile(organisation, cohort="Printemps")
    DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=mentee.user,
        mentor=other,
        reason=DeclaredConflict.Reason.REPORTING_LINE,
        declared_by=coordinator,
    )
    submitted = MentorProfile.objects.get(user=mentor)
    sign_in(page, live_server, coordinator)
    for path in (
        "/mentorat/coordination/mentors/",
        f"/mentorat/coordination/mentors/{submitted.pk}/",
        "/mentorat/coordination/mentores/",
        "/mentorat/coordination/incompatibilites/",
    ):
        page.goto(path)
        axe_check(page)
    page.goto(f"/mentorat/coordination/mentors/{submitted.pk}/")
    page.get_by_label("Renvoyer au mentor pour qu'il le revoie").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("la remarque est obligatoire").last).to_be_visible()
    axe_check(page)
