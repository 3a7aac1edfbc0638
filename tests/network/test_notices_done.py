"""An enquête's reminder is done once its next step is taken (ADR 0024), and its text elides
the contact's name ("de" / "d'")."""

from datetime import timedelta

from freezegun import freeze_time

from tests.network.guides_helpers import interview
from tests.network.test_reminders import START, plan_at
from tisser.network import services
from tisser.network.models import Stage
from tisser.network.notice_kinds import NetworkNotice
from tisser.notifications.models import Notification


def test_following_up_marks_the_follow_up_reminder_done(people):
    owner = people["beneficiary"]
    sent = interview(owner, stage=Stage.MESSAGE_SENT, at=START)
    sent.contact.first_name = "Éric"
    sent.contact.save()
    plan_at(START + timedelta(days=7, hours=1))
    reminders = Notification.objects.filter(kind=NetworkNotice.NETWORK_FOLLOW_UP)
    assert reminders.count() == 2
    in_app = reminders.get(channel="in_app")
    assert in_app.subject.startswith("Pas encore de réponse d'Éric ")

    with freeze_time(START + timedelta(days=7, hours=2)):
        services.interview_advance(actor=owner, interview=sent, to_stage=Stage.FOLLOWED_UP)

    assert all(n.done_at is not None for n in reminders.all())
