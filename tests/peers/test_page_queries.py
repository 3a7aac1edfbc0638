"""Issue #16: the coordination's peer pages read a constant number of queries, whatever the
number of groups, members, people waiting or left out (and list 25 a page)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_profile
from tisser.core.enums import Role
from tisser.peers import services
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerProfile


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


def _count_computing(client, url) -> int:
    """The queries of a request that finds no stored proposal (the first after a change)."""
    client.get(url)  # sessions
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_repairs_and_arrivals_compute_in_as_many_queries_for_few_or_many_groups(
    organisation, nadia
):
    repairs, arrivals = reverse("peers:repairs"), reverse("peers:arrivals")
    for number in range(2):
        _group(organisation, f"Parti {number:03d}", left=1, status=PeerGroup.Status.ACTIVE)
    _group(organisation, "Place", size=3, status=PeerGroup.Status.ACTIVE)
    for _ in range(3):
        peer_profile(organisation)
    small = (_count_computing(nadia, repairs), _count_computing(nadia, arrivals))
    for number in range(2, 12):
        _group(organisation, f"Parti {number:03d}", left=1, status=PeerGroup.Status.ACTIVE)
        _group(organisation, f"Place {number:03d}", size=3, status=PeerGroup.Status.ACTIVE)
    for _ in range(12):
        peer_profile(organisation)
    assert (_count_computing(nadia, repairs), _count_computing(nadia, arrivals)) == small


@pytest.mark.django_db
def test_the_stored_proposals_are_the_ones_the_service_computes_and_follow_every_change(
    organisation, nadia
):
    url = reverse("peers:repairs")
    first = _group(organisation, "Parti 000", left=1, status=PeerGroup.Status.ACTIVE)
    _group(organisation, "Stable", size=5, status=PeerGroup.Status.ACTIVE)
    before = nadia.get(url).content.decode()
    [plan] = services.repairs_compute(organisation)
    assert f'value="{plan.signature}"' in before
    assert "Parti 001" not in before

    # a member of another group leaves: the page reads the new state, not the stored one
    second = _group(organisation, "Parti 001", size=3, status=PeerGroup.Status.ACTIVE)
    leaver = second.members.first()
    leaver.status, leaver.left_at = PeerGroupMember.Status.LEFT, timezone.now()
    leaver.save()
    after = nadia.get(url).content.decode()
    plans = {p.group.pk: p for p in services.repairs_compute(organisation)}
    assert "Parti 001" in after and set(plans) == {first.pk, second.pk}
    for plan in plans.values():
        assert f'value="{plan.signature}"' in after
        assert all(sentence in after for sentence in plan.sentences if "«" not in sentence)

    # a preference saved changes the state too
    profile = PeerProfile.objects.get(user=first.members.filter(left_at=None).first().user)
    profile.availability = 0
    profile.save()
    assert services.repairs_compute(organisation)[0].why != plans[first.pk].why
    assert "Plus de créneau hebdomadaire commun" in nadia.get(url).content.decode()


@pytest.mark.django_db
def test_a_group_breaking_the_rule_on_declared_situations_names_no_one_and_nothing(
    organisation, nadia
):
    group = _group(organisation, "Groupe 000", size=3, status=PeerGroup.Status.ACTIVE)
    declared = PeerProfile.objects.get(user=group.members.first().user)
    declared.attribute, declared.avoid_isolation = "Parent solo", True
    declared.save()

    text = nadia.get(reverse("peers:repairs")).content.decode()

    assert "La composition du groupe est à revoir" in text
    assert "situation" not in text.split("Ce qui a changé")[1].split("</ul>")[0]
    assert "Parent solo" not in text


@pytest.mark.django_db
def test_a_member_who_leaves_has_the_repairs_computed_before_the_coordinator_looks(
    organisation, nadia, monkeypatch, django_capture_on_commit_callbacks
):
    group = _group(organisation, "Les Passerelles", size=3, status=PeerGroup.Status.ACTIVE)
    _group(organisation, "Les Tisserands", size=5, status=PeerGroup.Status.ACTIVE)
    leaver = group.members.first().user
    with django_capture_on_commit_callbacks(execute=True):
        services.peer_member_leave(actor=leaver, group=group)

    def engine_again(*args, **kwargs):
        raise AssertionError("the page ran the engine")

    monkeypatch.setattr("tisser.peers.repair_board._plan", engine_again)
    monkeypatch.setattr("tisser.peers.repair_board._to_repair", engine_again)
    text = nadia.get(reverse("peers:repairs")).content.decode()

    assert f"{leaver.get_full_name()} a quitté le groupe" in text
    assert "quitte « Les Tisserands » et rejoint « Les Passerelles »" in text
