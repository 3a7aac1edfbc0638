"""The coordinator's programme outcomes (/coordination/resultats/) and its CSV: the period and
promotion filter with its errors in French, the tables with their charts and data tables, the
CSV read back as a spreadsheet would, and a constant number of queries."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import member
from tests.outcomes.activity_data import (
    NOW,
    contacts_of,
    enquete_to,
    groups,
    mentorships,
    person_ended,
    ten_ended,
)
from tisser.core.enums import Role
from tisser.network.models import Stage
from tisser.peers.models import Promotion

PAGE = reverse("coordinator:outcomes")
CSV = reverse("coordinator:outcomes_csv")


@pytest.fixture
def consultant(organisation):
    return member(Role.CONSULTANT, organisation)


@pytest.fixture
def coordinator(client, organisation):
    user = member(Role.COORDINATOR, organisation)
    client.force_login(user)
    return user


def get(client, url, **params):
    with freeze_time(NOW):
        return client.get(url, params)


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_coordinator_home_links_to_the_outcomes(client, coordinator):
    html = client.get(reverse("coordinator:home")).content.decode()
    assert f'href="{PAGE}"' in html
    assert "Résultats du programme : isolement, réseau, mentorat, groupes" in html


def test_the_page_reads_the_last_twelve_months_by_default_with_the_rule_at_the_top(
    client, coordinator, organisation, consultant
):
    ten_ended(organisation, consultant)

    response = get(client, PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="month"' in html
    assert 'value="2026-01"' in html and 'value="2026-12"' in html
    assert "Toutes les promotions" in html
    assert "moins de 5 personnes" in html and "5 personnes de plus" in html
    assert "corrélations, pas des causes" in html
    # Each table: a heading, a chart with its title, a data table with a caption.
    assert '<h2 id="issues-title">Comment les bilans se sont terminés</h2>' in html
    assert 'role="img"' in html and "<title" in html
    assert "<caption>Comment les bilans se sont terminés</caption>" in html
    assert 'scope="row"' in html and 'scope="col"' in html
    # Five completed, five interrupted out of ten.
    assert 'data-label="Part des bilans">50\u00a0%</td>' in html
    # The loop's tables are on the page too.
    assert 'id="network-title"' in html
    # A CSV link that keeps the filters.
    assert f'href="{CSV}"' in html or f'href="{CSV}?' in html


def test_a_period_and_a_promotion_filter_the_figures(client, coordinator, organisation, consultant):
    Promotion.objects.create(organisation=organisation, name="Automne 2026")
    ten_ended(organisation, consultant, cohort="Automne 2026")

    march = get(client, PAGE, du="2026-03", au="2026-03", promotion="Automne 2026")
    april = get(client, PAGE, du="2026-04", au="2026-06")

    html = march.content.decode()
    assert "Bilans terminés en mars 2026, promotion « Automne 2026 »." in html
    assert '<option value="Automne 2026" selected>' in html
    assert 'data-label="Part des bilans">50\u00a0%</td>' in html
    assert "?du=2026-03&amp;au=2026-03&amp;promotion=Automne+2026" in html
    html = april.content.decode()
    assert "Bilans terminés d&#x27;avril 2026 à juin 2026, toutes les promotions." in html
    assert "Rien à compter dans cette période" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"du": "mars", "au": "2026-06"}, "du", "Indiquez un mois sous la forme année-mois"),
        ({"du": "2026-06", "au": "2026-03"}, "au", "Le mois de fin doit être le mois de début"),
        ({"du": "", "au": "2026-03"}, "du", "Indiquez un mois."),
        ({"promotion": "Inconnue"}, "promotion", "Choisissez une promotion de la liste."),
    ],
)
def test_a_wrong_filter_says_what_to_correct_next_to_it_and_at_the_top(
    client, coordinator, params, field, message
):
    response = get(client, PAGE, **params)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-errors error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert "Corrigez les choix signalés pour voir les résultats." in html
    assert '<h2 id="issues-title"' not in html
    # The CSV of a wrong filter goes back to the page that says so.
    csv_response = get(client, CSV, **params)
    assert csv_response.status_code == 302 and csv_response.url.startswith(PAGE)


def test_fewer_than_five_people_are_masked_and_say_why(
    client, coordinator, organisation, consultant
):
    for index in range(3):
        person_ended(organisation, consultant, on=date(2026, 3, 2 + index))

    html = get(client, PAGE).content.decode()

    assert "Moins de 5 personnes dans cette période" in html
    # No individual anywhere in the page's content: no name of a beneficiary, as a whole word
    # (the signed-in coordinator's own name, in the header, may contain one: « Louise »).
    content = html.split("<main", 1)[1].split("</main>", 1)[0]
    for name in organisation.memberships.filter(role=Role.BENEFICIARY).values_list(
        "user__last_name", flat=True
    ):
        assert not re.search(rf"\b{re.escape(name)}\b", content), name


def test_the_csv_reads_back_as_a_french_spreadsheet(client, coordinator, organisation, consultant):
    ten_ended(organisation, consultant)
    mentorships(organisation, 4, started=date(2026, 2, 2))

    response = get(client, CSV, du="2026-01", au="2026-12")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="resultats-{organisation.slug}-2026-01-2026-12.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == ["Résultats du programme"]
    assert rows[1] == ["Organisme", organisation.name]
    assert rows[2] == ["Période", "de janvier 2026 à décembre 2026"]
    assert rows[3] == ["Promotion", "Toutes les promotions"]
    assert rows[4] == ["Édité le", "7 décembre 2026"]
    start = rows.index(["Comment les bilans se sont terminés"])
    assert rows[start + 1] == ["Issue", "Bilans", "Part des bilans (%)"]
    assert rows[start + 2] == ["Bilans terminés", "10", "100"]
    assert rows[start + 3] == ["Bilan mené à son terme", "5", "50"]
    # A withheld cell is empty, and a note under the table says why.
    assert rows[start + 5] == ["Bilan abandonné", "", ""]
    assert any("moins de 5 personnes" in row[0] for row in rows[start + 6 : start + 9] if row)
    # Numbers are numbers: integers, or a decimal comma.
    mentoring = rows.index(["Relations de mentorat toujours en cours 3 et 6 mois après leur début"])
    assert rows[mentoring + 2] == ["3 mois après le début", "", "", "", ""]
    funnel = rows.index(["Enquêtes-métiers : du premier contact à la mise en relation"])
    for row in rows[funnel + 2 : funnel + 8] + rows[start + 2 : start + 6]:
        for value in row[1:]:
            assert value == "" or int(value) >= 0


def test_the_page_costs_the_same_queries_for_few_or_many_people(
    client, coordinator, organisation, consultant
):
    def queries() -> int:
        get(client, PAGE)  # sessions, caches
        with CaptureQueriesContext(connection) as context:
            assert get(client, PAGE).status_code == 200
        return len(context.captured_queries)

    def grow(count, start):
        for index in range(count):
            bilan = person_ended(organisation, consultant, on=date(2026, 3, start + index))
            (contact,) = contacts_of(bilan.beneficiary, introduced=True)
            enquete_to(bilan.beneficiary, contact, Stage.INTERVIEW_DONE)
        mentorships(organisation, count, started=date(2026, 2, 2))
        groups(organisation, count, met_days_ago=5)

    grow(1, 1)
    small = queries()
    grow(7, 2)

    assert queries() == small


def test_a_period_with_nothing_to_count_says_so_once(client, coordinator):
    html = get(client, reverse("coordinator:outcomes"), du="2024-01", au="2024-03").content
    html = html.decode()

    assert "Rien à compter dans cette période" in html
    assert "Sur cette page" not in html
