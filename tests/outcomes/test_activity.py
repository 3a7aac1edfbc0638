"""The programme's activity for the coordination (tisser.outcomes.activity), against values
computed by hand, with the small-numbers rule: a part and its rest each from five people, a
funnel's stage against the stage before it, rates from five people, words when nothing."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.bilans.test_satisfaction import full_answers
from tests.factories import member
from tests.outcomes.activity_data import (
    NOW,
    aware,
    commitments,
    contacts_of,
    enquete_to,
    groups,
    mentorships,
    person_ended,
)
from tisser.bilans import services as bilans
from tisser.bilans.models import Outcome, SatisfactionMoment
from tisser.core.enums import Role
from tisser.network.models import Stage
from tisser.outcomes.activity import activity_tables, alive_at, funnel_shown
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Empty

YEAR = Period(date(2026, 1, 1), date(2026, 12, 1))


@pytest.fixture
def consultant(organisation):
    return member(Role.CONSULTANT, organisation)


def table(organisation, key, period=YEAR):
    return next(t for t in activity_tables(organisation, period, now=NOW) if t.key == key)


def values(row):
    return [cell.value for cell in row.cells]


def empties(row):
    return [cell.empty for cell in row.cells]


W, N = Empty.WITHHELD, Empty.NO_DATA


# --- Pure rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "counts", "shown"),
    [
        # Each stage 5 or more apart from the total and from the stage before: all shown.
        (
            25,
            {"contact": 20, "asked": 15, "meeting": 10, "done": 5, "introduced": 5},
            {"contact": 20, "asked": 15, "meeting": 10, "done": 5, "introduced": 5},
        ),
        # Everyone had a contact: its rest (nobody) would say it of each person.
        (
            10,
            {"contact": 10, "asked": 5, "meeting": 0, "done": 0, "introduced": 5},
            {"contact": None, "asked": 5, "meeting": None, "done": None, "introduced": 5},
        ),
        # 8 asked, 7 had a meeting: one person between them; the later stage is hidden.
        (
            20,
            {"contact": 14, "asked": 8, "meeting": 7, "done": 2, "introduced": 4},
            {"contact": 14, "asked": 8, "meeting": None, "done": None, "introduced": None},
        ),
        # A stage hidden against the one before: the next is compared with the last shown.
        (
            30,
            {"contact": 20, "asked": 17, "meeting": 10, "done": 5, "introduced": 6},
            {"contact": 20, "asked": None, "meeting": 10, "done": 5, "introduced": 6},
        ),
    ],
)
def test_a_funnel_stage_is_a_part_of_the_total_and_of_the_stage_before(total, counts, shown):
    assert funnel_shown(total, counts) == shown


def test_a_mentorship_is_alive_at_an_age_unless_it_ended_before():
    started = aware(date(2026, 1, 31))
    assert alive_at(started, None, 3)
    # 31 January + 3 months is 30 April (the calendar's month, as relativedelta counts).
    assert alive_at(started, aware(date(2026, 4, 30)), 3)
    assert not alive_at(started, aware(date(2026, 4, 29)), 3)
    assert not alive_at(started, aware(date(2026, 4, 30)), 6)


# --- The period's people: enquêtes and outcomes ------------------------------------------------


@pytest.mark.django_db
def test_the_funnel_counts_people_per_stage_and_hides_small_parts(organisation, consultant):
    ended = [person_ended(organisation, consultant) for _index in range(10)]
    people = [bilan.beneficiary for bilan in ended]
    # Five people with a contact, introduced by someone; three of them asked, one did it.
    for index, person in enumerate(people[:5]):
        (contact,) = contacts_of(person, introduced=True)
        if index < 3:
            enquete_to(person, contact, Stage.INTERVIEW_DONE if index == 0 else Stage.MESSAGE_SENT)
    # Two more made contacts after their bilan had ended: not counted (a figure once shown
    # stays as it is).
    for person in people[5:7]:
        contacts_of(person, on=date(2026, 4, 2))
    # Five bilans ended before the period (the first block of five of the organisation's
    # history): not counted.
    for _index in range(5):
        outside = person_ended(organisation, consultant, on=date(2025, 12, 20))
        contacts_of(outside.beneficiary, on=date(2025, 12, 1))

    funnel = table(organisation, "enquetes")

    total, contact, asked, meeting, done, introduced = funnel.rows
    assert values(total) == [10, 100]
    assert values(contact) == [5, 50]
    assert contact.cells[1].text == "50\u00a0%"
    # 3 asked, 1 met, 1 did: under five, and so is 5 − 3 before them.
    for row in (asked, meeting, done):
        assert empties(row) == [W, W]
        assert row.cells[0].text == "masqué"
    assert values(introduced) == [5, 50]
    assert funnel.chart_column == 1 and funnel.chart_max == 100


@pytest.mark.django_db
def test_how_bilans_ended_hides_a_part_whose_rest_is_small(organisation, consultant):
    for outcome in [Outcome.COMPLETED] * 6 + [Outcome.INTERRUPTED] * 3 + [Outcome.ABANDONED] * 2:
        person_ended(organisation, consultant, outcome=outcome)

    total, completed, interrupted, abandoned, withdrawn = table(organisation, "issues").rows

    # Eleven bilans: read over the first ten (the last mark of five), as every figure here:
    # six completed, three interrupted, one abandoned. Six completed would leave a rest of 4,
    # which says too much of those few: hidden with the others.
    assert values(total) == [10, 100]
    assert empties(completed) == [W, W]
    assert empties(interrupted) == [W, W]
    assert empties(abandoned) == [W, W]
    assert empties(withdrawn) == [W, W]


@pytest.mark.django_db
def test_completion_and_interruption_rates_when_each_part_counts_five(organisation, consultant):
    for outcome in [Outcome.COMPLETED] * 5 + [Outcome.INTERRUPTED] * 5:
        person_ended(organisation, consultant, outcome=outcome)

    total, completed, interrupted, abandoned, withdrawn = table(organisation, "issues").rows

    assert values(total) == [10, 100]
    assert values(completed) == [5, 50]
    assert values(interrupted) == [5, 50]
    # Nobody abandoned: a count under five, hidden (what is hidden adds up to 0).
    assert empties(abandoned) == [W, W] and empties(withdrawn) == [W, W]


@pytest.mark.django_db
def test_fewer_than_five_people_are_withheld_and_an_empty_period_says_so(organisation, consultant):
    for _index in range(4):
        person_ended(organisation, consultant)

    funnel = table(organisation, "enquetes")
    assert all(empties(row) == [W, W] for row in funnel.rows)
    assert funnel.is_empty and funnel.has_withheld

    spring = Period(date(2027, 1, 1), date(2027, 3, 1))
    for key in ("enquetes", "issues", "satisfaction", "mentorat", "groupes", "engagements"):
        empty = table(organisation, key, spring)
        assert empty.is_empty and not empty.has_withheld, key
        assert all(cell.text == "pas de donnée" for row in empty.rows for cell in row.cells)


@pytest.mark.django_db
def test_a_promotion_reads_its_own_people(organisation, consultant):
    for _index in range(5):
        person_ended(organisation, consultant, outcome=Outcome.COMPLETED, cohort="Automne")
    for _index in range(5):
        person_ended(organisation, consultant, outcome=Outcome.INTERRUPTED, cohort="Hiver")

    autumn = Period(YEAR.first_month, YEAR.last_month, "Automne")
    total, completed, interrupted, *_others = table(organisation, "issues", autumn).rows

    assert values(total) == [5, 100]
    # All five completed: the rest (nobody) would say it of each of them.
    assert empties(completed) == [W, W]
    assert empties(interrupted) == [W, W]
    assert values(table(organisation, "issues").rows[1]) == [5, 50]


@pytest.mark.django_db
def test_satisfaction_means_over_five_answers_and_nothing_six_months_later(
    organisation, consultant
):
    for recommendation in (10, 9, 8, 7, 6, 0):
        bilan = person_ended(organisation, consultant, outcome=Outcome.COMPLETED)
        with freeze_time(aware(date(2026, 3, 17))):
            bilans.satisfaction_respond(
                beneficiary=bilan.beneficiary,
                bilan=bilan,
                moment=SatisfactionMoment.END,
                answers=full_answers(value=4, recommendation=recommendation),
            )

    satisfaction = table(organisation, "satisfaction")
    rows = {row.label: row for row in satisfaction.rows}

    assert satisfaction.columns == ("Fin du bilan", "6 mois après")
    assert values(rows["Accueil"]) == [4.0, None]
    assert rows["Accueil"].cells[1].empty == N
    # The first five answers: (10 + 9 + 8 + 7 + 6) / 5; the sixth waits for four more.
    assert values(rows["Recommandation (0 à 10)"]) == [8.0, None]
    assert rows["Recommandation (0 à 10)"].cells[0].text == "8,0"
    assert values(rows["Personnes qui ont répondu"]) == [5, None]


# --- Mentorships, groups, commitments ---------------------------------------------------------


@pytest.mark.django_db
def test_mentorships_alive_at_three_and_six_months(organisation):
    # Ten started in February: five ended after 40 days, five after 120 days.
    mentorships(organisation, 5, started=date(2026, 2, 2), ended_after_days=40)
    mentorships(organisation, 5, started=date(2026, 2, 3), ended_after_days=120)
    # Started in October: not 3 months old on 7 December, not counted yet.
    mentorships(organisation, 2, started=date(2026, 10, 1))

    three, six = table(organisation, "mentorat").rows

    assert three.label == "3 mois après le début"
    assert values(three) == [10, 5, 5, 50]
    # At six months none is still going: a part of 0 under five, and its rest 10 would say
    # it of each: both hidden.
    assert values(six)[0] == 10
    assert empties(six)[1:] == [W, W, W]


@pytest.mark.django_db
def test_mentorships_under_five_are_withheld(organisation):
    mentorships(organisation, 4, started=date(2026, 2, 2))

    three, six = table(organisation, "mentorat").rows

    assert empties(three) == [W] * 4 and empties(six) == [W] * 4


@pytest.mark.django_db
def test_groups_that_met_in_the_last_six_weeks(organisation):
    groups(organisation, 5, met_days_ago=10)
    groups(organisation, 4, met_days_ago=50)
    groups(organisation, 1, met_days_ago=None)

    active, met, not_met = table(organisation, "groupes").rows

    assert values(active) == [10, 100]
    assert values(met) == [5, 50]
    assert values(not_met) == [5, 50]


@pytest.mark.django_db
def test_groups_met_and_not_met_are_management_counts_shown_as_they_are(organisation):
    # The coordination reads each group's meeting dates anyway (ADR 0013): no rule to apply.
    groups(organisation, 6, met_days_ago=3)
    groups(organisation, 2, met_days_ago=None)

    active, met, not_met = table(organisation, "groupes").rows

    assert values(active) == [8, 100]
    assert values(met) == [6, 75] and values(not_met) == [2, 25]


@pytest.mark.django_db
def test_groups_of_a_past_period_are_looked_at_on_its_last_day(organisation):
    groups(organisation, 5, met_days_ago=10)
    summer = Period(date(2026, 6, 1), date(2026, 8, 1))

    active, met, _not_met = table(organisation, "groupes", summer).rows

    # Published 120 days before 7 December (9 August): active on 31 August, none had met.
    assert values(active) == [5, 100]
    assert values(met) == [0, 0]
    assert "31 août 2026" in table(organisation, "groupes", summer).notes[0]


@pytest.mark.django_db
def test_commitments_kept_rate_from_five_people(organisation):
    commitments(organisation, ["done", "done", "partial", "not_done", "done"])

    (row,) = table(organisation, "engagements").rows

    # (1 + 1 + ½ + 0 + 1) / 5 = 70 %.
    assert values(row) == [70, 5]
    assert row.cells[0].text == "70\u00a0%"


@pytest.mark.django_db
def test_commitments_of_four_people_are_withheld(organisation):
    commitments(organisation, ["done", "done", "partial", "not_done"])

    (row,) = table(organisation, "engagements").rows

    assert empties(row) == [W, W]


# --- Cost --------------------------------------------------------------------------------------


def _queries(organisation) -> int:
    with CaptureQueriesContext(connection) as context:
        activity_tables(organisation, YEAR, now=NOW)
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_activity_costs_the_same_queries_whatever_the_number_of_people(
    organisation, consultant
):
    def grow(count):
        for index in range(count):
            bilan = person_ended(organisation, consultant, on=date(2026, 3, 2) + timedelta(index))
            (contact,) = contacts_of(bilan.beneficiary, introduced=True)
            enquete_to(bilan.beneficiary, contact, Stage.MESSAGE_SENT)
        mentorships(organisation, count, started=date(2026, 2, 2))
        groups(organisation, count, met_days_ago=5)

    grow(1)
    small = _queries(organisation)
    grow(6)
    commitments(organisation, ["done"] * 5)

    assert _queries(organisation) == small == 5


@pytest.mark.django_db
def test_two_overlapping_periods_are_whole_blocks_of_one_history(organisation, consultant):
    # Bilans ended: 1 in January, 4 in February, 1 in March. January–February is the first
    # block of five; February–March holds no whole block: it never swaps one person for
    # another.
    person_ended(organisation, consultant, on=date(2026, 1, 15), outcome=Outcome.ABANDONED)
    for _index in range(4):
        person_ended(organisation, consultant, on=date(2026, 2, 16))
    person_ended(organisation, consultant, on=date(2026, 3, 16), outcome=Outcome.ABANDONED)

    first = table(organisation, "issues", Period(date(2026, 1, 1), date(2026, 2, 1)))
    second = table(organisation, "issues", Period(date(2026, 2, 1), date(2026, 3, 1)))

    assert values(first.rows[0]) == [5, 100]
    assert second.rows[0].cells[0].empty == Empty.WITHHELD


@pytest.mark.django_db
def test_satisfaction_here_and_on_the_indicators_is_cut_from_the_same_blocks(
    people, organisation, consultant
):
    from tisser.bilans.stats import bilan_stats

    # Six answers: four of promotion A, then one of B, then one more of A. Each promotion is
    # its own sequence: A's first five are not there yet (four, then a fifth after B's one),
    # so A shows its first five once complete, B nothing; the indicators say the same.
    for index, (cohort, recommendation) in enumerate(
        [("A", 10), ("A", 9), ("A", 8), ("A", 7), ("B", 0), ("A", 6)]
    ):
        bilan = person_ended(organisation, consultant, outcome=Outcome.COMPLETED, cohort=cohort)
        with freeze_time(aware(date(2026, 3, 17)) + timedelta(minutes=index)):
            bilans.satisfaction_respond(
                beneficiary=bilan.beneficiary,
                bilan=bilan,
                moment=SatisfactionMoment.END,
                answers=full_answers(value=4, recommendation=recommendation),
            )
    recommendation = "Recommandation (0 à 10)"

    every = {row.label: row for row in table(organisation, "satisfaction").rows}
    of_a = {
        row.label: row
        for row in table(
            organisation, "satisfaction", Period(date(2026, 1, 1), date(2026, 12, 1), "A")
        ).rows
    }
    of_b = {
        row.label: row
        for row in table(
            organisation, "satisfaction", Period(date(2026, 1, 1), date(2026, 12, 1), "B")
        ).rows
    }
    indicators = bilan_stats(coordinator=people["coordinator"], organisation=organisation)

    assert values(every[recommendation])[0] == values(of_a[recommendation])[0] == 8.0
    assert of_b[recommendation].cells[0].empty == Empty.WITHHELD
    end = indicators.satisfaction[0]
    assert (end.recommendation.value, end.recommendation.over) == (8.0, 5)
