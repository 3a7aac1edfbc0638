"""axe-core on the coordination's group formations: the page with too few people, the form,
a formation's review (groups, a declared attribute, a person left out), a move refused next to
its field, a locked group, the published formation and the history; a formation being
computed, whose page reloads itself once the groups are ready."""

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.peers.helpers import peer_profile
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers.models import GroupFormation, PeerGroup
from tisser.peers.services import formation as services

COHORT = "Printemps 2026"


def test_the_formation_pages_pass_axe(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    sign_in(page, live_server, coordinator)
    page.goto("/groupes/coordination/")
    expect(page.get_by_text("il en faut au moins 3 pour former un groupe")).to_be_visible()
    axe_check(page)

    for _ in range(5):
        peer_profile(organisation, cohort=COHORT)
    peer_profile(organisation, cohort=COHORT, attribute="Parent solo", avoid_isolation=True)
    peer_profile(organisation, cohort=COHORT, attribute="Parent solo")
    peer_profile(organisation, cohort=COHORT, availability=availability_bit(5, DaySlot.MORNING))
    page.goto("/groupes/coordination/")
    page.get_by_label(f"{COHORT} (8 personnes)").check()
    page.get_by_label("3 personnes").check()
    axe_check(page)
    page.get_by_role("button", name="Proposer des groupes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formation de groupes du")
    # Who declared a situation is never shown (issue 13): only that declarations count.
    expect(page.get_by_text("prise en compte par le calcul sans vous être montrée")).to_be_visible()
    expect(page.get_by_text("Caractéristique déclarée")).to_have_count(0)
    expect(page.get_by_role("heading", name="Personnes non placées")).to_be_visible()
    axe_check(page)

    # A group of three: its members are offered no move (the group would be left with two).
    formation = GroupFormation.objects.get()
    small = min(formation.groups.all(), key=lambda group: group.members.count())
    other = formation.groups.exclude(pk=small.pk).first()
    person = small.members.first().user
    page.locator(f"#groupe-{small.pk} > summary").click()  # groups are folded (issue 15)
    expect(page.locator(f"#personne-{person.pk}")).to_contain_text("Aucun déplacement possible")
    # A move offered when the page was read, refused when sent (the group it touches was
    # locked meanwhile): summed up at the top, written next to the person's menu.
    menu = page.locator("select[name='to_group']").first
    mover = int(menu.get_attribute("id").removeprefix("u").removesuffix("_to_group"))
    choice = menu.locator("option").first.get_attribute("value")
    touched = (
        formation.groups.get(members__user_id=mover)
        if choice == "out"
        else PeerGroup.objects.get(pk=choice)
    )
    PeerGroup.objects.filter(pk=touched.pk).update(locked=True)
    details = page.locator(f"details:has(#personne-{mover})")
    if details.count():
        details.locator("> summary").click()
    card = page.locator(f"#personne-{mover}")
    card.get_by_label("Déplacer vers").select_option(choice)
    card.get_by_role("button", name="Déplacer").click()
    expect(page.locator(f'.error-summary a[href="#u{mover}_to_group"]')).to_be_visible()
    expect(page.locator(f"#u{mover}_to_group_error")).to_be_visible()
    axe_check(page)
    PeerGroup.objects.filter(pk=touched.pk).update(locked=False)
    page.goto(f"/groupes/coordination/formations/{formation.pk}/")

    page.get_by_role("button", name=f"Verrouiller ce groupe : {other.name}").click()
    expect(page.get_by_text(f"« {other.name} » est verrouillé")).to_be_visible()
    axe_check(page)

    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_role("button", name="Publier les groupes").click()
    expect(page.get_by_text("groupes publiés")).to_be_visible()
    axe_check(page)
    assert set(PeerGroup.objects.values_list("status", flat=True)) == {PeerGroup.Status.ACTIVE}

    page.goto("/groupes/coordination/")
    expect(page.get_by_role("cell", name="Publiée", exact=True)).to_be_visible()
    axe_check(page)


def test_the_page_of_a_formation_being_computed_passes_axe_and_refreshes_itself(
    page, live_server, transactional_db
):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    for _ in range(4):
        peer_profile(organisation, cohort=COHORT)
    # As `formation_run` leaves it until the worker picks the task up.
    formation = GroupFormation.objects.create(
        organisation=organisation,
        cohort=COHORT,
        status=GroupFormation.Status.RUNNING,
        running_since=timezone.now(),
        config={"target_size": 4},
        created_by=coordinator,
    )
    sign_in(page, live_server, coordinator)
    page.goto(f"/groupes/coordination/formations/{formation.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Calcul des groupes en cours depuis")
    expect(page.get_by_role("status")).to_contain_text("En attente du calcul : 0 %")
    expect(page.get_by_role("button", name="Publier les groupes")).to_have_count(0)
    axe_check(page)

    # The worker writes its stage and progress: the poll brings them into the status region.
    GroupFormation.objects.filter(pk=formation.pk).update(
        stage=GroupFormation.Stage.COMPUTING, progress=47
    )
    expect(page.get_by_role("status")).to_contain_text("Calcul des groupes : 40 %")
    expect(
        page.get_by_role("progressbar", name="Avancement du calcul des groupes")
    ).to_have_attribute("value", "47")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    GroupFormation.objects.filter(pk=formation.pk).update(stage="", progress=0)

    assert services.formation_compute(formation_id=formation.pk, version=1) == "done"

    # the page's poll sees the groups and reloads it, without a click
    expect(page.get_by_role("button", name="Publier les groupes")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Les Tisserands")).to_be_visible()
    axe_check(page)
