""" "Compléter le compte rendu" is done, for every participant, once anyone saves the notes
(ADR 0024): it leaves the unread count of those who already received it."""

from datetime import timedelta

from tests.notifications.conftest import NOW
from tests.notifications.helpers import occurrence_create
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.meetings.reminders import reminders_plan
from tisser.meetings.services.writeup import occurrence_notes_save
from tisser.notifications.delivery import notifications_deliver_due
from tisser.notifications.inbox import unread_count
from tisser.notifications.models import Notification


def test_notes_saved_by_one_participant_are_done_for_all(group, people, clock):
    occurrence = occurrence_create(group, NOW - timedelta(hours=2))
    reminders_plan()
    clock.move_to(occurrence.end + timedelta(hours=1, minutes=1))
    notifications_deliver_due()
    reminders = Notification.objects.filter(kind=MeetingNotice.NOTES_REMINDER)
    assert reminders.count() == 6
    assert unread_count(user=people["beneficiary"]) == 1

    occurrence_notes_save(
        actor=people["mentor"],
        occurrence=occurrence,
        notes="Chacun contacte deux personnes de son réseau.",
        decisions="",
        expected_version=occurrence.version,
    )

    assert not reminders.filter(done_at__isnull=True).exists()
    assert unread_count(user=people["beneficiary"]) == 0
