import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.notifications_web.factories import NotificationFactory
from tisser.core.enums import Role
from tisser.notifications.models import Channel, Notification, NotificationPreference


def row(html: str, notification: Notification) -> str:
    match = re.search(rf'<li id="notification-{notification.pk}".*?</li>', html, re.S)
    assert match, f"no row for notification {notification.pk}"
    return match.group(0)


def badge_name(html: str) -> str:
    """The badge link's accessible name, near enough: its aria-label, or else its text."""
    if label := re.search(r'<a [^>]*aria-label="([^"]+)"', html):
        return label.group(1)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_list_shows_only_my_delivered_in_app_notifications(client, people):
    me = people["beneficiary"]
    unread = NotificationFactory(recipient=me, subject="Préparer la rencontre de jeudi")
    read = NotificationFactory(
        recipient=me, subject="Compte rendu à compléter", read_at=timezone.now()
    )
    NotificationFactory(recipient=me, channel=Channel.EMAIL, subject="Copie par e-mail")
    NotificationFactory(recipient=me, status=Notification.Status.PENDING, subject="Pas encore")
    NotificationFactory(recipient=people["mentor"], subject="Pour la mentore")
    client.force_login(me)

    html = client.get(reverse("notifications:list")).content.decode()

    assert "Préparer la rencontre de jeudi" in html
    assert "Compte rendu à compléter" in html
    for hidden in ("Copie par e-mail", "Pas encore", "Pour la mentore"):
        assert hidden not in html
    assert "1 notification non lue" in html
    # Unread is marked in words and in style, read is not.
    assert "Non lue" in row(html, unread)
    assert "notification-unread" in row(html, unread)
    assert "Non lue" not in row(html, read)
    assert "notification-unread" not in row(html, read)
    assert f'href="{unread.url}"' in row(html, unread)


def test_the_list_is_newest_first_and_paginated(client, people):
    me = people["beneficiary"]
    start = timezone.now()
    notifications = [
        NotificationFactory(recipient=me, scheduled_for=start - timezone.timedelta(minutes=i))
        for i in range(31)
    ]
    client.force_login(me)

    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list"), {"page": 2}).content.decode()

    assert first.count('class="notification ') == 30
    assert first.index(f'id="notification-{notifications[0].pk}"') < first.index(
        f'id="notification-{notifications[1].pk}"'
    )
    assert "Page 1 sur 2" in first
    assert second.count('class="notification ') == 1
    assert f'id="notification-{notifications[-1].pk}"' in second


def test_marking_read_with_htmx_returns_the_row_the_page_then_shows(client, people):
    me = people["beneficiary"]
    notification = NotificationFactory(recipient=me)
    NotificationFactory(recipient=me)
    client.force_login(me)

    response = client.post(
        reverse("notifications:read", args=[notification.pk]),
        {"page": "1"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    partial = response.content.decode()
    assert "notifications-changed" in response["HX-Trigger"]
    assert "notification-unread" not in row(partial, notification)
    assert "Non lue" not in row(partial, notification)
    # The page's unread summary is updated out of band.
    assert 'id="unread-summary" hx-swap-oob="innerHTML"' in partial
    assert "1 notification non lue" in partial
    page = client.get(reverse("notifications:list")).content.decode()
    assert row(page, notification) == row(partial, notification)


def test_marking_read_without_javascript_goes_back_to_the_same_page(client, people):
    notification = NotificationFactory(recipient=people["beneficiary"])
    client.force_login(people["beneficiary"])

    response = client.post(reverse("notifications:read", args=[notification.pk]), {"page": "2"})

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list") + "?page=2"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, people):
    theirs = NotificationFactory(recipient=people["mentor"])
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("notifications:read", args=[theirs.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read(client, people):
    me = people["beneficiary"]
    NotificationFactory.create_batch(3, recipient=me)
    theirs = NotificationFactory(recipient=people["mentor"])
    client.force_login(me)

    response = client.post(reverse("notifications:read_all"), follow=True)

    html = response.content.decode()
    assert "3 notifications marquées comme lues." in html
    assert "Aucune notification non lue." in html
    assert "Non lue" not in html
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_badge_counts_my_unread_notifications(client, people):
    me = people["beneficiary"]
    NotificationFactory.create_batch(3, recipient=me)
    NotificationFactory(recipient=me, read_at=timezone.now())
    NotificationFactory(recipient=people["mentor"])
    client.force_login(me)

    html = client.get(reverse("notifications:badge")).content.decode()

    assert badge_name(html) == "Notifications, 3 non lues"
    assert f'href="{reverse("notifications:list")}"' in html
    assert 'hx-trigger="every 60s' in html
    assert 'hx-swap="outerHTML"' in html
    assert "aria-live" not in html and 'role="status"' not in html


def test_the_badge_stops_polling_once_signed_out(client, db):
    response = client.get(reverse("notifications:badge"))

    assert response.status_code == 286
    assert response.content == b""


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({}, "Notifications"),
        ({"unread_notifications_count": 0}, "Notifications"),
        ({"unread_notifications_count": lambda: 1}, "Notifications, 1 non lue"),
    ],
)
def test_the_badge_works_included_with_or_without_the_context_processor(db, context, expected):
    html = render_to_string("www/notifications/_badge.html", context)

    assert badge_name(html) == expected
    assert "INVALID" not in html


def test_preferences_keep_the_input_when_refused_then_save(client, people):
    me = people["beneficiary"]
    client.force_login(me)
    url = reverse("notifications:preferences")
    html = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="email_reminders"[^>]* checked', html)

    refused = client.post(url, {"daily_digest": "on"}).content.decode()

    assert re.search(r'<input type="checkbox" name="daily_digest"[^>]* checked', refused)
    assert not re.search(r'<input type="checkbox" name="email_reminders"[^>]* checked', refused)
    assert 'id="id_daily_digest_error"' in refused
    assert 'aria-describedby="id_daily_digest_helptext id_daily_digest_error"' in refused
    assert "Le résumé quotidien est envoyé par e-mail" in refused
    assert not NotificationPreference.objects.filter(user=me).exists()

    response = client.post(url, {"email_reminders": "on", "daily_digest": "on"}, follow=True)

    assert "Vos préférences de notification sont enregistrées." in response.content.decode()
    preference = NotificationPreference.objects.get(user=me)
    assert (preference.email_reminders, preference.daily_digest) == (True, True)


def test_the_coordinator_sees_failures_of_their_organisation_without_content(client, people):
    NotificationFactory(
        recipient=people["beneficiary"],
        channel=Channel.EMAIL,
        status=Notification.Status.FAILED,
        attempts=5,
        subject="Sujet privé de la bénéficiaire",
        body="Contenu privé de la bénéficiaire",
        last_error="550 5.1.1 mailbox unavailable " + "x" * 400,
    )
    NotificationFactory(recipient=people["mentor"], channel=Channel.EMAIL)  # delivered
    elsewhere = member(Role.BENEFICIARY)
    NotificationFactory(recipient=elsewhere, status=Notification.Status.FAILED)
    client.force_login(people["coordinator"])

    html = client.get(reverse("coordinator:failures")).content.decode()

    assert people["beneficiary"].email in html
    assert people["beneficiary"].get_full_name() in html
    assert "550 5.1.1 mailbox unavailable" in html
    assert "x" * 200 not in html
    assert "Rappel de rencontre" in html and "E-mail" in html and "<td>5</td>" in html
    assert "privé de la bénéficiaire" not in html
    assert people["mentor"].email not in html
    assert elsewhere.email not in html


@pytest.mark.parametrize("role", ["beneficiary", "consultant", "mentor"])
def test_only_coordinators_see_failures(client, people, role):
    client.force_login(people[role])

    assert client.get(reverse("coordinator:failures")).status_code == 404


@pytest.mark.parametrize("n", [1, 25])
def test_the_list_does_not_query_per_notification(client, people, django_assert_max_num_queries, n):
    me = people["beneficiary"]
    NotificationFactory.create_batch(n, recipient=me)
    client.force_login(me)

    with django_assert_max_num_queries(10):
        html = client.get(reverse("notifications:list")).content.decode()

    assert html.count('class="notification ') == n
