"""The one way a page asks before an action that cannot be undone (tisser/www/confirmation.py):
the first post answers with a page saying what will happen; only the confirmed post acts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import advance_to, open_bilan
from tests.bilans.synthesis_helpers import validated_synthesis
from tisser.bilans import services as bilans
from tisser.bilans.models import Achievement, Phase
from tisser.meetings import services as meetings
from tisser.meetings.models import MeetingKind, Occurrence


@pytest.fixture
def bilan(people):
    return open_bilan(people["consultant"], people["beneficiary"])


def test_a_deletion_is_asked_then_done_only_when_confirmed(client, bilan, people):
    beneficiary = people["beneficiary"]
    achievement = bilans.achievement_create(
        actor=beneficiary,
        bilan=bilan,
        title="Le festival",
        situation="Une équipe à monter.",
        action="J'ai recruté.",
        result="Mille personnes.",
    )
    client.force_login(beneficiary)
    url = reverse("bilans:achievement_delete", args=[bilan.pk, achievement.pk])

    asked = client.post(url, {"next": "https://ailleurs.example/"})

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "<h1>Supprimer la réussite « Le festival » ?</h1>" in page
    assert 'name="confirmed" value="oui"' in page
    # The way back never leaves the site, whatever `next` says.
    assert "ailleurs.example\\" not in page and 'href="https://ailleurs' not in page
    assert f'href="{reverse("bilans:achievements", args=[bilan.pk])}"' in page
    assert Achievement.objects.filter(pk=achievement.pk).exists()

    done = client.post(url, {"confirmed": "oui"})

    assert done.status_code == 302
    assert not Achievement.objects.filter(pk=achievement.pk).exists()


def a_series(people, organisation, count=3):
    return meetings.series_create(
        organiser=people["consultant"],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Atelier CV",
        participants=[people["beneficiary"]],
        first_start=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        rrule=f"FREQ=WEEKLY;COUNT={count}",
        mode="phone",
        location="01 23 45 67 89",
    )


def test_cancelling_a_meeting_is_asked_first(client, people, organisation):
    series = a_series(people, organisation)
    occurrence = series.occurrences.order_by("start").first()
    client.force_login(people["consultant"])
    url = reverse("meetings:occurrence_cancel", args=[occurrence.pk])

    page = client.post(url).content.decode()

    assert "Annuler la rencontre « Atelier CV » du" in page
    assert "Oui, annuler la rencontre" in page
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.SCHEDULED

    client.post(url, {"confirmed": "oui"})
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.CANCELLED


def test_a_participant_who_does_not_organise_is_not_asked_but_refused(client, people, organisation):
    series = a_series(people, organisation)
    occurrence = series.occurrences.order_by("start").first()
    client.force_login(people["beneficiary"])

    response = client.post(reverse("meetings:occurrence_cancel", args=[occurrence.pk]))

    assert response.status_code in (403, 404)
    assert "Oui, annuler" not in response.content.decode()


def test_ending_a_series_is_asked_first(client, people, organisation):
    series = a_series(people, organisation)
    client.force_login(people["consultant"])
    url = reverse("meetings:series_end", args=[series.pk])

    assert "Terminer la série « Atelier CV » ?" in client.post(url).content.decode()
    series.refresh_from_db()
    assert series.ended_at is None

    client.post(url, {"confirmed": "oui"})
    series.refresh_from_db()
    assert series.ended_at is not None


def test_closing_a_bilan_is_asked_first_and_carries_the_options(client, people, bilan):
    bilan = advance_to(bilan, Phase.CONCLUSION)
    validated_synthesis(bilan)
    bilan.refresh_from_db()
    client.force_login(people["consultant"])
    url = reverse("bilans:phase_advance", args=[bilan.pk])
    data = {"to_phase": Phase.CLOSED, "version": bilan.version, "cancel_sessions": "on"}

    page = client.post(url, data).content.decode()

    assert "<h1>Terminer ce bilan ?</h1>" in page
    assert "Les entretiens à venir sont annulés" in page
    assert 'name="cancel_sessions" value="on"' in page
    assert f'name="version" value="{bilan.version}"' in page
    bilan.refresh_from_db()
    assert bilan.status == Phase.CONCLUSION

    client.post(url, {**data, "confirmed": "oui"})
    bilan.refresh_from_db()
    assert bilan.status == Phase.CLOSED
