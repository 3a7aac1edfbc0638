import factory
from django.utils import timezone

from tests.factories import UserFactory
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.notifications.models import Channel, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """A delivered in-app notification, unread."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    channel = Channel.IN_APP
    kind = MeetingNotice.MEETING_REMINDER
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    subject = factory.Sequence(lambda n: f"Rencontre n° {n} demain")
    body = "Votre rencontre a lieu demain à 14 h."
    url = "/rencontres/"
    scheduled_for = factory.LazyFunction(timezone.now)
    status = Notification.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
