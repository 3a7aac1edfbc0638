"""axe-core on the coordination's matching rounds: the empty page, a round run from the
page, its review (proposals, an unmatched mentee, the mentors' places), a proposal's choice
page (an override refused for want of a reason, then saved), then published, and the
history."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import OrganisationFactory, member
from tests.fixtures.rome_fixture import FIXTURE
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring.models import MatchingRound, Mentorship


def test_the_round_pages_pass_axe(page, live_server, transactional_db):
    from django.core.management import call_command

    call_command("import_rome", str(FIXTURE), verbosity=0)
    organisation = OrganisationFactory()
    coordinator = member(Role.COORDINATOR, organisation)
    sign_in(page, live_server, coordinator)
    page.goto("/mentorat/coordination/tours/")
    expect(page.get_by_text("Personne n'est à apparier")).to_be_visible()
    axe_check(page)

    mentor_profile(organisation, fiches=["A1901"], capacity=1)
    mentor_profile(organisation, fiches=["D1901"], capacity=2)
    # Has room whatever the engine chose: the override below is accepted.
    mentor_profile(organisation, fiches=["D1902"], capacity=5)
    for _ in range(2):
        mentee_profile(organisation, targets=["A1901"], cohort="Printemps 2025")
    mentee_profile(organisation, targets=["D1901"], cohort="Printemps 2025")
    mentee_profile(organisation, targets=["A1901"], languages=["de"], cohort="Printemps 2025")
    page.goto("/mentorat/coordination/tours/")
    page.get_by_label("Printemps 2025 (4 personnes)").check()
    axe_check(page)
    page.get_by_role("button", name="Calculer les propositions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tour d'appariement du")
    expect(page.get_by_role("heading", name="Personnes sans mentor proposé")).to_be_visible()
    axe_check(page)
    # On a phone each proposal is a card: no sideways scroll (axe_check at 390 px), and the
    # decision buttons are within the screen, not in a column scrolled out of sight.
    page.set_viewport_size({"width": 390, "height": 900})
    axe_check(page)
    for button in page.locator(".cards-table button").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    for wrapper in page.locator(".table-wrapper").all():
        assert wrapper.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Another mentor is chosen on the proposal's own page (the review lists no mentor):
    # without a reason, the error sits next to the field and the choice is kept.
    page.get_by_role("link", name="Choisir un·e autre mentor").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Choisir un·e autre mentor")
    axe_check(page)
    # The page offers the mentors with room other than the one proposed (the engine may have
    # proposed the spare one itself): the first offered is taken.
    chosen = page.locator('input[name="mentor"]').first.get_attribute("value")
    page.locator(f'input[name="mentor"][value="{chosen}"]').check()
    page.get_by_role("button", name="Enregistrer ce choix").click()
    # In the error summary and next to the field (ADR 0028): the one next to the field.
    expect(page.get_by_text("Indiquez le motif de la modification.").last).to_be_visible()
    expect(page.locator(f'input[name="mentor"][value="{chosen}"]')).to_be_checked()
    axe_check(page)

    page.get_by_label("Motif de la modification").fill("Même secteur, et elle habite à côté.")
    page.get_by_role("button", name="Enregistrer ce choix").click()
    expect(page.get_by_text("Décision enregistrée")).to_be_visible()
    page.get_by_role("button", name="Accepter toutes les propositions à relire").click()
    expect(page.locator(".message-success", has_text="propositions acceptées")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Publier le tour").click()
    expect(page.get_by_text("Tour publié")).to_be_visible()
    axe_check(page)
    assert MatchingRound.objects.get().status == MatchingRound.Status.PUBLISHED
    assert Mentorship.objects.count() >= 2

    page.goto("/mentorat/coordination/tours/")
    expect(page.get_by_role("cell", name="Publié", exact=True)).to_be_visible()
    axe_check(page)
