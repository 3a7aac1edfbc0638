"""What people keep of the suggested compétences, for the coordination
(/coordination/suggestions/): the figures per rank under the small-numbers rule (a rank of
fewer than 5 people grouped with the following ones, never given back by a difference), the
period and its errors in French, the CSV read back as a spreadsheet would, the line on the
indicator map (32), and one query for the figures whatever their number."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tisser.bilans.models import ItemKind, SuggestionDecision
from tisser.core.enums import Role
from tisser.core.french import ordinal
from tisser.outcomes.suggestions import acceptance_table
from tisser.quality.evidence import Span
from tisser.quality.evidence_suggestions import suggestion_lines

PAGE = reverse("coordinator:suggestions")
CSV = reverse("coordinator:suggestions_csv")
NOW = "2026-12-07 10:00"
TITLE = "Suggestions de compétences : ce que les personnes en gardent"


@pytest.fixture
def coordinator(client, organisation):
    user = member(Role.COORDINATOR, organisation)
    client.force_login(user)
    return user


def decide(organisation, person, rank, accepted, on=date(2026, 6, 1)):
    return SuggestionDecision.objects.create(
        organisation=organisation,
        contributor=f"person-{person}",
        rank=rank,
        kind=ItemKind.COMPETENCE,
        accepted=accepted,
        engine=1,
        decided_on=on,
    )


def people_decide(organisation, people, rank, kept, *, first=0, on=date(2026, 6, 1)):
    """`people` people each decide once at `rank`, the first `kept` of them keeping it."""
    for index in range(people):
        decide(organisation, first + index, rank, index < kept, on=on)


def get(client, url, **params):
    with freeze_time(NOW):
        return client.get(url, params)


def rows_of(table) -> dict[str, tuple]:
    return {row.label: tuple(cell.value for cell in row.cells) for row in table.rows}


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_coordinator_home_links_to_the_page(client, coordinator):
    html = client.get(reverse("coordinator:home")).content.decode()
    assert f'href="{PAGE}"' in html
    assert TITLE in html


def test_each_rank_of_five_people_or_more_shows_its_decisions_and_share_kept(
    client, coordinator, organisation
):
    people_decide(organisation, 10, 1, kept=8)
    people_decide(organisation, 5, 2, kept=2)

    response = get(client, PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{TITLE}</h1>" in html
    # The default period: the last twelve months, today included.
    assert 'value="2025-12-08"' in html and 'value="2026-12-07"' in html
    assert "Décisions prises du 8 décembre 2025 au 7 décembre 2026." in html
    # What the page does not hold, in plain French.
    assert "aucun texte de réussite" in html and "aucun nom" in html
    assert '<th scope="row">1re suggestion</th>' in html
    assert '<th scope="row">2e suggestion</th>' in html
    assert 'data-label="Décisions">10</td>' in html
    assert 'data-label="Part gardée">80\u00a0%</td>' in html
    assert 'data-label="Part gardée">40\u00a0%</td>' in html
    assert '<th scope="row">Toutes les suggestions</th>' in html
    assert 'data-label="Décisions">15</td>' in html
    assert 'data-label="Part gardée">67\u00a0%</td>' in html


def test_a_rank_of_fewer_than_five_people_is_grouped_and_no_difference_gives_it_back(
    organisation,
):
    people_decide(organisation, 6, 1, kept=3)
    people_decide(organisation, 6, 2, kept=3)
    # Rank 3: 2 people; rank 4: 1 person who is also among rank 3's.
    people_decide(organisation, 2, 3, kept=1, first=100)
    decide(organisation, 100, 4, True)

    rows = rows_of(acceptance_table(organisation, date(2026, 1, 1), date(2026, 12, 31)))

    # Ranks 3 and 4 together count 2 people: rank 2 joins them, so that the total minus the
    # rows shown gives no one back.
    assert list(rows) == [
        "1re suggestion",
        "2e suggestion et les suivantes",
        "Toutes les suggestions",
    ]
    assert rows["1re suggestion"][0] == 6
    assert rows["2e suggestion et les suivantes"][0] == 9
    assert rows["Toutes les suggestions"][0] == 15
    # The rows shown add up to the total shown: nothing hidden to subtract.
    assert rows["1re suggestion"][0] + rows["2e suggestion et les suivantes"][0] == 15


def test_a_small_rank_joins_the_following_ones_when_together_they_count_five_people(
    organisation,
):
    people_decide(organisation, 5, 1, kept=5)
    people_decide(organisation, 3, 2, kept=1)
    people_decide(organisation, 5, 3, kept=0, first=50)

    rows = rows_of(acceptance_table(organisation, date(2026, 1, 1), date(2026, 12, 31)))

    assert list(rows) == [
        "1re suggestion",
        "2e suggestion et les suivantes",
        "Toutes les suggestions",
    ]
    assert rows["1re suggestion"] == (5, 100)
    assert rows["2e suggestion et les suivantes"][0] == 8
    assert "3e suggestion" not in rows


def test_fewer_than_five_people_in_all_shows_nothing_but_says_why(
    client, coordinator, organisation
):
    for person in range(4):
        people_decide(organisation, 1, 1, kept=1, first=person)
        decide(organisation, person, 2, False)

    html = get(client, PAGE).content.decode()

    assert "Moins de 5 personnes ont décidé dans cette période" in html
    assert "<table" not in html
    assert 'data-label="Décisions"' not in html
    table = acceptance_table(organisation, date(2026, 1, 1), date(2026, 12, 31))
    assert [row.label for row in table.rows] == ["Toutes les suggestions"]
    assert not any(cell.shown for row in table.rows for cell in row.cells)


def test_no_rank_shown_alone_when_the_first_counts_fewer_than_five_people(organisation):
    people_decide(organisation, 3, 1, kept=2)
    people_decide(organisation, 6, 2, kept=2, first=10)

    rows = rows_of(acceptance_table(organisation, date(2026, 1, 1), date(2026, 12, 31)))

    assert list(rows) == ["Toutes les suggestions"]
    assert rows["Toutes les suggestions"][0] == 9


def test_another_organisation_s_decisions_and_other_days_are_not_counted(
    client, coordinator, organisation
):
    people_decide(organisation, 5, 1, kept=5)
    people_decide(OrganisationFactory(), 9, 1, kept=0)
    people_decide(organisation, 7, 1, kept=0, first=20, on=date(2024, 3, 1))

    html = get(client, PAGE, du="2026-01-01", au="2026-12-31").content.decode()

    assert 'data-label="Décisions">5</td>' in html
    assert 'data-label="Part gardée">100\u00a0%</td>' in html
    html = get(client, PAGE, du="2026-07-01", au="2026-12-31").content.decode()
    assert "Aucune décision sur une suggestion dans cette période." in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"du": "mars 2026"}, "du", "Indiquez une date sous la forme jour/mois/année"),
        ({"au": "2026-02-30"}, "au", "Indiquez une date sous la forme jour/mois/année"),
        (
            {"du": "2026-06-01", "au": "2026-03-01"},
            "au",
            "La date de fin doit être la date de début ou venir après elle.",
        ),
    ],
)
def test_a_wrong_period_says_what_to_correct_next_to_it_and_at_the_top(
    client, coordinator, params, field, message
):
    response = get(client, PAGE, **params)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-errors error-summary"' in html
    assert "Les chiffres ne peuvent pas être affichés pour cette période" in html
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert "Corrigez les dates signalées pour voir les chiffres." in html
    assert "<table" not in html
    csv_response = get(client, CSV, **params)
    assert csv_response.status_code == 302 and csv_response.url.startswith(PAGE)


def test_the_csv_reads_back_as_a_french_spreadsheet(client, coordinator, organisation):
    people_decide(organisation, 6, 1, kept=3)
    people_decide(organisation, 6, 2, kept=2)
    people_decide(organisation, 2, 3, kept=1, first=100)

    response = get(client, CSV, du="2026-01-01", au="2026-12-31")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="suggestions-{organisation.slug}-2026-01-01-2026-12-31.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == [TITLE]
    assert rows[1] == ["Organisme", organisation.name]
    assert rows[2] == ["Période", "du 1er janvier 2026 au 31 décembre 2026"]
    assert rows[3] == ["Édité le", "7 décembre 2026"]
    start = rows.index(["Suggestions gardées, selon leur rang"])
    assert rows[start + 1] == ["Rang de la suggestion", "Décisions", "Part gardée (%)"]
    assert rows[start + 2] == ["1re suggestion", "6", "50"]
    assert rows[start + 3] == ["2e suggestion et les suivantes", "8", "38"]
    assert rows[start + 4] == ["Toutes les suggestions", "14", "43"]
    assert any("regroupés avec les suivants" in row[0] for row in rows[start + 5 :] if row)


def test_the_csv_leaves_a_masked_cell_empty_with_a_note(client, coordinator, organisation):
    people_decide(organisation, 3, 1, kept=1)

    rows = read_csv(get(client, CSV))

    start = rows.index(["Suggestions gardées, selon leur rang"])
    assert rows[start + 2] == ["Toutes les suggestions", "", ""]
    assert any("moins de 5 personnes" in row[0] for row in rows[start + 3 :] if row)


def test_the_page_costs_the_same_queries_for_few_or_many_decisions(
    client, coordinator, organisation
):
    def queries() -> int:
        get(client, PAGE)  # sessions, caches
        with CaptureQueriesContext(connection) as context:
            assert get(client, PAGE).status_code == 200
        figures = [q for q in context.captured_queries if "suggestiondecision" in q["sql"]]
        assert len(figures) == 1
        return len(context.captured_queries)

    people_decide(organisation, 2, 1, kept=1)
    small = queries()
    for rank in range(1, 9):
        people_decide(organisation, 12, rank, kept=rank, first=1000 * rank)

    assert queries() == small


def test_the_indicator_map_has_one_line_for_32_with_a_link_to_the_same_period(organisation):
    people_decide(organisation, 10, 1, kept=4)
    span = Span(date(2026, 1, 1), date(2026, 12, 31))

    (line,) = suggestion_lines(organisation, span)

    assert line.text == "Suggestions de compétences : 10 décisions, 40\u00a0% gardées"
    assert line.url == f"{PAGE}?du=2026-01-01&au=2026-12-31"
    SuggestionDecision.objects.all().delete()
    people_decide(organisation, 4, 1, kept=4)
    (line,) = suggestion_lines(organisation, span)
    assert "moins de 5 personnes" in line.text
    assert not re.search(r"\b4\b", line.text)


def test_ordinals_read_as_each_language_abbreviates_them():
    with translation.override("en"):
        assert [ordinal(n, feminine=True) for n in (1, 2, 3, 4, 11, 21)] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "11th",
            "21st",
        ]
    with translation.override("fr"):
        assert ordinal(1) == "1er" and ordinal(1, feminine=True) == "1re"


@pytest.mark.parametrize("role", [Role.BENEFICIARY, Role.CONSULTANT, Role.MENTOR])
def test_only_the_coordination_sees_the_page(client, organisation, role):
    people_decide(organisation, 10, 1, kept=4)
    client.force_login(member(role, organisation))

    assert get(client, PAGE).status_code == 404
    assert get(client, CSV).status_code == 404
