"""The adapter: preferences become engine participants; groups and reasons come back."""

from tests.factories import member
from tests.peers.helpers import TUESDAY_EVENING, peer_group, peer_profile
from tisser.core.enums import Role
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers import formation
from tisser.peers.models import PeerMode


def test_a_slot_of_the_grid_stands_for_its_three_hours():
    bits = formation.weekly_hours(availability_bit(1, DaySlot.EVENING))

    assert [position for position in range(168) if bits >> position & 1] == [42, 43, 44]


def test_a_cohort_is_formed_into_groups_with_reasons_for_who_is_left_out(organisation):
    friday_morning = availability_bit(4, DaySlot.MORNING)
    profiles = [peer_profile(organisation, cohort="Automne") for _ in range(8)]
    alone = peer_profile(organisation, cohort="Automne", availability=friday_morning)

    result = formation.formation_compute([*profiles, alone])

    placed = [user for group in result.groups for user in group.members]
    assert sorted(placed) == sorted(p.user_id for p in profiles)
    assert all(3 <= len(group.members) <= 5 for group in result.groups)
    assert [u.participant_id for u in result.unplaced] == [alone.user_id]
    assert formation.UNPLACED_LABELS[result.unplaced[0].reason]
    rows = formation.explanation_rows(result.groups[0])
    assert formation.explanation_labels(rows)[0].startswith("Un créneau commun : mardi 18")


def test_a_stored_group_is_checked_and_repaired_after_a_leaver(organisation):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    group = peer_group(organisation, users)
    newcomer = peer_profile(organisation, availability=TUESDAY_EVENING, mode=PeerMode.VIDEO)

    assert formation.group_check(group) == []
    result = formation.repair_compute([group], leaving=[users[0].pk], arriving=[newcomer])

    assert {move.participant_id for move in result.moves} >= {users[0].pk}
    kept = [g for g in result.groups if users[1].pk in g.members]
    assert kept and newcomer.user_id in kept[0].members
