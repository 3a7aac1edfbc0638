"""Issue #16: the coordination's peer pages read a constant number of queries, whatever the
number of groups, members, people waiting or left out (and list 25 a page)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_profile
from tisser.core.enums import Role
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


@pytest.fixture
def nadia(client, coordinator):
    client.force_login(coordinator)
    return client


def _group(organisation, name, *, size=4, left=0, **fields):
    group = PeerGroup.objects.create(organisation=organisation, name=name, **fields)
    for position in range(size + left):
        user = peer_profile(organisation, seeking=False).user
        PeerGroupMember.objects.create(
            group=group,
            user=user,
            position=position,
            status=PeerGroupMember.Status.LEFT
            if position >= size
            else PeerGroupMember.Status.ACCEPTED,
            left_at=timezone.now() if position >= size else None,
        )
    return group


def _count(client, url) -> int:
    client.get(url)  # sessions, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _review(organisation, coordinator, groups: int, left_out: int) -> str:
    formation = GroupFormation.objects.create(
        organisation=organisation,
        status=GroupFormation.Status.REVIEW,
        created_by=coordinator,
        config={"target_size": 4},
    )
    for number in range(groups):
        _group(
            organisation,
            f"Groupe {number:03d}",
            formation=formation,
            status=PeerGroup.Status.PROPOSED,
            score=0.5,
            locked=number == 1,
        )
    formation.unplaced = [
        {"user": peer_profile(organisation).user_id, "reason": "no_common_slot"}
        for _ in range(left_out)
    ]
    formation.save()
    return reverse("peers:formation", args=[formation.pk])


@pytest.mark.django_db
def test_the_review_of_a_formation_reads_as_many_queries_for_3_or_30_groups(
    organisation, coordinator, nadia
):
    small = _count(nadia, _review(organisation, coordinator, groups=3, left_out=2))
    PeerGroup.objects.all().delete()
    GroupFormation.objects.all().delete()
    url = _review(organisation, coordinator, groups=30, left_out=20)
    grown = _count(nadia, url)
    assert grown == small
    text = nadia.get(url).content.decode()
    cards = {name: f'id="groupe-{pk}"' for pk, name in PeerGroup.objects.values_list("pk", "name")}
    # ten groups and ten of the people left out a page
    assert "Page 1 sur 3" in text
    assert cards["Groupe 009"] in text and cards["Groupe 010"] not in text
    third = nadia.get(url, {"page": 3}).content.decode()
    assert cards["Groupe 020"] in third and cards["Groupe 029"] in third
    assert "Personnes non placées" not in third  # 20 left out: pages 1 and 2
    # every group and person counts in the figures, and each person has a move menu
    # without their group, nor a locked or a full one
    assert '<span class="figure">30</span>' in text and '<span class="figure">20</span>' in text
    first = PeerGroup.objects.get(name="Groupe 000")
    someone = first.members.first().user_id
    menu = text.split(f'id="u{someone}_to_group"')[1].split("</select>")[0]
    assert f'value="{first.pk}"' not in menu and "Groupe 002" in menu
    assert "Groupe 001" not in menu  # locked


@pytest.mark.django_db
def test_the_review_opens_on_the_page_of_the_group_a_person_just_joined(
    organisation, coordinator, nadia
):
    url = _review(organisation, coordinator, groups=30, left_out=0)
    late = PeerGroup.objects.get(name="Groupe 017")
    text = nadia.get(url, {"ouvrir": late.pk}).content.decode()
    assert "Page 2 sur 3" in text and f'id="groupe-{late.pk}"' in text


@pytest.mark.django_db
def test_repairs_read_as_many_queries_for_2_or_30_groups_to_repair(organisation, nadia):
    url = reverse("peers:repairs")
    _group(organisation, "Stable", status=PeerGroup.Status.ACTIVE)
    for number in range(2):
        _group(organisation, f"Parti {number:03d}", left=1, status=PeerGroup.Status.ACTIVE)
    small = _count(nadia, url)
    for number in range(2, 30):
        _group(organisation, f"Parti {number:03d}", left=1, status=PeerGroup.Status.ACTIVE)
    assert _count(nadia, url) == small
    text = nadia.get(url).content.decode()
    assert "Page 1 sur 2" in text and "Parti 024" in text and "Parti 025" not in text


@pytest.mark.django_db
def test_arrivals_read_as_many_queries_for_3_or_30_people_waiting(organisation, nadia):
    url = reverse("peers:arrivals")
    for number in range(2):
        _group(organisation, f"Groupe {number:03d}", size=3, status=PeerGroup.Status.ACTIVE)
    for _ in range(3):
        peer_profile(organisation)
    small = _count(nadia, url)
    for number in range(2, 20):
        _group(organisation, f"Groupe {number:03d}", size=3, status=PeerGroup.Status.ACTIVE)
    for _ in range(27):
        peer_profile(organisation)
    assert _count(nadia, url) == small
    text = nadia.get(url).content.decode()
    assert "Page 1 sur 2" in text and '<span class="figure">30</span>' in text


@pytest.mark.django_db
def test_health_reads_as_many_queries_for_3_or_30_groups(organisation, nadia):
    url = reverse("peers:health")
    for number in range(3):
        _group(organisation, f"Groupe {number:03d}", status=PeerGroup.Status.ACTIVE)
    small = _count(nadia, url)
    for number in range(3, 30):
        _group(organisation, f"Groupe {number:03d}", status=PeerGroup.Status.ACTIVE)
    assert _count(nadia, url) == small
    text = nadia.get(url).content.decode()
    assert "Page 1 sur 2" in text and '<span class="figure">30</span>' in text
