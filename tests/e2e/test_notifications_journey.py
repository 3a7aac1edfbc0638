"""A beneficiary reads their notifications, marks one read without leaving the page, then
asks for a daily digest. Every page visited passes axe-core."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.e2e.test_invitation_journey import sign_in_as
from tests.factories import member
from tests.notifications_web.factories import NotificationFactory
from tisser.core.enums import Role
from tisser.notifications.models import NotificationPreference


def test_beneficiary_reads_notifications_and_chooses_a_daily_digest(
    page, live_server, transactional_db
):
    beneficiary = member(Role.BENEFICIARY, user__first_name="Zoé")
    now = timezone.now()
    newest, *_older = [
        NotificationFactory(
            recipient=beneficiary,
            subject=subject,
            scheduled_for=now - timedelta(hours=hours),
        )
        for hours, subject in [
            (1, "Préparez l'ordre du jour de jeudi"),
            (5, "Rencontre du groupe de pairs demain"),
            (30, "Compte rendu à compléter"),
        ]
    ]
    sign_in_as(page, live_server, beneficiary)

    page.goto("/notifications/")
    summary = page.locator("#unread-summary")
    assert summary.inner_text().strip() == "3 notifications non lues"
    assert page.locator(".notification-unread").count() == 3
    axe_check(page)

    row = page.locator(f"#notification-{newest.pk}")
    row.get_by_role("button", name=re.compile("^Marquer comme lue")).click()
    # htmx swaps the row in place: no reload, the tag is gone, the count drops, and focus
    # stays on the row (the "Lue" state takes the button's id).
    expect(page.locator(".notification-unread")).to_have_count(2)
    assert row.get_by_text("Non lue").count() == 0
    expect(row.get_by_text("Lue", exact=True)).to_be_visible()
    assert summary.inner_text().strip() == "2 notifications non lues"
    assert page.evaluate("document.activeElement.id") == f"notification-{newest.pk}-state"
    assert page.url.endswith("/notifications/")

    page.get_by_role("link", name="Préférences de notification").click()
    page.wait_for_url("**/notifications/preferences/")
    assert page.get_by_label("Recevoir les rappels par e-mail").is_checked()
    axe_check(page)

    page.get_by_label("Regrouper mes rappels en un e-mail quotidien").check()
    page.get_by_role("button", name="Enregistrer").click()
    message = page.get_by_role("status").inner_text()
    assert message.startswith("Vos préférences de notification sont enregistrées")
    assert page.get_by_label("Regrouper mes rappels en un e-mail quotidien").is_checked()
    axe_check(page)
    preference = NotificationPreference.objects.get(user=beneficiary)
    assert (preference.email_reminders, preference.daily_digest) == (True, True)
