import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tests.factories import UserFactory
from tests.notifications_web.factories import NotificationFactory
from tisser.notifications.context_processors import unread_notifications
from tisser.notifications.inbox import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_update,
    unread_count,
)
from tisser.notifications.models import Channel, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_marking_read_is_idempotent_and_keeps_the_first_time():
    notification = NotificationFactory()

    first = notification_mark_read(user=notification.recipient, notification=notification)
    read_at = first.read_at
    again = notification_mark_read(
        user=notification.recipient, notification=Notification.objects.get(pk=notification.pk)
    )

    assert read_at is not None
    assert again.read_at == read_at
    assert Notification.objects.get(pk=notification.pk).read_at == read_at


def test_a_stale_copy_picks_up_the_first_read_time():
    notification = NotificationFactory()
    stale = Notification.objects.get(pk=notification.pk)
    notification_mark_read(user=notification.recipient, notification=notification)

    result = notification_mark_read(user=stale.recipient, notification=stale)

    assert result.read_at == notification.read_at


def test_only_the_recipient_may_mark_a_notification_read():
    notification = NotificationFactory()

    with pytest.raises(PermissionDenied):
        notification_mark_read(user=UserFactory(), notification=notification)

    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read_touches_only_my_delivered_in_app_notifications():
    me = UserFactory()
    NotificationFactory.create_batch(3, recipient=me)
    email = NotificationFactory(recipient=me, channel=Channel.EMAIL)
    pending = NotificationFactory(recipient=me, status=Notification.Status.PENDING)
    someone_elses = NotificationFactory()

    assert notifications_mark_all_read(user=me) == 3
    assert notifications_mark_all_read(user=me) == 0

    assert unread_count(user=me) == 0
    for untouched in (email, pending, someone_elses):
        assert Notification.objects.get(pk=untouched.pk).read_at is None


def test_preferences_are_created_then_updated():
    user = UserFactory()

    created = preference_update(user=user, email_reminders=True, daily_digest=True)
    updated = preference_update(user=user, email_reminders=False, daily_digest=False)

    assert created.pk == updated.pk
    assert (created.email_reminders, created.daily_digest) == (True, True)
    stored = NotificationPreference.objects.get(user=user)
    assert (stored.email_reminders, stored.daily_digest) == (False, False)


def test_the_context_processor_counts_lazily_once(django_assert_num_queries):
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory(recipient=me, channel=Channel.EMAIL)
    request = RequestFactory().get("/")
    request.user = me

    with django_assert_num_queries(0):
        count = unread_notifications(request)["unread_notifications_count"]
    with django_assert_num_queries(1):
        assert count() == 2
        assert count() == 2


def test_the_context_processor_makes_no_query_for_anonymous(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert unread_notifications(request) == {"unread_notifications_count": 0}
