"""A participant's side of peer groups, through the services: preferences, accepting and
leaving a group, the charter and its agreements, preparing a meeting, the facilitator
rotation and the reminder to check in."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import TUESDAY_EVENING, peer_group
from tisser.core.audit import AuditEvent
from tisser.core.enums import Role
from tisser.meetings import services as meetings
from tisser.meetings.models import AgendaItem, Occurrence, SeriesParticipant
from tisser.notifications.models import Channel, Notification
from tisser.peers import services
from tisser.peers.models import (
    CharterAgreement,
    PeerGroup,
    PeerGroupMember,
    PeerMode,
    PeerProfile,
    ProjectType,
    Rhythm,
    Stage,
)
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.rotation import facilitators
from tisser.referentiel.models import SecteurActivite


def preferences(**fields) -> services.PeerPreferencesData:
    values = {
        "seeking": True,
        "availability": TUESDAY_EVENING,
        "stage": Stage.EXPLORING,
        "project_type": ProjectType.TRAINING,
        "rhythm": Rhythm.MONTHLY,
        "mode": PeerMode.VIDEO,
        "languages": ["fr"],
        "introduction": "J'ai été infirmière, je vise le design.",
    }
    values.update(fields)
    return services.PeerPreferencesData(**values)


def group_of(organisation, size=3, **kwargs):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(size)]
    return peer_group(organisation, users, **kwargs), users


def next_occurrence(group) -> Occurrence:
    return (
        Occurrence.objects.filter(series=group.series, start__gt=timezone.now())
        .order_by("start")
        .first()
    )


# -- preferences ---------------------------------------------------------------------------------


def test_preferences_are_created_then_updated_with_the_version_read(organisation):
    user = member(Role.BENEFICIARY, organisation)
    sector = SecteurActivite.objects.create(code=9001, libelle="Culture")

    profile = services.peer_preferences_save(
        user=user,
        organisation=organisation,
        data=preferences(sectors=[sector], attribute="parent solo", avoid_isolation=True),
        expected_version=0,
    )
    updated = services.peer_preferences_save(
        user=user,
        organisation=organisation,
        data=preferences(stage=Stage.LAUNCHING),
        expected_version=profile.version,
    )

    assert updated.pk == profile.pk and updated.version == 2
    assert updated.stage == Stage.LAUNCHING and list(updated.sectors.all()) == []
    assert updated.attribute == "" and not updated.avoid_isolation


def test_preferences_saved_elsewhere_meanwhile_are_not_overwritten(organisation):
    user = member(Role.BENEFICIARY, organisation)
    services.peer_preferences_save(
        user=user, organisation=organisation, data=preferences(), expected_version=0
    )

    with pytest.raises(services.StaleVersion) as caught:
        services.peer_preferences_save(
            user=user,
            organisation=organisation,
            data=preferences(stage=Stage.LAUNCHING),
            expected_version=0,
        )

    assert caught.value.current.version == 1
    assert PeerProfile.objects.get(user=user).stage == Stage.EXPLORING


@pytest.mark.parametrize(
    ("mode", "departement", "error"),
    [
        (PeerMode.IN_PERSON, "", True),
        (PeerMode.EITHER, "", True),
        (PeerMode.IN_PERSON, "99", True),
        (PeerMode.IN_PERSON, "6", False),
        (PeerMode.VIDEO, "", False),
    ],
)
def test_meeting_in_person_needs_a_valid_departement(organisation, mode, departement, error):
    user = member(Role.BENEFICIARY, organisation)
    data = preferences(mode=mode, departement=departement)

    if error:
        with pytest.raises(ValidationError) as caught:
            services.peer_preferences_save(
                user=user, organisation=organisation, data=data, expected_version=0
            )
        assert "departement" in caught.value.message_dict
    else:
        profile = services.peer_preferences_save(
            user=user, organisation=organisation, data=data, expected_version=0
        )
        assert profile.departement == ("06" if mode == PeerMode.IN_PERSON else "")


def test_preferences_take_top_level_sectors_only(organisation):
    parent = SecteurActivite.objects.create(code=9001, libelle="Culture")
    child = SecteurActivite.objects.create(code=9002, libelle="Musées", parent=parent)

    with pytest.raises(ValidationError) as caught:
        services.peer_preferences_save(
            user=member(Role.BENEFICIARY, organisation),
            organisation=organisation,
            data=preferences(sectors=[child]),
            expected_version=0,
        )

    assert "sectors" in caught.value.message_dict


def test_only_a_beneficiary_gives_preferences_and_the_attribute_stays_out_of_the_audit(
    organisation,
):
    with pytest.raises(PermissionDenied):
        services.peer_preferences_save(
            user=member(Role.MENTOR, organisation),
            organisation=organisation,
            data=preferences(),
            expected_version=0,
        )
    user = member(Role.BENEFICIARY, organisation)

    services.peer_preferences_save(
        user=user,
        organisation=organisation,
        data=preferences(attribute="en situation de handicap", avoid_isolation=True),
        expected_version=0,
    )

    event = AuditEvent.objects.get(action="peer_preferences_save")
    assert "handicap" not in str(event.data)


# -- accept and leave ------------------------------------------------------------------------------


def test_a_proposed_member_accepts_the_published_group_and_its_meetings(organisation):
    group, _users = group_of(organisation)
    newcomer = member(Role.BENEFICIARY, organisation)
    PeerGroupMember.objects.create(group=group, user=newcomer, position=3)

    joined = services.peer_member_accept(actor=newcomer, group=group)

    assert joined.status == PeerGroupMember.Status.ACCEPTED and joined.accepted_at
    assert SeriesParticipant.objects.filter(series=group.series, user=newcomer).exists()
    with pytest.raises(ValidationError):
        services.peer_member_accept(actor=newcomer, group=group)
    with pytest.raises(PermissionDenied):
        services.peer_member_accept(actor=member(Role.BENEFICIARY, organisation), group=group)


def test_a_member_who_leaves_leaves_the_meetings_and_the_coordination_is_told(organisation):
    coordinator = member(Role.COORDINATOR, organisation)
    group, users = group_of(organisation, size=4, coordinator=coordinator)
    leaver = users[0]

    left = services.peer_member_leave(actor=leaver, group=group, reason="Je reprends un emploi.")

    assert left.status == PeerGroupMember.Status.LEFT and left.left_at
    assert not SeriesParticipant.objects.filter(series=group.series, user=leaver).exists()
    assert not PeerGroup.objects.visible_to(leaver).exists()
    repairs = Notification.objects.filter(
        kind=PeerNotice.PEER_REPAIR_PROPOSED, recipient=coordinator
    )
    assert {n.channel for n in repairs} == {Channel.IN_APP, Channel.EMAIL}
    in_app = repairs.get(channel=Channel.IN_APP)
    assert in_app.url == "/groupes/coordination/" and "Je reprends un emploi." in in_app.body
    told = Notification.objects.filter(kind=PeerNotice.PEER_GROUP_CHANGED)
    assert {n.recipient_id for n in told} == {user.pk for user in users[1:]}
    assert all(leaver.last_name not in n.subject + n.body for n in told)
    assert all("Je reprends" not in n.body for n in told)


def test_someone_who_left_cannot_leave_again(organisation):
    group, users = group_of(organisation)
    services.peer_member_leave(actor=users[0], group=group)

    with pytest.raises(PermissionDenied):
        services.peer_member_leave(actor=users[0], group=group)


# -- the charter -----------------------------------------------------------------------------------


def charter_data(**fields) -> services.CharterData:
    values = {**services.charter_defaults(), "shared_goals": "Avancer chacun·e sur son projet."}
    values.update(fields)
    return services.CharterData(**values)


def test_the_charter_proposes_reciprocity_and_twice_a_month():
    defaults = services.charter_defaults()

    assert defaults["meetings_per_month"] == 2 and defaults["rotating_facilitator"]
    assert defaults["reciprocity"] == "Chacun·e est prêt·e à donner autant qu'à recevoir."


def test_a_change_to_the_charter_clears_the_agreements(organisation):
    group, users = group_of(organisation)
    charter, cleared = services.charter_save(
        actor=users[0], group=group, data=charter_data(), expected_version=0
    )
    services.charter_agree(actor=users[0], group=group, expected_version=charter.version)
    services.charter_agree(actor=users[1], group=group, expected_version=charter.version)

    unchanged, cleared_unchanged = services.charter_save(
        actor=users[2], group=group, data=charter_data(), expected_version=charter.version
    )
    changed, cleared_changed = services.charter_save(
        actor=users[2],
        group=group,
        data=charter_data(meetings_per_month=1),
        expected_version=charter.version,
    )

    assert not cleared and not cleared_unchanged and unchanged.version == 1
    assert cleared_changed and changed.version == 2
    assert not CharterAgreement.objects.filter(charter=charter).exists()


def test_a_stale_charter_is_refused_and_an_agreement_needs_the_version_read(organisation):
    group, users = group_of(organisation)
    services.charter_save(actor=users[0], group=group, data=charter_data(), expected_version=0)
    services.charter_save(
        actor=users[1],
        group=group,
        data=charter_data(shared_goals="Autre chose"),
        expected_version=1,
    )

    with pytest.raises(services.StaleVersion):
        services.charter_save(actor=users[2], group=group, data=charter_data(), expected_version=1)
    with pytest.raises(ValidationError):
        services.charter_agree(actor=users[2], group=group, expected_version=1)
    agreement = services.charter_agree(actor=users[2], group=group, expected_version=2)
    assert agreement.version == 2


def test_only_accepted_members_write_or_agree(organisation):
    group, users = group_of(organisation)
    proposed = member(Role.BENEFICIARY, organisation)
    PeerGroupMember.objects.create(group=group, user=proposed, position=3)
    services.charter_save(actor=users[0], group=group, data=charter_data(), expected_version=0)

    with pytest.raises(PermissionDenied):
        services.charter_agree(actor=proposed, group=group, expected_version=1)

    with pytest.raises(PermissionDenied):
        services.charter_save(actor=proposed, group=group, data=charter_data(), expected_version=1)
    with pytest.raises(PermissionDenied):
        services.charter_save(
            actor=member(Role.COORDINATOR, organisation),
            group=group,
            data=charter_data(),
            expected_version=1,
        )


# -- preparing a meeting ---------------------------------------------------------------------------


def test_a_check_in_puts_each_point_on_the_agenda(organisation):
    group, users = group_of(organisation)
    occurrence = next_occurrence(group)

    items = services.meeting_checkin(
        actor=users[1],
        group=group,
        occurrence=occurrence,
        data=services.CheckInData(success="Un entretien décroché", question="Comment relancer ?"),
    )

    assert [(item.kind, item.author_id) for item in items] == [
        (AgendaItem.Kind.SUCCESS, users[1].pk),
        (AgendaItem.Kind.QUESTION, users[1].pk),
    ]
    assert occurrence.agenda.count() == 2


@pytest.mark.parametrize("case", ["empty", "cancelled", "past", "other_series"])
def test_a_check_in_needs_a_point_and_a_meeting_to_come_of_the_group(organisation, case):
    group, users = group_of(organisation)
    occurrence = next_occurrence(group)
    data = services.CheckInData(blocker="Je bloque sur mon CV")
    if case == "empty":
        data = services.CheckInData(success="  ")
    elif case == "cancelled":
        occurrence = meetings.occurrence_cancel(
            actor=group.series.participants.get(role="organiser").user, occurrence=occurrence
        )
    elif case == "past":
        Occurrence.objects.filter(pk=occurrence.pk).update(
            start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
        )
        occurrence.refresh_from_db()
    else:
        other, _users = group_of(organisation, name="Autre")
        occurrence = next_occurrence(other)

    with pytest.raises(ValidationError):
        services.meeting_checkin(actor=users[0], group=group, occurrence=occurrence, data=data)
    assert not AgendaItem.objects.filter(author=users[0]).exists()


def test_members_facilitate_in_turn_one_per_scheduled_meeting(organisation):
    group, users = group_of(organisation)
    occurrences = list(Occurrence.objects.filter(series=group.series).order_by("start", "pk")[:5])
    assert len(occurrences) == 5
    meetings.occurrence_cancel(
        actor=group.series.participants.get(role="organiser").user, occurrence=occurrences[1]
    )

    turns = facilitators(group)

    kept = [o for i, o in enumerate(occurrences) if i != 1]
    assert [turns[o.pk].user_id for o in kept] == [
        users[0].pk,
        users[1].pk,
        users[2].pk,
        users[0].pk,
    ]
    assert occurrences[1].pk not in turns


def test_with_a_fixed_facilitator_the_first_member_leads_every_meeting(organisation):
    group, users = group_of(organisation)
    services.charter_save(
        actor=users[1],
        group=group,
        data=charter_data(rotating_facilitator=False),
        expected_version=0,
    )

    assert {member.user_id for member in facilitators(group).values()} == {users[0].pk}


# -- the reminder to check in ----------------------------------------------------------------------


def test_two_days_before_members_who_added_nothing_are_reminded_once(organisation):
    group, users = group_of(organisation)
    occurrence = next_occurrence(group)
    services.meeting_checkin(
        actor=users[0],
        group=group,
        occurrence=occurrence,
        data=services.CheckInData(success="Formation trouvée"),
    )
    too_early = occurrence.start - timedelta(days=3)
    now = occurrence.start - timedelta(days=1, hours=20)

    assert services.checkin_reminders_plan(now=too_early) == 0
    created = services.checkin_reminders_plan(now=now)
    again = services.checkin_reminders_plan(now=now + timedelta(hours=1))

    reminders = Notification.objects.filter(kind=PeerNotice.PEER_CHECKIN_REMINDER)
    assert created == 4 and again == 0
    assert {n.recipient_id for n in reminders} == {users[1].pk, users[2].pk}
    assert all(n.occurrence_id == occurrence.pk for n in reminders)
    assert reminders.first().url == f"/groupes/{group.pk}/rencontres/{occurrence.pk}/preparer/"


def test_no_reminder_for_someone_who_left(organisation):
    group, users = group_of(organisation)
    occurrence = next_occurrence(group)
    services.peer_member_leave(actor=users[2], group=group)

    services.checkin_reminders_plan(now=occurrence.start - timedelta(days=1))

    reminded = set(
        Notification.objects.filter(kind=PeerNotice.PEER_CHECKIN_REMINDER).values_list(
            "recipient_id", flat=True
        )
    )
    assert reminded == {users[0].pk, users[1].pk}


def test_the_daily_task_reports_its_reminders(organisation):
    from tisser.peers.tasks import peers_meetings_prepare_remind

    result = peers_meetings_prepare_remind.enqueue()

    assert result.return_value == {"reminded": 0}
