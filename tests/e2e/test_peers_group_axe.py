"""axe-core on a participant's peer group pages: the hub before any preference, the
preferences form (with an error next to the département), the hub with a group proposed, the
group page, accepting, the charter written then agreed, preparing a meeting, and the page that
confirms leaving. The forms are filled in through the browser."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.peers.models import PeerGroupMember


def test_a_participant_s_group_pages_pass_axe(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    others = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    group = peer_group(organisation, others, coordinator=coordinator)
    newcomer = member(Role.BENEFICIARY, organisation)

    # the hub invites to give preferences; the form shows an error next to the département
    sign_in(page, live_server, newcomer)
    page.goto("/groupes/")
    axe_check(page)
    page.get_by_role("link", name="Donner mes préférences").click()
    axe_check(page)
    page.get_by_label("mardi soir").check()
    page.get_by_label("J'explore des pistes").check()
    page.get_by_label("Reconversion").check()
    page.get_by_label("Chaque mois").check()
    page.get_by_label("En présentiel", exact=True).check()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.locator("#id_departement_error")).to_be_visible()
    axe_check(page)
    page.get_by_label("Département").fill("69")
    page.get_by_label("Ma courte présentation au groupe").fill(
        "Ancien cuisinier, je vise l'enseignement."
    )
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.get_by_text("Vos préférences sont enregistrées.")).to_be_visible()

    # a group is proposed: the hub, the group page, accepting
    PeerGroupMember.objects.create(group=group, user=newcomer, position=3)
    page.goto("/groupes/")
    expect(page.get_by_role("heading", name="Un groupe vous est proposé")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Découvrir le groupe et ses membres").click()
    axe_check(page)
    page.get_by_role("button", name="Rejoindre le groupe").click()
    expect(page.get_by_text("Bienvenue dans le groupe")).to_be_visible()
    axe_check(page)

    # the charter, written then agreed
    page.get_by_role("link", name="Écrire la charte").click()
    axe_check(page)
    page.get_by_label("Nos objectifs communs").fill("Avancer ensemble vers nos nouveaux métiers.")
    page.get_by_role("button", name="Enregistrer la charte").click()
    expect(page.get_by_text("La charte est enregistrée")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Je donne mon accord").click()
    expect(page.get_by_text("Votre accord sur la charte est enregistré.")).to_be_visible()

    # preparing the next meeting
    page.get_by_role("link", name="Préparer la rencontre").click()
    axe_check(page)
    page.get_by_label("Un succès à partager").fill("J'ai trouvé un stage d'observation.")
    page.get_by_label("Un blocage").fill("Financer la formation.")
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.get_by_role("cell", name="Financer la formation.")).to_be_visible()
    axe_check(page)

    # leaving asks first
    page.goto(f"/groupes/{group.pk}/quitter/")
    expect(page.get_by_role("button", name="Je quitte définitivement le groupe")).to_be_visible()
    axe_check(page)
