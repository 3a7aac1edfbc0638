"""The coordination's pages of late joiners and repairs: what they list, the buttons, and a
number of queries that does not grow with the people and groups listed."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now

from tests.factories import member
from tests.peers.helpers import peer_group, peer_profile
from tisser.core.enums import Role
from tisser.meetings.models import Occurrence
from tisser.peers import services
from tisser.peers.models import PeerGroup, PeerGroupMember


def beneficiaries(organisation, count):
    return [member(Role.BENEFICIARY, organisation) for _ in range(count)]


def queries(client, url) -> int:
    client.get(url)  # the first request of a session writes it; count the next one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_arrivals_page_proposes_a_group_and_places_the_person(client, people, organisation):
    coordinator = people["coordinator"]
    group = peer_group(organisation, beneficiaries(organisation, 3), name="Les Passerelles")
    newcomer = peer_profile(organisation)
    client.force_login(coordinator)

    page = client.get(reverse("peers:arrivals"))
    response = client.post(
        reverse("peers:arrival_place", args=[newcomer.pk]), {"group_id": group.pk}, follow=True
    )

    assert "Rejoindrait « Les Passerelles »" in page.content.decode()
    assert "Un créneau commun : mardi 18" in page.content.decode()
    assert "reçoit une invitation à rejoindre « Les Passerelles »" in response.content.decode()
    assert group.members.get(user=newcomer.user).status == PeerGroupMember.Status.PROPOSED


def test_the_arrivals_page_keeps_a_bounded_number_of_queries(client, people, organisation):
    client.force_login(people["coordinator"])
    for _ in range(2):
        peer_group(organisation, beneficiaries(organisation, 3))
    peer_profile(organisation)
    few = queries(client, reverse("peers:arrivals"))

    for _ in range(3):
        peer_group(organisation, beneficiaries(organisation, 4))
    for _ in range(5):
        peer_profile(organisation)
    many = queries(client, reverse("peers:arrivals"))

    assert many == few


def test_the_repairs_page_lists_a_group_that_lost_a_member_and_applies_its_repair(
    client, people, organisation
):
    coordinator = people["coordinator"]
    small = peer_group(organisation, beneficiaries(organisation, 3), name="Les Passerelles")
    peer_group(organisation, beneficiaries(organisation, 5), name="Les Tisserands")
    leaver = small.members.first().user
    services.peer_member_leave(actor=leaver, group=small)
    client.force_login(coordinator)

    page = client.get(reverse("peers:repairs")).content.decode()
    [plan] = services.repairs_compute(organisation)
    response = client.post(
        reverse("peers:repair_apply", args=[small.pk]), {"expected": plan.signature}, follow=True
    )

    assert f"{leaver.get_full_name()} a quitté le groupe" in page
    assert "quitte « Les Tisserands » et rejoint « Les Passerelles »" in page
    assert "Le réajustement du groupe « Les Passerelles » est enregistré." in (
        response.content.decode()
    )
    assert "Aucun groupe à réajuster" in response.content.decode()


def test_a_stale_repair_is_refused_with_a_message(client, people, organisation):
    small = peer_group(organisation, beneficiaries(organisation, 3))
    services.peer_member_leave(actor=small.members.first().user, group=small)
    client.force_login(people["coordinator"])

    response = client.post(
        reverse("peers:repair_apply", args=[small.pk]), {"expected": "k"}, follow=True
    )

    assert "Le réajustement proposé a changé depuis" in response.content.decode()
    assert small.members.filter(status=PeerGroupMember.Status.LEFT).count() == 1


def test_the_repairs_page_keeps_a_bounded_number_of_queries(client, people, organisation):
    client.force_login(people["coordinator"])

    def broken_group():
        group = peer_group(organisation, beneficiaries(organisation, 4))
        services.peer_member_leave(actor=group.members.first().user, group=group)

    broken_group()
    peer_group(organisation, beneficiaries(organisation, 3))
    few = queries(client, reverse("peers:repairs"))
    for _ in range(3):
        broken_group()
    many = queries(client, reverse("peers:repairs"))

    assert many == few


def test_ending_a_group_is_confirmed_on_its_own_page_first(client, people, organisation):
    members = beneficiaries(organisation, 3)
    group = peer_group(organisation, members)
    upcoming = Occurrence.objects.scheduled().filter(series=group.series, start__gt=now())
    count = upcoming.count()
    assert count
    client.force_login(people["coordinator"])

    page = client.get(reverse("peers:group_end", args=[group.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Terminer le groupe « Les Tisserands »" in text
    assert "Les 3 membres actuels sont prévenus dans Tisser : " in text
    assert ", ".join(user.get_full_name() for user in members) in text
    assert f"Les {count} rencontres à venir sont annulées" in text
    assert "Terminer définitivement le groupe" in text
    group.refresh_from_db()
    assert group.status == PeerGroup.Status.ACTIVE and upcoming.count() == count

    response = client.post(reverse("peers:group_end", args=[group.pk]), follow=True)

    group.refresh_from_db()
    assert group.status == PeerGroup.Status.ENDED and upcoming.count() == 0
    assert "est terminé ; ses membres sont prévenus" in response.content.decode()
    again = client.get(reverse("peers:group_end", args=[group.pk])).content.decode()
    assert "n'est pas actif" in again and "Terminer définitivement" not in again
    # its members still read its history
    client.force_login(members[0])
    assert client.get(reverse("peers:group", args=[group.pk])).status_code == 200


def test_another_organisations_group_or_person_is_not_found(client, people, organisation):
    outsider = member(Role.COORDINATOR)
    elsewhere = outsider.memberships.get().organisation
    group = peer_group(elsewhere, beneficiaries(elsewhere, 3), coordinator=outsider)
    profile = peer_profile(elsewhere)
    client.force_login(people["coordinator"])

    responses = [
        client.post(reverse("peers:arrival_place", args=[profile.pk]), {"group_id": group.pk}),
        client.post(reverse("peers:repair_apply", args=[group.pk]), {"expected": "k"}),
        client.post(reverse("peers:group_end", args=[group.pk])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    group.refresh_from_db()
    assert group.status == PeerGroup.Status.ACTIVE


def test_the_arrivals_page_reads_as_french_and_stacks_on_a_phone(client, people, organisation):
    peer_group(organisation, beneficiaries(organisation, 5), name="Les Tisserands")
    peer_profile(organisation)
    client.force_login(people["coordinator"])

    page = client.get(reverse("peers:arrivals")).content.decode()

    assert "Aucune proposition de groupe sur cette page" in page
    assert "En attente :</strong> aucun groupe" in page
    assert 'class="cards-table"' in page and 'data-label="Proposition"' in page
    assert "breadcrumb" not in page  # the tabs below the title are the links

    peer_group(organisation, beneficiaries(organisation, 3), name="Les Passerelles")
    peer_profile(organisation)
    page = client.get(reverse("peers:arrivals")).content.decode()
    assert '"figure">2</span> personnes de cette page ont une proposition de groupe' in page


def test_the_arrivals_page_gives_a_groups_last_place_once_and_its_button_works(
    client, people, organisation
):
    cordees = peer_group(organisation, beneficiaries(organisation, 4), name="Les Cordées")
    horizons = peer_group(organisation, beneficiaries(organisation, 4), name="Les Horizons")
    first, second = peer_profile(organisation), peer_profile(organisation)
    client.force_login(people["coordinator"])

    page = client.get(reverse("peers:arrivals")).content.decode()
    assert page.count("Rejoindrait « Les Cordées »") == 1
    assert page.count("Rejoindrait « Les Horizons »") == 1
    taken = re.search(r'name="taken" value="([\d,]+)"', page).group(1)
    # The person shown second (the page kept the other group for the first).
    later = second if first.user_id < second.user_id else first
    kept = {str(cordees.pk), str(horizons.pk)} & set(taken.split(","))
    [other] = {cordees.pk, horizons.pk} - {int(pk) for pk in kept}

    response = client.post(
        reverse("peers:arrival_place", args=[later.pk]),
        {"group_id": other, "taken": taken},
        follow=True,
    )

    assert "reçoit une invitation" in response.content.decode()


def test_a_repair_without_change_offers_to_keep_the_group_and_points_to_arrivals(
    client, people, organisation
):
    group = peer_group(organisation, beneficiaries(organisation, 4), name="Les Boussoles")
    leaver = group.members.first().user
    services.peer_member_leave(actor=leaver, group=group)
    peer_profile(organisation)
    peer_profile(organisation)
    client.force_login(people["coordinator"])

    page = client.get(reverse("peers:repairs")).content.decode()

    assert "Aucun changement nécessaire" in page
    assert "Appliquer le réajustement" not in page
    assert "Garder le groupe tel quel" in page
    assert "2 personnes en attente de sa promotion pourraient le rejoindre" in page
    assert reverse("peers:arrivals") in page
    assert "breadcrumb" not in page


def test_the_repairs_page_sorts_accented_names_in_french_order(client, people, organisation):
    for name in ("Les Tisserands", "Les Éclaireurs", "Les Cordées"):
        group = peer_group(organisation, beneficiaries(organisation, 4), name=name)
        services.peer_member_leave(actor=group.members.first().user, group=group)
    client.force_login(people["coordinator"])

    page = client.get(reverse("peers:repairs")).content.decode()

    order = [page.index(f"{name}\n") for name in ("Cordées", "Éclaireurs", "Tisserands")]
    assert order == sorted(order)
