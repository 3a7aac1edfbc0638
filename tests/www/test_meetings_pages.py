from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tisser.meetings import services
from tisser.meetings.models import AgendaItem, MeetingKind, MeetingMode


def plan(people, organisation, count=4, hours_later=0):
    return services.series_create(
        organiser=people["consultant"],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Entretiens",
        participants=[people["beneficiary"]],
        first_start=timezone.now() + timedelta(days=1, hours=hours_later),
        duration_minutes=60,
        rrule=f"FREQ=WEEKLY;COUNT={count}",
        mode=MeetingMode.PHONE,
        location="01 23 45 67 89",
    )


@pytest.mark.parametrize("n", [1, 6])
def test_meeting_list_does_not_query_per_series(
    client, people, organisation, django_assert_max_num_queries, n
):
    for i in range(n):
        # One after the other: the consultant is not in two meetings at once (ADR 0022).
        plan(people, organisation, hours_later=i)
    client.force_login(people["beneficiary"])

    with django_assert_max_num_queries(14):
        response = client.get(reverse("meetings:list"))

    assert response.content.decode().count("Entretiens</a>") == n


@pytest.mark.parametrize("n", [1, 8])
def test_occurrence_page_does_not_query_per_agenda_item(
    client, people, organisation, django_assert_max_num_queries, n
):
    occurrence = plan(people, organisation).occurrences.first()
    for i in range(n):
        services.agenda_item_add(
            actor=people["beneficiary"],
            occurrence=occurrence,
            kind=AgendaItem.Kind.QUESTION,
            text=f"Question {i}",
        )
    client.force_login(people["beneficiary"])

    with django_assert_max_num_queries(22):
        response = client.get(reverse("meetings:occurrence", args=[occurrence.pk]))

    assert response.content.decode().count('class="tag tag-question"') == n


def test_coordinator_sees_dates_but_not_the_agenda_or_notes(client, people, organisation):
    occurrence = plan(people, organisation).occurrences.first()
    services.agenda_item_add(
        actor=people["beneficiary"],
        occurrence=occurrence,
        kind=AgendaItem.Kind.BLOCKER,
        text="Un sujet personnel",
    )
    client.force_login(people["coordinator"])

    html = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()

    assert "Entretiens" in html
    assert "Un sujet personnel" not in html
    assert "Compte rendu" not in html


def test_notes_conflict_keeps_what_was_typed(client, people, organisation):
    occurrence = plan(people, organisation).occurrences.first()
    version_read_by_camille = occurrence.version
    services.occurrence_notes_save(
        actor=people["consultant"],
        occurrence=occurrence,
        notes="Version de Claire",
        decisions="",
        expected_version=occurrence.version,
    )
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("meetings:notes_save", args=[occurrence.pk]),
        {
            "notes-notes": "Ma version",
            "notes-decisions": "",
            "notes-version": version_read_by_camille,
        },
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Ma version" in html
    assert "Version de Claire" in html
    occurrence.refresh_from_db()
    assert occurrence.notes == "Version de Claire"


def test_feed_address_is_shown_once_and_serves_the_calendar(client, people, organisation):
    plan(people, organisation)
    client.force_login(people["beneficiary"])

    html = client.post(reverse("meetings:feed"), {"action": "regenerate"}).content.decode()
    token = html.split("/rencontres/calendrier/")[1].split(".ics")[0]
    client.logout()
    feed = client.get(reverse("meetings:feed_ics", args=[token]))

    assert feed.status_code == 200
    assert b"BEGIN:VCALENDAR" in feed.content
    assert feed.content.count(b"BEGIN:VEVENT") == 4


def test_a_meeting_on_the_first_of_the_month_reads_1er(client, people, organisation):
    first_of_june = timezone.make_aware(datetime(2027, 6, 1, 10, 0))
    series = services.series_create(
        organiser=people["consultant"],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Entretiens",
        participants=[people["beneficiary"]],
        first_start=first_of_june,
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=2",
        mode=MeetingMode.PHONE,
        location="01 23 45 67 89",
    )
    client.force_login(people["beneficiary"])

    occurrence = series.occurrences.order_by("start").first()
    page = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()

    assert "mardi 1er juin 2027" in page
    assert "1 juin" not in page


def test_meeting_list_costs_the_same_queries_and_shows_a_bounded_list(
    client, people, organisation, monkeypatch
):
    """Issue #16: a consultant with a hundred beneficiaries has hundreds of meetings; the
    page shows the nearest ones and the series in pages, in the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tisser.www.meetings import views

    monkeypatch.setattr(views, "LIST_MAX", 3)
    monkeypatch.setattr(views, "SERIES_PER_PAGE", 2)
    client.force_login(people["beneficiary"])

    def get():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("meetings:list"))
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    plan(people, organisation, count=2)
    get()  # the first request of a session does its own bookkeeping
    small, html = get()
    assert "prochaines rencontres sont affichées" not in html
    for i in range(1, 4):
        plan(people, organisation, count=2, hours_later=i)
    grown, html = get()

    assert grown == small
    assert html.count('<a href="/rencontres/series/') == 2
    assert "Seules les 3 prochaines rencontres sont affichées ici" in html
    assert "Page 1 sur 2" in html


def test_who_takes_an_action_on_asks_in_french(client, people, organisation):
    occurrence = plan(people, organisation).occurrences.first()
    client.force_login(people["beneficiary"])

    html = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()

    assert '<option value="" selected>Choisissez une personne</option>' in html
    assert "---------" not in html
