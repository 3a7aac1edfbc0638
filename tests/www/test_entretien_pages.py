"""Pages of ADR 0022 (one way to plan an entretien) and of the agenda's keyboard and
screen-reader behaviour after an htmx change."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import closed_bilan, open_bilan
from tisser.bilans import services as bilans
from tisser.meetings import services as meetings
from tisser.meetings.models import AgendaItem, MeetingKind, MeetingMode, MeetingSeries

PARIS = ZoneInfo("Europe/Paris")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bilan(people):
    return open_bilan(people["consultant"], people["beneficiary"])


def next_week_at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(
        timezone.localdate() + timedelta(days=7), time(hour, minute), tzinfo=PARIS
    )


def team_meeting(people, organisation):
    return meetings.series_create(
        organiser=people["consultant"],
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Réunion d'équipe",
        participants=[people["coordinator"]],
        first_start=next_week_at(14),
        duration_minutes=90,
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="Salle 2",
    )


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_rencontres_offers_no_bilan_entretien_and_refuses_one_posted(client, people):
    client.force_login(people["consultant"])

    page = client.get(reverse("meetings:series_create")).content.decode()
    assert 'value="bilan_session"' not in page
    assert 'value="other"' in page
    assert "se planifient depuis la page du bilan" in page

    response = client.post(
        reverse("meetings:series_create"),
        {
            "title": "Entretien",
            "kind": "bilan_session",
            "participants": [people["beneficiary"].pk],
            "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "start_time": "10:00",
            "duration_minutes": "60",
            "recurrence": "none",
            "mode": "phone",
            "location": "01 23 45 67 89",
        },
    )
    assert response.status_code == 200
    assert error_of(response.content.decode(), "id_kind")
    assert not MeetingSeries.objects.exists()


def test_a_clashing_plan_is_refused_next_to_the_date_and_keeps_the_input(
    client, people, organisation, bilan
):
    team_meeting(people, organisation)
    client.force_login(people["consultant"])
    day = (timezone.localdate() + timedelta(days=7)).isoformat()

    response = client.post(
        reverse("bilans:sessions_plan", args=[bilan.pk]),
        {
            "sessions-date": day,
            "sessions-start_time": "15:00",
            "sessions-duration_minutes": "60",
            "sessions-count": "2",
            "sessions-mode": "phone",
            "sessions-location": "01 23 45 67 89",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Vous avez déjà « Réunion d&#x27;équipe »" in error_of(html, "id_sessions-date")
    assert "de 14:00 à 15:30" in error_of(html, "id_sessions-date")
    assert f'value="{day}"' in html and 'value="15:00"' in html
    assert 'value="01 23 45 67 89"' in html
    assert not bilan.sessions.exists()


def test_moving_an_entretien_onto_a_meeting_is_refused_next_to_the_date(
    client, people, organisation, bilan
):
    team_meeting(people, organisation)
    series = bilans.bilan_session_plan(
        consultant=people["consultant"],
        bilan=bilan,
        first_start=next_week_at(9),
        duration_minutes=60,
        rrule="",
        mode=MeetingMode.PHONE,
    )
    occurrence = series.occurrences.get()
    client.force_login(people["consultant"])

    response = client.post(
        reverse("meetings:occurrence_move", args=[occurrence.pk]),
        {
            "date": next_week_at(9).date().isoformat(),
            "start_time": "15:00",
            "duration_minutes": "60",
        },
    )

    assert response.status_code == 200
    assert "Vous avez déjà « Réunion d&#x27;équipe »" in error_of(
        response.content.decode(), "id_date"
    )


def test_rencontres_refuses_a_consultants_meeting_on_their_entretien_next_to_the_date(
    client, people, bilan
):
    bilans.bilan_session_plan(
        consultant=people["consultant"],
        bilan=bilan,
        first_start=next_week_at(14),
        duration_minutes=90,
        rrule="",
        mode=MeetingMode.PHONE,
    )
    client.force_login(people["consultant"])
    day = next_week_at(14).date().isoformat()

    response = client.post(
        reverse("meetings:series_create"),
        {
            "title": "Atelier CV",
            "kind": "other",
            "participants": [people["beneficiary"].pk],
            "date": day,
            "start_time": "15:00",
            "duration_minutes": "60",
            "recurrence": "none",
            "mode": "on_site",
            "location": "Salle 2",
            "description": "Relire les CV ensemble.",
        },
    )

    html = response.content.decode()
    assert "Vous avez déjà « Entretien de bilan" in error_of(html, "id_date")
    assert "de 14:00 à 15:30" in error_of(html, "id_date")
    # nothing typed is lost
    assert 'value="Atelier CV"' in html and f'value="{day}"' in html
    assert 'value="15:00"' in html and 'value="Salle 2"' in html
    assert "Relire les CV ensemble." in html
    assert not MeetingSeries.objects.filter(title="Atelier CV").exists()


def test_a_followup_proposed_on_a_team_meeting_is_refused_next_to_its_date(
    client, people, organisation
):
    bilan = closed_bilan(people["consultant"], people["beneficiary"])
    team_meeting(people, organisation)
    client.force_login(people["consultant"])
    day = next_week_at(14).date().isoformat()

    response = client.post(
        reverse("bilans:followup", args=[bilan.pk]),
        {
            "followup-date": day,
            "followup-start_time": "15:00",
            "followup-duration_minutes": "60",
            "followup-mode": "phone",
            "followup-location": "01 23 45 67 89",
            "followup-message": "Faisons le point.",
            "followup-version": "0",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Vous avez déjà « Réunion d&#x27;équipe »" in error_of(html, "id_followup-date")
    assert 'value="01 23 45 67 89"' in html and "Faisons le point." in html


# --- the agenda after an htmx change ---------------------------------------------------


@pytest.fixture
def agenda(people, organisation):
    occurrence = team_meeting(people, organisation).occurrences.get()
    items = [
        meetings.agenda_item_add(
            actor=people["consultant"],
            occurrence=occurrence,
            kind=AgendaItem.Kind.TOPIC,
            text=text,
        )
        for text in ("Plannings", "Enquêtes", "Locaux")
    ]
    return occurrence, items


def autofocused(html: str) -> list[str]:
    """The ids of the elements marked autofocus."""
    tags = re.findall(r"<[a-z0-9]+\s[^>]*\bautofocus\b[^>]*>", html)
    return [re.search(r'\sid="([^"]+)"', tag).group(1) for tag in tags]


def status(html: str) -> str:
    match = re.search(r'<p id="agenda-status" hx-swap-oob="innerHTML">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def test_the_full_page_has_the_status_region_and_no_autofocus(client, people, agenda):
    occurrence, _items = agenda
    client.force_login(people["consultant"])

    html = client.get(reverse("meetings:occurrence", args=[occurrence.pk])).content.decode()

    assert '<p id="agenda-status" class="help" role="status"></p>' in html
    assert autofocused(html) == []


def test_adding_announces_it_and_focuses_the_new_item(client, people, agenda):
    occurrence, _items = agenda
    client.force_login(people["consultant"])

    html = client.post(
        reverse("meetings:agenda_add", args=[occurrence.pk]),
        {"agenda-kind": "question", "agenda-text": "Budget"},
        **HTMX,
    ).content.decode()

    new = AgendaItem.objects.get(text="Budget")
    assert autofocused(html) == [f"agenda-item-{new.pk}"]
    assert status(html) == "« Budget » est ajouté à l&#x27;ordre du jour."


def test_an_empty_point_sends_focus_back_to_the_field(client, people, agenda):
    occurrence, _items = agenda
    client.force_login(people["consultant"])

    html = client.post(
        reverse("meetings:agenda_add", args=[occurrence.pk]),
        {"agenda-kind": "question", "agenda-text": ""},
        **HTMX,
    ).content.decode()

    assert autofocused(html) == ["id_agenda-text"]
    assert status(html) == ""


@pytest.mark.parametrize(
    ("index", "direction", "position", "focus"),
    [
        (1, "down", 3, "up"),  # now last: its "down" button is gone, focus on "up"
        (1, "up", 1, "down"),  # now first: focus on "down"
        (2, "up", 2, "up"),  # still movable up: focus stays on the button pressed
    ],
)
def test_moving_announces_the_position_and_keeps_focus_on_the_item(
    client, people, agenda, index, direction, position, focus
):
    _occurrence, items = agenda
    item = items[index]
    client.force_login(people["consultant"])

    html = client.post(
        reverse("meetings:agenda_move", args=[item.pk]), {"direction": direction}, **HTMX
    ).content.decode()

    assert autofocused(html) == [f"agenda-item-{item.pk}-{focus}"]
    assert status(html) == f"« {item.text} » est maintenant en position {position} sur 3."
    # the button that keeps its id is found again by htmx after the swap
    assert f'id="agenda-item-{item.pk}-{focus}"' in html


def test_removing_announces_it_and_focuses_the_neighbour_then_the_heading(client, people, agenda):
    _occurrence, (first, second, third) = agenda
    client.force_login(people["consultant"])

    def remove(item):
        return client.post(
            reverse("meetings:agenda_delete", args=[item.pk]), **HTMX
        ).content.decode()

    html = remove(second)
    assert autofocused(html) == [f"agenda-item-{third.pk}"]
    assert status(html) == "« Enquêtes » est retiré de l&#x27;ordre du jour."
    assert autofocused(remove(third)) == [f"agenda-item-{first.pk}"]
    assert autofocused(remove(first)) == ["agenda-title"]


def test_without_htmx_the_change_is_a_message_on_the_page(client, people, agenda):
    _occurrence, items = agenda
    client.force_login(people["consultant"])

    response = client.post(
        reverse("meetings:agenda_move", args=[items[0].pk]), {"direction": "down"}, follow=True
    )

    assert "« Plannings » est maintenant en position 2 sur 3." in response.content.decode()
