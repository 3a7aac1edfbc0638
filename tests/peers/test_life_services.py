"""Commitments, check-ins and help: who may write, the limits, the versions, the activity."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.audit import AuditEvent
from tisser.core.enums import Role
from tisser.peers import services
from tisser.peers.models import Commitment, HelpKind, PeerGroup, PeerGroupMember, Rhythm
from tisser.peers.stats import help_balance


@pytest.fixture
def trio(organisation):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    return peer_group(organisation, users), users


def test_a_member_commits_for_the_current_period_of_the_group(trio):
    group, (ana, *_rest) = trio
    PeerGroup.objects.filter(pk=group.pk).update(rhythm=Rhythm.MONTHLY, last_activity_at=None)
    group.refresh_from_db()
    today = timezone.localdate()

    commitment = services.commitment_add(actor=ana, group=group, text="  Appeler deux libraires ")

    assert commitment.text == "Appeler deux libraires"
    assert commitment.period_start == today.replace(day=1)
    assert commitment.period_end.month == today.month
    assert (commitment.period_end + timedelta(days=1)).day == 1
    group.refresh_from_db()
    assert group.last_activity_at is not None
    assert AuditEvent.objects.filter(action="peers.commitment_add").exists()


def test_a_fourth_commitment_in_a_period_is_refused(trio):
    group, (ana, bea, _c) = trio
    for n in range(3):
        services.commitment_add(actor=ana, group=group, text=f"Action {n}")
    services.commitment_add(actor=bea, group=group, text="Une autre personne")

    with pytest.raises(ValidationError) as error:
        services.commitment_add(actor=ana, group=group, text="Une de trop")

    assert "maximum" in error.value.message_dict["text"][0]
    assert Commitment.objects.filter(user=ana).count() == 3


def test_next_period_the_counter_starts_again(trio):
    group, (ana, *_rest) = trio
    today = timezone.localdate()
    for n in range(3):
        services.commitment_add(actor=ana, group=group, text=f"Action {n}", today=today)

    services.commitment_add(
        actor=ana, group=group, text="Semaine suivante", today=today + timedelta(days=7)
    )

    assert Commitment.objects.filter(user=ana).count() == 4


@pytest.mark.parametrize("who", ["left", "outsider", "coordinator"])
def test_only_current_members_commit(organisation, trio, who):
    group, (ana, *_rest) = trio
    if who == "left":
        PeerGroupMember.objects.filter(group=group, user=ana).update(
            status=PeerGroupMember.Status.LEFT
        )
        actor = ana
    elif who == "outsider":
        actor = member(Role.BENEFICIARY, organisation)
    else:
        actor = member(Role.COORDINATOR, organisation)

    with pytest.raises(PermissionDenied):
        services.commitment_add(actor=actor, group=group, text="Entrer quand même")


def test_an_ended_group_takes_no_more_commitments(trio):
    group, (ana, *_rest) = trio
    PeerGroup.objects.filter(pk=group.pk).update(status=PeerGroup.Status.ENDED)
    group.refresh_from_db()

    with pytest.raises(ValidationError):
        services.commitment_add(actor=ana, group=group, text="Trop tard")


def test_editing_checks_the_version_and_the_owner(trio):
    group, (ana, bea, _c) = trio
    commitment = services.commitment_add(actor=ana, group=group, text="Relire mon CV")
    services.commitment_update(
        actor=ana, commitment=commitment, text="Relire mon CV avec Béa", expected_version=1
    )

    with pytest.raises(services.StaleVersion) as stale:
        services.commitment_update(
            actor=ana, commitment=commitment, text="Version d'un autre onglet", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.commitment_update(actor=bea, commitment=commitment, text="!", expected_version=2)

    assert stale.value.current.text == "Relire mon CV avec Béa"
    commitment.refresh_from_db()
    assert (commitment.text, commitment.version) == ("Relire mon CV avec Béa", 2)


def test_a_check_in_happens_once_and_closes_the_edits(trio):
    group, (ana, bea, _c) = trio
    commitment = services.commitment_add(actor=ana, group=group, text="Deux candidatures")

    with pytest.raises(PermissionDenied):
        services.commitment_check_in(actor=bea, commitment=commitment, outcome="done")
    checked = services.commitment_check_in(
        actor=ana, commitment=commitment, outcome="partial", comment=" Une seule envoyée "
    )
    with pytest.raises(ValidationError):
        services.commitment_check_in(actor=ana, commitment=commitment, outcome="done")
    with pytest.raises(ValidationError):
        services.commitment_update(
            actor=ana, commitment=commitment, text="Changer après coup", expected_version=2
        )

    assert (checked.outcome, checked.comment) == ("partial", "Une seule envoyée")
    assert checked.checked_in_at is not None


def test_no_check_in_before_the_period_starts(trio):
    group, (ana, *_rest) = trio
    commitment = services.commitment_add(
        actor=ana, group=group, text="Plus tard", today=timezone.localdate() + timedelta(days=14)
    )

    with pytest.raises(ValidationError):
        services.commitment_check_in(actor=ana, commitment=commitment, outcome="done")


def test_help_is_recorded_either_way_and_only_between_members(organisation, trio):
    group, (ana, bea, cleo) = trio
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=None)

    services.contribution_record(
        actor=ana, group=group, other=bea, gave=True, kind=HelpKind.FEEDBACK
    )
    services.contribution_record(
        actor=ana,
        group=group,
        other=cleo,
        gave=False,
        kind=HelpKind.INTRODUCTION,
        description="Un contact",
    )
    with pytest.raises(PermissionDenied):
        services.contribution_record(
            actor=ana,
            group=group,
            other=member(Role.BENEFICIARY, organisation),
            gave=True,
            kind=HelpKind.TIME,
        )
    with pytest.raises(ValidationError):
        services.contribution_record(actor=ana, group=group, other=ana, gave=True, kind="time")

    mine, bea_balance = help_balance(ana, group), help_balance(bea, group)
    assert (mine.given, mine.received) == (1, 1)
    assert {line.kind: (line.given, line.received) for line in mine.lines}[
        HelpKind.INTRODUCTION
    ] == (0, 1)
    assert (bea_balance.given, bea_balance.received) == (0, 1) and bea_balance.only_receives
    group.refresh_from_db()
    assert group.last_activity_at is not None
