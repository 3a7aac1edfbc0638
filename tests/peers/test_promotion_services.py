"""Promotions (ADR 0023): the coordination names them, places people in them one or many at a
time (all or nothing, never over a change made meanwhile), and a newcomer asking for a group
is offered a group of her promotion with room, or told the next formation will place her."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tests.peers.helpers import peer_group, peer_profile
from tisser.bilans.models import Bilan, Funding, Phase
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.notifications.models import Notification
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerProfile, Promotion
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.services import formation as formation_services
from tisser.peers.services import promotions as services


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def ended_bilan(organisation, user, *, days_ago):
    consultant = member(Role.CONSULTANT, organisation)
    return Bilan.objects.create(
        organisation=organisation,
        beneficiary=user,
        consultant=consultant,
        funding=Funding.CPF,
        opened_at=timezone.now() - timedelta(days=days_ago + 60),
        closed_at=timezone.now() - timedelta(days=days_ago),
        status=Phase.CLOSED,
    )


def versions(*profiles):
    return {profile.pk: profile.version for profile in profiles}


def test_a_promotion_is_created_with_a_clean_unique_name(organisation, coordinator):
    promotion = services.promotion_create(
        organisation=organisation, name="  Automne   2026 ", by=coordinator
    )

    assert promotion.name == "Automne 2026"
    with pytest.raises(ValidationError) as error:
        services.promotion_create(organisation=organisation, name="automne 2026", by=coordinator)
    assert "porte déjà ce nom" in str(error.value)
    with pytest.raises(ValidationError):
        services.promotion_create(organisation=organisation, name="  ", by=coordinator)
    assert AuditEvent.objects.filter(action="peer_promotion_create").count() == 1


def test_only_its_coordination_creates_or_places(organisation, coordinator):
    other = member(Role.COORDINATOR, OrganisationFactory())
    consultant = member(Role.CONSULTANT, organisation)
    promotion = services.promotion_create(organisation=organisation, name="A", by=coordinator)
    profile = peer_profile(organisation)

    for intruder in (other, consultant):
        with pytest.raises(PermissionDenied):
            services.promotion_create(organisation=organisation, name="B", by=intruder)
        with pytest.raises(PermissionDenied):
            services.promotion_place(promotion=promotion, people=versions(profile), by=intruder)


def test_placing_people_files_them_and_a_stale_row_writes_nothing(organisation, coordinator):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    amandine, hugo = peer_profile(organisation), peer_profile(organisation)
    shown = versions(amandine, hugo)
    # Another coordinator places Hugo elsewhere meanwhile: the first page is stale.
    other = services.promotion_create(organisation=organisation, name="Été", by=coordinator)
    services.promotion_place(promotion=other, people=versions(hugo), by=coordinator)

    with pytest.raises(StaleVersion) as error:
        services.promotion_place(promotion=promotion, people=shown, by=coordinator)

    assert hugo.user.get_full_name() in error.value.messages[0]
    amandine.refresh_from_db()
    assert amandine.cohort == ""
    placed = services.promotion_place(
        promotion=promotion, people=versions(amandine), by=coordinator
    )
    amandine.refresh_from_db()
    assert placed.moved == [amandine.user_id]
    assert amandine.cohort == "Hiver"
    assert amandine.version == shown[amandine.pk] + 1


def test_a_person_in_a_group_keeps_her_promotion(organisation, coordinator):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    peer_group(organisation, users, coordinator=coordinator)
    profile = PeerProfile.objects.get(user=users[0])

    placed = services.promotion_place(promotion=promotion, people=versions(profile), by=coordinator)

    assert placed.moved == []
    assert placed.kept == [users[0].get_full_name()]
    profile.refresh_from_db()
    assert profile.cohort == ""


def test_the_filter_finds_who_ended_a_bilan_in_a_period(organisation, coordinator):
    recent, older, never = (peer_profile(organisation) for _ in range(3))
    ended_bilan(organisation, recent.user, days_ago=3)
    ended_bilan(organisation, older.user, days_ago=200)
    today = timezone.localdate()

    found = services.promotion_people(
        organisation=organisation,
        filters=services.PeopleFilter(ended_from=today - timedelta(days=30), ended_to=today),
    )

    assert [profile.pk for profile in found] == [recent.pk]
    assert found[0].last_bilan_end is not None
    assert never.pk not in [
        p.pk
        for p in services.promotion_people(
            organisation=organisation, filters=services.PeopleFilter(seeking=True, promotion="Z")
        )
    ]


def test_a_filter_wide_placement_is_refused_when_the_filter_finds_someone_new(
    organisation, coordinator
):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    first = peer_profile(organisation)
    filters = services.PeopleFilter(promotion=services.NO_PROMOTION)
    shown = services.people_signature(
        services.promotion_people(organisation=organisation, filters=filters).values_list(
            "pk", "version"
        )
    )
    newcomer = peer_profile(organisation)

    with pytest.raises(StaleVersion):
        services.promotion_place(
            promotion=promotion, people={}, by=coordinator, signature=shown, filters=filters
        )
    now = services.people_signature(
        services.promotion_people(organisation=organisation, filters=filters).values_list(
            "pk", "version"
        )
    )
    placed = services.promotion_place(
        promotion=promotion, people={}, by=coordinator, signature=now, filters=filters
    )

    assert sorted(placed.moved) == sorted([first.user_id, newcomer.user_id])


def test_renaming_a_promotion_renames_its_people_groups_and_formations(organisation, coordinator):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    profile = peer_profile(organisation, cohort="Hiver")
    group = PeerGroup.objects.create(organisation=organisation, name="G", cohort="Hiver")
    formation = GroupFormation.objects.create(
        organisation=organisation, cohort="Hiver", created_by=coordinator
    )

    services.promotion_rename(
        promotion=promotion, name="Hiver 2027", by=coordinator, expected_version=1
    )
    with pytest.raises(StaleVersion):
        services.promotion_rename(
            promotion=promotion, name="Autre", by=coordinator, expected_version=1
        )

    for row in (profile, group, formation):
        row.refresh_from_db()
        assert row.cohort == "Hiver 2027"
    assert Promotion.objects.get(pk=promotion.pk).name == "Hiver 2027"


def test_a_newcomer_is_offered_a_group_of_her_promotion_with_room(organisation, coordinator):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    for user in users:
        peer_profile(organisation, user=user, cohort="Hiver")
    group = peer_group(organisation, users, coordinator=coordinator)
    group.cohort = "Hiver"
    group.save(update_fields=["cohort"])
    newcomer = peer_profile(organisation)

    placed = services.promotion_place(
        promotion=promotion, people=versions(newcomer), by=coordinator
    )
    offers = services.promotion_offer(promotion=promotion, user_ids=placed.moved, by=coordinator)

    assert offers.offered == [(newcomer.user.get_full_name(), group.name)]
    assert group.members.get(user=newcomer.user).status == PeerGroupMember.Status.PROPOSED
    assert Notification.objects.filter(
        recipient=newcomer.user, kind=PeerNotice.PEER_GROUP_PROPOSED
    ).exists()


def test_with_no_group_with_room_she_waits_for_the_next_formation_and_is_told(
    organisation, coordinator
):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    newcomers = [peer_profile(organisation) for _ in range(3)]

    placed = services.promotion_place(
        promotion=promotion, people=versions(*newcomers), by=coordinator
    )
    offers = services.promotion_offer(promotion=promotion, user_ids=placed.moved, by=coordinator)

    assert len(offers.waiting) == 3
    notice = Notification.objects.filter(
        recipient=newcomers[0].user, kind=PeerNotice.PEER_PROMOTION_SET
    ).first()
    assert "prochaine formation" in notice.body
    assert "«\u00a0Hiver\u00a0»" in notice.subject
    # ... and the next formation of the promotion can group them now.
    assert (
        formation_services.formation_people(organisation=organisation, cohort="Hiver").count() == 3
    )


def test_someone_who_does_not_seek_a_group_is_placed_silently(organisation, coordinator):
    promotion = services.promotion_create(organisation=organisation, name="Hiver", by=coordinator)
    quiet = peer_profile(
        organisation, seeking=False, availability=availability_bit(0, DaySlot.MORNING)
    )

    placed = services.promotion_place(promotion=promotion, people=versions(quiet), by=coordinator)
    offers = services.promotion_offer(promotion=promotion, user_ids=placed.moved, by=coordinator)

    assert offers.offered == [] and offers.waiting == []
    assert not Notification.objects.filter(recipient=quiet.user).exists()


def test_the_migration_makes_a_promotion_of_every_name_in_use(organisation, coordinator):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tisser.peers.migrations.0005_promotions")
    peer_profile(organisation, cohort="Automne")
    peer_profile(organisation, cohort="Automne")
    PeerGroup.objects.create(organisation=organisation, name="G", cohort="Printemps")

    migration.promotions_from_cohorts(apps, None)

    assert sorted(Promotion.objects.values_list("name", flat=True)) == ["Automne", "Printemps"]
