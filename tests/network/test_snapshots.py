from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from tests.factories import member
from tests.network.network_rows import add_contact, add_interview, moment
from tisser.core.enums import Role
from tisser.network import services
from tisser.network.models import Contact, NetworkSnapshot, Stage
from tisser.network.services import snapshots
from tisser.network.snapshot_tasks import network_snapshots_take

MONDAY = date(2026, 3, 9)
WEDNESDAY = MONDAY + timedelta(days=2)
LAST_MONDAY = MONDAY - timedelta(weeks=1)


@pytest.fixture
def owner(db):
    return member(Role.BENEFICIARY)


def figures(snapshot):
    return (snapshot.contacts, snapshot.interviews_done, snapshot.referrals, snapshot.sectors)


def test_taking_a_snapshot_twice_keeps_one_row_with_the_latest_figures(owner):
    # given a contact on Monday
    anne = add_contact(owner, MONDAY, "Anne", sector="Santé")

    # when the week is taken on Monday evening, then again on Wednesday after a referral
    first = services.network_snapshot_take(owner=owner, week=MONDAY, now=moment(MONDAY, 20))
    add_contact(owner, WEDNESDAY, "Bruno", introduced_by=anne, sector="Banque")
    second = services.network_snapshot_take(owner=owner, week=WEDNESDAY, now=moment(WEDNESDAY, 20))

    # then one row for the week, under its Monday, with Wednesday's figures
    assert first.pk == second.pk
    assert NetworkSnapshot.objects.get().week == MONDAY
    assert figures(NetworkSnapshot.objects.get()) == (2, 0, 1, 2)


def test_a_past_week_is_measured_as_of_its_end(owner):
    add_contact(owner, LAST_MONDAY, "Anne")
    add_contact(owner, MONDAY, "Bruno")

    snapshot = services.network_snapshot_take(owner=owner, week=LAST_MONDAY, now=moment(WEDNESDAY))

    assert snapshot.contacts == 1


def test_a_week_not_started_yet_is_refused(owner):
    with pytest.raises(ValueError):
        services.network_snapshot_take(
            owner=owner, week=MONDAY + timedelta(weeks=1), now=moment(WEDNESDAY)
        )


def test_the_refresh_covers_every_beneficiary_with_a_contact_and_is_idempotent(db):
    # given two beneficiaries with contacts (one since last week), one without
    recent, older, empty = (member(Role.BENEFICIARY) for _ in range(3))
    add_contact(recent, MONDAY)
    contact = add_contact(older, LAST_MONDAY)
    add_interview(contact, [(Stage.INTERVIEW_DONE, MONDAY)])

    # when the refresh runs twice on Wednesday
    first = services.network_snapshots_refresh(now=moment(WEDNESDAY))
    second = services.network_snapshots_refresh(now=moment(WEDNESDAY, 18))

    # then this week for both, and last week for the older network, fixed once and for all
    assert (first, second) == (3, 2)
    rows = {(s.owner_id, s.week): figures(s) for s in NetworkSnapshot.objects.all()}
    assert rows == {
        (recent.pk, MONDAY): (1, 0, 0, 0),
        (older.pk, LAST_MONDAY): (1, 0, 0, 0),
        (older.pk, MONDAY): (1, 1, 0, 0),
    }
    assert not NetworkSnapshot.objects.filter(owner=empty).exists()


def test_last_week_taken_before_it_ended_is_fixed_by_the_next_run(owner):
    # given last week taken on its Wednesday, and a contact added on its Sunday
    add_contact(owner, LAST_MONDAY, "Anne")
    services.network_snapshot_take(
        owner=owner, week=LAST_MONDAY, now=moment(LAST_MONDAY + timedelta(days=2))
    )
    add_contact(owner, MONDAY - timedelta(days=1), "Bruno")

    # when the refresh runs on Monday
    services.network_snapshots_refresh(now=moment(MONDAY, 1))

    # then last week counts Sunday's contact
    assert NetworkSnapshot.objects.get(week=LAST_MONDAY).contacts == 2


def test_a_network_emptied_while_the_refresh_runs_is_skipped(db, monkeypatch):
    # given two beneficiaries with a contact, the first deleting hers once the refresh has
    # listed whom to measure
    gone, kept = member(Role.BENEFICIARY), member(Role.BENEFICIARY)
    add_contact(gone, MONDAY)
    add_contact(kept, MONDAY)
    read_histories = snapshots.network_histories

    def deleted_meanwhile(owner_ids):
        Contact.objects.filter(owner=gone).delete()
        return read_histories(owner_ids)

    monkeypatch.setattr(snapshots, "network_histories", deleted_meanwhile)

    # when the refresh runs
    written = services.network_snapshots_refresh(now=moment(WEDNESDAY))

    # then the other networks are still measured, the emptied one is left out
    assert written == 1
    assert list(NetworkSnapshot.objects.values_list("owner_id", flat=True)) == [kept.pk]


def test_a_former_beneficiary_is_not_refreshed(owner):
    add_contact(owner, MONDAY)
    owner.memberships.update(is_active=False)

    assert services.network_snapshots_refresh(now=moment(WEDNESDAY)) == 0


def test_the_daily_task_takes_the_current_week(owner):
    add_contact(owner, MONDAY)

    with freeze_time(moment(WEDNESDAY)):
        result = network_snapshots_take.enqueue()

    assert result.return_value == 1
    assert NetworkSnapshot.objects.get(owner=owner).week == MONDAY


def test_the_refresh_reads_each_network_in_a_few_queries(db, django_assert_max_num_queries):
    owners = [member(Role.BENEFICIARY) for _ in range(3)]
    for owner in owners:
        for i in range(5):
            add_contact(owner, MONDAY, f"N{i}")

    # 2 to list the networks, then per network 3 reads and one upsert (savepoints, lock,
    # insert, stamp): a constant per network, whatever its size
    with django_assert_max_num_queries(2 + 3 * (3 + 7)):
        services.network_snapshots_refresh(now=moment(WEDNESDAY))
