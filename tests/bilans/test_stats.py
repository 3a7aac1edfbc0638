import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.bilans.helpers import advance_to, closed_bilan, entretiens, held, open_bilan
from tests.bilans.test_satisfaction import full_answers
from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import Phase, SatisfactionMoment
from tisser.bilans.stats import NOT_ENOUGH, bilan_stats, bilan_stats_rows
from tisser.core.enums import Role


def beneficiaries(organisation, consultant, n):
    return [member(Role.BENEFICIARY, organisation, invited_by=consultant) for _ in range(n)]


def answered(bilan, value, recommendation, comment=""):
    bilans.satisfaction_respond(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        moment=SatisfactionMoment.END,
        answers=full_answers(value=value, recommendation=recommendation),
        comment=comment,
    )


@pytest.fixture
def consultant(people):
    return people["consultant"]


def stats_for(people, organisation):
    return bilan_stats(coordinator=people["coordinator"], organisation=organisation)


def test_bilans_by_phase_and_closed_this_year(people, organisation, consultant):
    a, b, c = beneficiaries(organisation, consultant, 3)
    open_bilan(consultant, a)
    advance_to(open_bilan(consultant, b), Phase.INVESTIGATION)
    closed_bilan(consultant, c)

    stats = stats_for(people, organisation)

    assert dict(stats.by_phase) == {
        Phase.PRELIMINARY: 1,
        Phase.INVESTIGATION: 1,
        Phase.CONCLUSION: 0,
        Phase.CLOSED: 1,
    }
    assert stats.total == 3
    assert stats.closed_this_year == 1


def test_average_effective_hours_of_closed_bilans(people, organisation, consultant):
    a, *others = beneficiaries(organisation, consultant, 5)
    first = open_bilan(consultant, a)
    for occurrence in entretiens(first, count=2, minutes=90):
        held(occurrence)
    advance_to(first, Phase.CLOSED)
    for other in others[:1]:
        closed_bilan(consultant, other)  # no hours at all

    # Two closed bilans: the mean would be one person's hours next to another's.
    stats = stats_for(people, organisation)
    assert stats.average_hours is None
    assert stats.average_hours_text == str(NOT_ENOUGH)

    for other in others[1:]:
        closed_bilan(consultant, other)
    stats = stats_for(people, organisation)

    assert stats.average_hours == Decimal("0.6")
    assert stats.closed_count == 5


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_satisfaction_is_withheld_below_five_answers(
    people, organisation, consultant, answers, shown
):
    for index, person in enumerate(beneficiaries(organisation, consultant, answers)):
        answered(closed_bilan(consultant, person), value=3 + index % 2, recommendation=8)

    end = stats_for(people, organisation).satisfaction[0]

    assert end.moment == SatisfactionMoment.END
    assert end.count == answers
    welcome = end.items[0][2]
    if shown:
        assert welcome.value == pytest.approx((3 + 4 + 3 + 4 + 3) / 5)
        assert end.recommendation.text == "8,0"
    else:
        assert welcome.value is None
        assert welcome.text == str(NOT_ENOUGH)
        assert end.recommendation.value is None


def test_only_a_coordinator_of_the_organisation_reads_the_aggregates(people, organisation):
    for role in ("consultant", "beneficiary", "mentor"):
        with pytest.raises(PermissionDenied):
            bilan_stats(coordinator=people[role], organisation=organisation)
    with pytest.raises(PermissionDenied):
        bilan_stats(coordinator=member(Role.COORDINATOR), organisation=organisation)


def test_other_organisations_are_not_counted(people, organisation):
    elsewhere = member(Role.CONSULTANT)
    other_org = elsewhere.memberships.get().organisation
    closed_bilan(elsewhere, member(Role.BENEFICIARY, other_org, invited_by=elsewhere))

    assert stats_for(people, organisation).total == 0


def test_the_page_shows_aggregates_and_never_a_name_or_comment(
    client, people, organisation, consultant
):
    answering = beneficiaries(organisation, consultant, 5)
    for person in answering:
        answered(closed_bilan(consultant, person), 5, 10, comment="Commentaire personnel")
    client.force_login(people["coordinator"])

    html = client.get(reverse("coordinator:bilans")).content.decode()

    assert "Commentaire personnel" not in html
    for person in answering:
        assert person.email not in html
        assert person.get_full_name() not in html
    assert "5,0" in html
    assert "10,0" in html
    assert "<td>masqué</td>" in html  # +6 months: none yet
    assert "« masqué » : moins de 5 personnes" in html  # the reason, said once
    figures = " ".join(html.split())
    assert '<span class="figure">5</span> bilans terminés' in figures
    assert "Bilan terminé" not in figures


def test_the_csv_export_is_french_excel_friendly(client, people, organisation, consultant):
    closed_bilan(consultant, beneficiaries(organisation, consultant, 1)[0])
    client.force_login(people["coordinator"])

    response = client.get(reverse("coordinator:bilans_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Indicateur", "Moment", "Valeur", "Nombre de réponses"]
    assert ["Bilans terminés cette année", "", "1", ""] in rows
    assert any("moins de 5 personnes" in row[2] for row in rows)
    stats = stats_for(people, organisation)
    assert len(rows) == len(bilan_stats_rows(stats))


def test_the_indicators_cost_the_same_queries_whatever_the_number_of_bilans(
    client, people, organisation, consultant
):
    """Issue #16: sums and counts come from the database in a fixed number of queries, on
    the page and in its CSV."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = []
        for name in ("coordinator:bilans", "coordinator:bilans_csv"):
            with CaptureQueriesContext(connection) as context:
                assert client.get(reverse(name)).status_code == 200
            result.append(len(context.captured_queries))
        return result

    def grow(n):
        for person in beneficiaries(organisation, consultant, n):
            bilan = open_bilan(consultant, person)
            for occurrence in entretiens(bilan, count=1, minutes=60):
                held(occurrence)
            advance_to(bilan, Phase.CLOSED)
            answered(bilan, 4, 8)

    client.force_login(people["coordinator"])
    grow(1)
    counts()  # the first request of a session does its own bookkeeping
    small = counts()
    grow(6)
    assert counts() == small
