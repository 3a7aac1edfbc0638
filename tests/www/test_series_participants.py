"""Issue #16: the Rencontres form offers its participants a few at a time, with a search,
and a plan is still checked against everyone the organiser may invite."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tisser.core.enums import Role
from tisser.meetings.models import MeetingSeries
from tisser.www.meetings import participants as picker_module

URL = reverse("meetings:series_create")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def small_picker(monkeypatch):
    monkeypatch.setattr(picker_module, "PICKER_SIZE", 2)


def beneficiary(consultant, organisation, first, last):
    return member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name=first,
        user__last_name=last,
    )


def plan(**overrides):
    data = {
        "title": "Atelier CV",
        "kind": "other",
        "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "start_time": "10:00",
        "duration_minutes": "60",
        "recurrence": "none",
        "mode": "on_site",
        "location": "Salle 2",
        "description": "Relire les CV ensemble.",
    }
    return data | overrides


def boxes(html: str) -> int:
    return html.count('name="participants"')


def test_the_page_reads_the_same_queries_and_offers_a_page_of_people(
    client, people, organisation, small_picker
):
    consultant = people["consultant"]
    client.force_login(consultant)

    def get():
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL)
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    get()  # the first request of a session does its own bookkeeping
    small, html = get()
    assert boxes(html) == 1
    for i in range(12):
        beneficiary(consultant, organisation, f"Prénom{i}", f"Nom{i:02d}")
    grown, html = get()

    assert grown == small
    assert boxes(html) == 2
    assert "Voici les 2 premières personnes par nom : cherchez un nom" in html


def test_the_coordinators_search_reads_the_same_queries(client, people, organisation, small_picker):
    coordinator = people["coordinator"]
    client.force_login(coordinator)
    chosen = people["consultant"]

    def search():
        with CaptureQueriesContext(connection) as context:
            response = client.get(
                URL, {"participants_q": "Martin", "participants": [chosen.pk]}, headers=HTMX
            )
        return len(context.captured_queries), response.content.decode()

    search()
    small, _html = search()
    for i in range(12):
        member(Role.BENEFICIARY, organisation, user__last_name=f"Martin{i:02d}")
    grown, html = search()

    assert grown == small
    assert boxes(html) == 3  # the one chosen, and two found
    assert "Plus de 2 personnes correspondent à « Martin »" in html


def test_the_search_finds_by_name_and_keeps_the_chosen(client, people, organisation):
    consultant = people["consultant"]
    camille = beneficiary(consultant, organisation, "Camille", "Roussel")
    beneficiary(consultant, organisation, "Nadia", "Benali")
    client.force_login(consultant)

    html = client.get(
        URL, {"participants_q": "benali", "participants": [camille.pk]}, headers=HTMX
    ).content.decode()

    assert "Nadia Benali" in html and "Camille Roussel" in html
    assert f'value="{camille.pk}"\n                       id="participant-{camille.pk}"\n' in html
    assert html.count("checked") == 1
    assert "1 personne correspond à « benali »" in html
    assert 'id="participants-status" hx-swap-oob="innerHTML"' in html
    assert 'name="participants_searched" value="benali"' in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_without_javascript_chercher_sends_the_form_back_with_everything_typed(
    client, people, organisation
):
    consultant = people["consultant"]
    camille = beneficiary(consultant, organisation, "Camille", "Roussel")
    beneficiary(consultant, organisation, "Nadia", "Benali")
    client.force_login(consultant)

    response = client.post(
        URL,
        plan(participants=[camille.pk], participants_q="Nadia", participants_search="1"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not MeetingSeries.objects.exists()
    assert "data-error-summary" not in html
    assert 'value="Atelier CV"' in html and 'value="Salle 2"' in html
    assert "Relire les CV ensemble." in html and 'value="10:00"' in html
    assert "Nadia Benali" in html and "Camille Roussel" in html
    assert 'name="participants_q"' in html and 'value="Nadia"' in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_enter_in_a_new_search_searches_instead_of_planning(client, people, organisation):
    consultant = people["consultant"]
    camille = beneficiary(consultant, organisation, "Camille", "Roussel")
    client.force_login(consultant)

    response = client.post(
        URL, plan(participants=[camille.pk], participants_q="Nadia", participants_searched="")
    )

    assert response.status_code == 200
    assert not MeetingSeries.objects.exists()
    assert "Aucune personne ne correspond à « Nadia »" in response.content.decode()


def test_a_person_beyond_the_first_page_may_be_invited(client, people, organisation, small_picker):
    consultant = people["consultant"]
    for i in range(4):
        beneficiary(consultant, organisation, f"Prénom{i}", f"Nom{i}")
    last = beneficiary(consultant, organisation, "Zoé", "Zyva")
    client.force_login(consultant)
    assert "Zyva" not in client.get(URL).content.decode()

    response = client.post(URL, plan(participants=[last.pk]))

    assert response.status_code == 302
    invited = MeetingSeries.objects.get().participants.values_list("user", flat=True)
    assert set(invited) == {consultant.pk, last.pk}


@pytest.mark.parametrize("who", ["colleagues_beneficiary", "other_organisation", "mentor"])
def test_only_the_people_the_organiser_may_invite_are_found_or_accepted(
    client, people, organisation, who
):
    consultant = people["consultant"]
    colleague = member(Role.CONSULTANT, organisation)
    outsider = {
        "colleagues_beneficiary": lambda: beneficiary(colleague, organisation, "Iris", "Hors"),
        "other_organisation": lambda: member(
            Role.BENEFICIARY, user__first_name="Iris", user__last_name="Hors"
        ),
        "mentor": lambda: people["mentor"],
    }[who]()
    client.force_login(consultant)

    found = client.get(URL, {"participants_q": outsider.last_name}, headers=HTMX)
    response = client.post(URL, plan(participants=[outsider.pk]))

    assert f'value="{outsider.pk}"' not in found.content.decode()
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_participants_error"' in html
    # the error summary links to the picker
    assert '<a href="#id_participants">' in html and 'id="id_participants"' in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    assert not MeetingSeries.objects.exists()


def test_a_refused_plan_keeps_the_chosen_participants(client, people, organisation):
    consultant = people["consultant"]
    camille = beneficiary(consultant, organisation, "Camille", "Roussel")
    client.force_login(consultant)

    response = client.post(URL, plan(participants=[camille.pk], location=""))

    html = response.content.decode()
    assert "data-error-summary" in html
    assert html.count("checked") == 1 and "Camille Roussel" in html
    # the error summary's link to the picker finds it
    assert 'id="id_participants"' in html


def test_a_monthly_series_says_which_weekday_of_the_month_it_keeps(client, people):
    # given a monthly series whose first meeting is Friday 15 January 2027 (the third Friday)
    consultant = people["consultant"]
    client.force_login(consultant)
    assert "le même jour de la semaine" in client.get(URL).content.decode()
    data = plan(
        participants=[people["beneficiary"].pk],
        participants_searched="",
        date="2027-01-15",
        recurrence="monthly",
        count="3",
    )

    # when it is planned
    response = client.post(URL, data, follow=True)

    # then the created page says the rule for that date, and the meetings keep it
    page = response.content.decode()
    assert "est créée : le troisième vendredi du mois." in page
    assert "Le troisième vendredi du mois" in page
    series = MeetingSeries.objects.get()
    days = [o.start.astimezone(series.first_start.tzinfo).day for o in series.occurrences.all()]
    assert sorted(days) == [15, 19, 19]
