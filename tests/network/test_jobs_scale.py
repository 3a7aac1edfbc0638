"""The network's daily jobs work for one organisation in a number of queries that does not
grow with its people (issue #16): 3 or 30 beneficiaries (12 on SQLite), the same count; and
the other organisations' rows are left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tests.job_scale import GROWN, queries
from tests.network.guides_helpers import contact
from tisser.accounts.models import Membership
from tisser.core.daily_jobs import batches_counted
from tisser.core.enums import Role
from tisser.network.models import ContactImport, InformationalInterview, NetworkSnapshot, Stage
from tisser.network.services import snapshots
from tisser.network.snapshot_tasks import network_snapshots_take
from tisser.network.tasks import contact_imports_prune_task, network_reminders_plan
from tisser.notifications.models import Notification

pytestmark = pytest.mark.django_db


def organisation_of(people: int):
    """An organisation whose `people` beneficiaries each have two contacts (one since last
    week) and an enquête waiting for an answer for eight days."""
    organisation = OrganisationFactory()
    now = timezone.now()
    for _ in range(people):
        person = member(Role.BENEFICIARY, organisation)
        first = contact(person, "Anne")
        contact(person, "Bruno", introduced_by=first)
        type(first).objects.filter(pk=first.pk).update(created_at=now - timedelta(days=9))
        InformationalInterview.objects.create(
            owner=person,
            contact=first,
            stage=Stage.MESSAGE_SENT,
            stage_changed_at=now - timedelta(days=8),
        )
        ContactImport.objects.create(owner=person, filename="a.csv", how_known="linkedin")
    return organisation


def test_the_snapshots_take_as_many_queries_for_3_people_as_for_more():
    small, grown = organisation_of(3), organisation_of(GROWN)

    assert queries(network_snapshots_take, small) == queries(network_snapshots_take, grown)
    # this week's and last week's, for each person of both organisations
    assert NetworkSnapshot.objects.count() == 2 * (3 + GROWN)
    assert set(NetworkSnapshot.objects.values_list("contacts", "referrals")) == {(1, 0), (2, 1)}


def test_the_snapshots_of_one_organisation_leave_the_others_alone():
    small, _other = organisation_of(3), organisation_of(4)

    assert network_snapshots_take.call(organisation_id=small.pk) == 6
    assert network_snapshots_take.call(organisation_id=small.pk) == 3  # last week is fixed
    assert NetworkSnapshot.objects.exclude(owner__memberships__organisation=small).count() == 0
    # without an organisation, each one in turn
    assert network_snapshots_take.call() == 3 + 8


def test_the_reminders_take_as_many_queries_for_3_people_as_for_more():
    small, grown = organisation_of(3), organisation_of(GROWN)

    assert queries(network_reminders_plan, small) == queries(network_reminders_plan, grown)
    # a follow-up, in the app and by e-mail, for each person
    assert Notification.objects.count() == 2 * (3 + GROWN)
    # planning again creates nothing, in as many queries whatever the size
    assert queries(network_reminders_plan, small) == queries(network_reminders_plan, grown)
    assert Notification.objects.count() == 2 * (3 + GROWN)


def test_the_reminders_of_one_organisation_leave_the_others_alone():
    small, _other = organisation_of(3), organisation_of(2)

    assert network_reminders_plan.call(organisation_id=small.pk) == 6
    assert network_reminders_plan.call() == 4


def test_the_imports_prune_takes_as_many_queries_for_3_people_as_for_more():
    small, grown = organisation_of(3), organisation_of(GROWN)

    with freeze_time(timezone.now() + timedelta(days=400)):
        assert queries(contact_imports_prune_task, small) == queries(
            contact_imports_prune_task, grown
        )
    assert ContactImport.objects.count() == 0


def test_the_imports_of_someone_who_left_every_organisation_are_pruned_too():
    # Walk finding: an import has no organisation of its own, and the daily run is per
    # organisation: the report of someone who belongs to none any more was kept for ever.
    organisation = organisation_of(1)
    gone = ContactImport.objects.get()
    Membership.objects.filter(user=gone.owner).delete()

    with freeze_time(timezone.now() + timedelta(days=400)):
        contact_imports_prune_task.call(organisation_id=organisation.pk)

    assert not ContactImport.objects.exists()


def test_the_snapshots_cost_the_same_for_each_batch(monkeypatch):
    # batches of 2 people: 2, 4 and 6 people are 1, 2 and 3 batches, each at the same cost
    monkeypatch.setattr(snapshots, "SNAPSHOT_CHUNK", 2)
    organisations = [organisation_of(count) for count in (2, 4, 6)]
    measured = []
    for organisation in organisations:
        with batches_counted() as batches:
            measured.append((queries(network_snapshots_take, organisation), batches()))

    assert [batches for _count, batches in measured] == [1, 2, 3]
    (one, _), (two, _), (three, _) = measured
    assert three - two == two - one
    assert NetworkSnapshot.objects.count() == 2 * 12
