"""Two mentees' requests accepted at the same moment for a mentor's last place, on the real
database: two threads, each with its own connection. One wins; the other gets
CapacityReached and nothing of it is written.

On PostgreSQL the mentor's row is locked (SELECT … FOR UPDATE). On SQLite the test runs on a
file database with the production options (WAL, IMMEDIATE transactions, busy timeout): the
in-memory test database is shared-cache, where a second writer fails at once instead of
waiting its turn as it does in production."""

import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tests.mentoring.helpers import mentor_profile
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.mentoring import services
from tisser.mentoring.models import Mentorship, MentorshipRequest
from tisser.mentoring.services import mentorships
from tisser.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_database(tmp_path):
    """On SQLite, move the test onto a file database like production's for its duration."""
    if connection.vendor != "sqlite":
        yield
        return
    # The threads' connections are built from the handler's settings, the main thread's
    # from its own copy: both are pointed at the file.
    dicts = [connection.settings_dict, connections.settings[connection.alias]]
    settings_dict = connection.settings_dict
    memory_name, options = settings_dict["NAME"], dict(settings_dict.get("OPTIONS", {}))
    # Keeps the in-memory database alive while no Django connection points at it.
    keeper = sqlite3.connect(memory_name, uri=True)
    path = tmp_path / "race.sqlite3"
    with sqlite3.connect(path) as copy:
        keeper.backup(copy)
    for each in dicts:
        each["NAME"] = str(path)
        each["OPTIONS"] = options | {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    # Only now: Django ignores closing a connection to an in-memory database.
    connection.close()
    try:
        yield
    finally:
        connection.close()
        for each in dicts:
            each["NAME"], each["OPTIONS"] = memory_name, options
        connection.connect()
        keeper.close()


def slow_room(monkeypatch):
    """Widen the window between counting the places and taking one: without the lock, both
    acceptances would see the last place free."""
    counted = mentorships.mentor_room

    def mentor_room(mentor):
        room = counted(mentor)
        time.sleep(0.3)
        return room

    monkeypatch.setattr(mentorships, "mentor_room", mentor_room)


def test_two_acceptances_for_the_last_place_one_wins_the_other_is_told(real_database, monkeypatch):
    # given a mentor with one place left and two pending requests
    organisation = OrganisationFactory()
    mentor = mentor_profile(organisation, capacity=2)
    services.mentorship_start(
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=mentor,
        origin=Mentorship.Origin.ROUND,
        by=member(Role.COORDINATOR, organisation),
    )
    now = timezone.now()
    requests = [
        MentorshipRequest.objects.create(
            organisation=organisation,
            mentee=member(Role.BENEFICIARY, organisation),
            mentor=mentor,
            message="Bonjour",
            sent_at=now,
            respond_by=now + timedelta(days=7),
        )
        for _ in range(2)
    ]
    audited = AuditEvent.objects.count()
    slow_room(monkeypatch)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def accept(item: MentorshipRequest) -> None:
        try:
            barrier.wait(timeout=10)
            services.mentorship_request_accept(mentorship_request=item, by=mentor.user)
            outcomes[item.pk] = "accepted"
        except services.CapacityReached:
            outcomes[item.pk] = "capacity"
        except Exception as error:  # shown by the assertion below
            outcomes[item.pk] = repr(error)
        finally:
            connections.close_all()

    # when both are accepted at the same moment, each through its own connection
    threads = [threading.Thread(target=accept, args=(item,)) for item in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one wins, the other is told the place is gone
    assert sorted(outcomes.values()) == ["accepted", "capacity"], outcomes
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "accepted")
    loser = next(pk for pk, outcome in outcomes.items() if outcome == "capacity")
    # and nothing extra is written: one more mentorship, the loser's request still pending
    assert Mentorship.objects.filter(mentor=mentor, status=Mentorship.Status.ACTIVE).count() == 2
    assert Mentorship.objects.get(request_id=winner).mentee_id == next(
        item.mentee_id for item in requests if item.pk == winner
    )
    assert not Mentorship.objects.filter(request_id=loser).exists()
    statuses = dict(MentorshipRequest.objects.values_list("pk", "status"))
    assert statuses == {winner: "accepted", loser: "pending"}
    assert AuditEvent.objects.count() == audited + 2  # the mentorship and the acceptance
    loser_mentee = next(item.mentee for item in requests if item.pk == loser)
    assert not Notification.objects.filter(recipient=loser_mentee).exists()
