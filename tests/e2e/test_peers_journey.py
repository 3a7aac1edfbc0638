"""Groupes de pairs, through the pages, on the demo data (issue #7): Nadia, the coordinator,
forms groups for the "Promotion automne 2026", reviews them (moves Lucas into Camille's group,
locks it; Yanis is left out with a reason and what to do), publishes them. Camille finds her
group (first names and introductions), joins it, states a commitment and checks in on it,
prepares the next meeting with a success and a blocker, finds both on the meeting's agenda in
Rencontres, and notes help she gave a peer. axe-core runs on every page visited."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_bilan_full_journey import click_and_land, visit
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import totp_activate
from tests.fixtures.rome_fixture import FIXTURE
from tisser.accounts.models import User
from tisser.meetings.models import AgendaItem
from tisser.notifications.models import Notification
from tisser.peers import services
from tisser.peers.demo import COHORT
from tisser.peers.models import (
    Commitment,
    Contribution,
    GroupFormation,
    PeerGroup,
    PeerGroupMember,
)
from tisser.peers.notice_kinds import PeerNotice
from tisser.referentiel.recommendations import clear_recommendation_cache

COMMITMENT = "Appeler deux producteurs de plantes aromatiques du Tarn"
SUCCESS = "J'ai trouvé une parcelle à louer près d'Albi."
BLOCKER = "Je ne sais pas comment chiffrer mon premier investissement."
HELP = "Je lui ai relu son plan de financement."
REVIEW = re.compile(r"/groupes/coordination/formations/\d+/")
GROUP = re.compile(r"/groupes/\d+/$")


@pytest.fixture
def demo(transactional_db):
    clear_recommendation_cache()
    call_command("import_rome", str(FIXTURE), verbosity=0)
    call_command("seed_demo", verbosity=0)
    yield
    clear_recommendation_cache()


def person(first_name: str, last_name: str) -> User:
    return User.objects.get(email=f"{first_name}.{last_name}@demo.tisser.fr")


def group_of(user: User) -> PeerGroup:
    return PeerGroupMember.objects.select_related("group").get(user=user).group


def test_from_forming_groups_to_a_prepared_meeting_and_help_given(page, live_server, demo):
    nadia = person("nadia", "benali")
    camille = person("camille", "roussel")
    lucas = person("lucas", "perrin")
    yanis = person("yanis", "brunet")
    main = page.get_by_role("main")
    nav = page.get_by_role("navigation", name="Navigation principale")

    # --- Nadia forms groups for the autumn cohort ---------------------------------------------
    totp_activate(nadia)
    sign_in_as(page, live_server, nadia)
    visit(page, "/coordination/")
    click_and_land(
        page, nav.get_by_role("link", name="Groupes de pairs"), "**/groupes/coordination/"
    )
    assert re.search(r"10\s+personnes cherchent un groupe", main.inner_text())
    page.get_by_label(f"{COHORT} (10 personnes)").check()
    page.get_by_label("4 personnes").check()
    click_and_land(page, main.get_by_role("button", name="Proposer des groupes"), REVIEW)
    formation = GroupFormation.objects.get()
    assert formation.status == GroupFormation.Status.REVIEW
    camille_group = group_of(camille)
    lucas_group = group_of(lucas)
    assert camille_group != lucas_group
    review = main.inner_text()
    # Neither the declared attribute nor who declared one (issue 13): only that it counts.
    assert "Caractéristique déclarée" not in review
    assert "prise en compte par le calcul sans vous être montrée" in review
    assert "Parent solo" not in review
    assert "Un créneau commun : mardi 18 h" in review
    left_out = main.locator(f"#personne-{yanis.pk}")
    expect(left_out).to_contain_text("Pas assez de personnes pouvant se réunir de la même façon")
    expect(left_out).to_contain_text("Proposez-lui de se réunir aussi en visio")

    # Lucas, free on Tuesday evenings too, joins Camille's group; then it is locked.
    main.locator(f"#groupe-{lucas_group.pk} > summary").click()  # groups are folded
    card = main.locator(f"#personne-{lucas.pk}")
    card.get_by_label("Déplacer vers").select_option(label=camille_group.name)
    click_and_land(page, card.get_by_role("button", name="Déplacer"), REVIEW)
    expect(page.get_by_role("status").first).to_contain_text(
        f"Lucas Perrin rejoint « {camille_group.name} »"
    )
    assert group_of(lucas) == camille_group
    click_and_land(
        page,
        main.get_by_role("button", name=f"Verrouiller ce groupe : {camille_group.name}"),
        REVIEW,
    )
    assert PeerGroup.objects.get(pk=camille_group.pk).locked
    click_and_land(page, main.get_by_role("button", name="Publier les groupes"), REVIEW)
    expect(page.get_by_role("status").first).to_contain_text("2 groupes publiés")
    formation.refresh_from_db()
    assert formation.status == GroupFormation.Status.PUBLISHED
    assert Notification.objects.filter(
        recipient=camille, kind=PeerNotice.PEER_GROUP_PROPOSED
    ).exists()

    # --- Camille finds her group, joins it ----------------------------------------------------
    sign_in_as(page, live_server, camille)
    visit(page, "/beneficiaire/")
    click_and_land(page, nav.get_by_role("link", name="Groupe de pairs"), "**/groupes/")
    click_and_land(page, main.get_by_role("link", name="Découvrir le groupe et ses membres"), GROUP)
    members = main.inner_text()
    assert "Thomas" in members and "Lucas" in members
    assert "Ancien commercial, je monte un atelier de réparation de vélos." in members
    assert "Garnier" not in members and "Perrin" not in members  # first names only
    click_and_land(page, main.get_by_role("button", name="Rejoindre le groupe"), GROUP)
    expect(page.get_by_role("status").first).to_contain_text("Bienvenue dans le groupe")
    assert group_of(camille).members.get(user=camille).status == "accepted"

    # --- a commitment for this week, and its check-in -----------------------------------------
    click_and_land(page, main.get_by_role("link", name="Nos engagements"), "**/engagements/")
    page.get_by_label("Je m'engage à").fill(COMMITMENT)
    click_and_land(page, main.get_by_role("button", name="Ajouter l'engagement"), "**/engagements/")
    expect(page.get_by_role("status").first).to_contain_text("Votre engagement est ajouté.")
    main.get_by_label("Fait", exact=True).check()
    click_and_land(
        page, main.get_by_role("button", name="Enregistrer mon bilan"), "**/engagements/"
    )
    expect(page.get_by_role("status").first).to_contain_text("Merci, votre bilan est enregistré.")
    commitment = Commitment.objects.get(user=camille)
    assert commitment.outcome == Commitment.Outcome.DONE and commitment.checked_in_at

    # --- preparing the next meeting: a success and a blocker, on its agenda -------------------
    visit(page, f"/groupes/{camille_group.pk}/")
    click_and_land(
        page,
        main.get_by_role(
            "link", name="Préparer la rencontre : un succès, un blocage, une question"
        ),
        "**/preparer/",
    )
    page.get_by_label("Un succès à partager").fill(SUCCESS)
    page.get_by_label("Un blocage").fill(BLOCKER)
    click_and_land(
        page, main.get_by_role("button", name="Ajouter à l'ordre du jour"), "**/preparer/"
    )
    items = AgendaItem.objects.filter(author=camille)
    assert {item.kind for item in items} == {AgendaItem.Kind.SUCCESS, AgendaItem.Kind.BLOCKER}
    occurrence = items.first().occurrence
    visit(page, f"/groupes/{camille_group.pk}/")
    click_and_land(
        page, main.get_by_role("link", name="Voir la rencontre dans Rencontres"), "**/*/"
    )
    assert page.url.endswith(f"/{occurrence.pk}/")
    agenda = main.locator("#agenda")
    expect(agenda).to_contain_text(SUCCESS)
    expect(agenda).to_contain_text(BLOCKER)

    # --- help given to a peer (Thomas joined the group meanwhile, as Camille did) -------------
    thomas = person("thomas", "garnier")
    services.peer_member_accept(actor=thomas, group=PeerGroup.objects.get(pk=camille_group.pk))
    visit(page, f"/groupes/{camille_group.pk}/")
    click_and_land(
        page,
        main.get_by_role("link", name="L'entraide : ce que je donne et reçois"),
        "**/entraide/",
    )
    page.get_by_label("J'ai aidé ce membre").check()
    page.get_by_label("Avec qui ?").select_option(label="Thomas")
    page.get_by_label("Type d'aide").select_option(label="Un retour, un conseil")
    page.get_by_label("En quelques mots (facultatif)").fill(HELP)
    click_and_land(page, main.get_by_role("button", name="Noter cette aide"), "**/entraide/")
    expect(page.get_by_role("status").first).to_contain_text("Merci de faire vivre l'entraide")
    help_given = Contribution.objects.get(giver=camille)
    assert help_given.receiver == thomas and help_given.description == HELP
