"""The closed loop's figures for the coordination (tisser.outcomes.loop), over anonymous
records and bilans not recorded yet, against values computed by hand, with the small-numbers
rule: marks of five, breakdowns whole or not at all, no count given back by subtraction."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from tests.bilans.test_retention import check, ended, opened
from tests.factories import member
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import OutcomeRecord
from tisser.bilans.services.retention import bilan_documents_destroy
from tisser.core.enums import Role
from tisser.outcomes.cohort import cohort_of
from tisser.outcomes.loop import loop_tables
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Empty

NOW = timezone.make_aware(datetime(2026, 12, 7, 12, 0))
YEAR = Period(date(2026, 1, 1), date(2026, 12, 1))


def record(organisation, month=date(2026, 3, 1), **fields) -> OutcomeRecord:
    return OutcomeRecord.objects.create(organisation=organisation, ended_month=month, **fields)


def table(organisation, key, period=YEAR):
    return next(t for t in loop_tables(organisation, period, now=NOW) if t.key == key)


def values(row):
    return [cell.value for cell in row.cells]


@pytest.mark.django_db
def test_the_paired_change_is_read_over_the_first_five_measured_at_both_moments(organisation):
    # Seven people measured at the start and at the end: the figure covers the first five.
    pairs = [(60, 50), (70, 55), (50, 50), (80, 60), (65, 60), (90, 10), (20, 90)]
    for month, (start, end) in enumerate(pairs, start=1):
        record(
            organisation,
            date(2026, month, 1),
            isolation_start=start,
            isolation_end=end,
        )
    # One more measured only at the start: not paired.
    record(organisation, date(2026, 2, 1), isolation_start=99)

    isolation = table(organisation, "isolation")
    end = isolation.rows[0]

    assert end.label == "Fin du bilan"
    people, before, after, change, low, high, _improved, _response = values(end)
    assert (people, before, after, change) == (5, 65.0, 55.0, -10.0)
    assert low == pytest.approx(-19.8162, abs=1e-3) and high == pytest.approx(-0.1838, abs=1e-3)
    # 3 of 5 improved by 10 points or more: its rest (2) is under five, so both are hidden.
    assert end.cells[6].empty == Empty.WITHHELD
    # 7 of the 8 ended bilans answered at the end: the one who did not is fewer than five.
    assert end.cells[7].empty == Empty.WITHHELD
    spread = table(organisation, "isolation_spread").rows[0]
    assert [cell.empty for cell in spread.cells] == [Empty.WITHHELD] * 3


@pytest.mark.django_db
def test_under_five_people_every_figure_is_withheld_and_nothing_measured_says_so(organisation):
    for start, end in [(60, 50), (70, 55), (50, 50), (80, 60)]:
        record(organisation, isolation_start=start, isolation_end=end)

    end, plus_3, _plus_6 = table(organisation, "isolation").rows

    assert all(cell.empty == Empty.WITHHELD for cell in end.cells[:7])
    assert "masqué" in end.cells[3].text
    # Three months after a March end have come, and nobody answered then.
    assert all(cell.empty == Empty.NO_DATA for cell in plus_3.cells[:7])
    assert "pas de donnée" in plus_3.cells[0].text


@pytest.mark.django_db
def test_the_spread_shows_counts_whose_rest_is_five_or_more(organisation):
    # 10 people: 5 improved by ≥ 10, 5 stable.
    for _ in range(5):
        record(organisation, isolation_start=70, isolation_end=50)
    for _ in range(5):
        record(organisation, isolation_start=50, isolation_end=48)

    end = table(organisation, "isolation").rows[0]
    spread = table(organisation, "isolation_spread").rows[0]

    assert values(end)[:4] == [10, 60.0, 49.0, -11.0]
    assert values(end)[6] == 50.0  # 5 of 10 improved
    # 0 worse: its rest (10) is fine, but nobody is a count under five, hidden as by part_of;
    # 5 and 5 then each have a rest of 5: shown.
    assert [cell.value for cell in spread.cells] == [5, 5, None]


def support(organisation, label):
    return next(
        row for row in table(organisation, "loop_support").rows if row.label.endswith(label)
    )


@pytest.mark.django_db
def test_a_breakdown_is_shown_only_when_every_group_counts_five(organisation):
    # Six months after a March end: 6 with a mentor, 4 without. Neither group is shown (the
    # other would be the total minus it).
    for index in range(10):
        record(
            organisation,
            isolation_start=60,
            isolation_plus_6_months=40 if index < 6 else 70,
            had_mentor=index < 6,
            had_group=False,
        )
    rows = table(organisation, "loop_support").rows
    at_6 = [row for row in rows if row.label.endswith("6 mois après")]

    assert [row.label for row in at_6] == [
        "Avec un·e mentor — 6 mois après",
        "Sans mentor — 6 mois après",
        "Avec un groupe de pairs — 6 mois après",
        "Sans groupe de pairs — 6 mois après",
    ]
    assert all(cell.empty == Empty.WITHHELD for row in at_6 for cell in row.cells)

    # One more without a mentor: 5 of the 6 and the 5 are read, but the total shown for six
    # months (the first 10 of 11 in its own order: the six with a mentor, four without) and
    # the two groups are two people apart: its difference would give them back. Hidden.
    record(organisation, isolation_start=60, isolation_plus_6_months=70, had_mentor=False)
    assert all(
        cell.empty == Empty.WITHHELD
        for cell in support(organisation, "mentor — 6 mois après").cells
    )

    # One with a mentor less: 5 and 5, and the total's ten are exactly them.
    OutcomeRecord.objects.filter(isolation_plus_6_months=40).order_by("pk").first().delete()
    with_mentor = support(organisation, "Avec un·e mentor — 6 mois après")
    without_mentor = support(organisation, "Sans mentor — 6 mois après")
    assert values(with_mentor) == [5, -20.0]
    assert values(without_mentor) == [5, 10.0]
    assert "corrélations, pas des causes" in " ".join(table(organisation, "loop_support").notes)


@pytest.mark.django_db
def test_two_overlapping_periods_never_swap_one_person_for_another(organisation):
    # Months with 1, 4 and 1 people: each period of two months holds five, but the blocks of
    # five are cut once along the whole sequence: January–February is the first block,
    # February–March holds no whole block.
    record(organisation, date(2026, 1, 1), isolation_start=50, isolation_end=90)
    for _ in range(4):
        record(organisation, date(2026, 2, 1), isolation_start=50, isolation_end=50)
    record(organisation, date(2026, 3, 1), isolation_start=50, isolation_end=10)

    first = table(organisation, "isolation", Period(date(2026, 1, 1), date(2026, 2, 1)))
    second = table(organisation, "isolation", Period(date(2026, 2, 1), date(2026, 3, 1)))

    assert values(first.rows[0])[:4] == [5, 50.0, 58.0, 8.0]
    assert first.rows[0].cells[0].empty is None
    assert all(cell.empty == Empty.WITHHELD for cell in second.rows[0].cells[:7])


@pytest.mark.django_db
def test_a_month_joins_a_figure_once_its_answers_are_final(organisation):
    # Ended in October 2026: the end-of-bilan answers (their reminder's window closes in
    # November) are final in December; at three months, not before March 2027. Ended in
    # November: not even the end yet.
    for month in (10, 11):
        for _ in range(5):
            record(
                organisation,
                date(2026, month, 1),
                isolation_start=60,
                isolation_end=50,
                isolation_plus_3_months=40,
                followed_up=True,
            )
    end, plus_3, _plus_6 = table(organisation, "isolation").rows

    assert end.cells[0].value == 5
    assert plus_3.cells[0].empty == Empty.WITHHELD


@pytest.mark.django_db
def test_isolation_change_by_third_of_network_growth(organisation):
    # 15 people: growth 0..14 contacts; isolation falls by as many points as contacts added.
    for growth in range(15):
        record(
            organisation,
            isolation_start=80,
            isolation_end=80 - growth,
            network_start=2,
            network_end=2 + growth,
        )

    lower, middle, upper = table(organisation, "loop_network").rows

    assert values(lower) == [5, 2.0, -2.0]
    assert values(middle) == [5, 7.0, -7.0]
    assert values(upper) == [5, 12.0, -12.0]


@pytest.mark.django_db
def test_fourteen_people_make_ten_then_thirds_too_small(organisation):
    for growth in range(14):
        record(
            organisation,
            isolation_start=80,
            isolation_end=80 - growth,
            network_start=0,
            network_end=growth,
        )

    rows = table(organisation, "loop_network").rows

    assert all(cell.empty == Empty.WITHHELD for row in rows for cell in row.cells)


@pytest.mark.django_db
def test_the_period_and_the_promotion_choose_the_people(organisation, people):
    for month in (1, 2, 3, 4, 5):
        record(
            organisation,
            date(2026, month, 1),
            isolation_start=50,
            isolation_end=40,
            promotion="Printemps",
        )
    for _ in range(5):
        record(organisation, date(2025, 12, 1), isolation_start=90, isolation_end=90, promotion="")
    other = member(Role.COORDINATOR).memberships.get().organisation
    for _ in range(5):
        record(other, isolation_start=10, isolation_end=90)

    assert values(table(organisation, "isolation").rows[0])[:4] == [5, 50.0, 40.0, -10.0]
    spring = Period(date(2025, 1, 1), date(2026, 12, 1), promotion="Printemps")
    assert values(table(organisation, "isolation", spring).rows[0])[:4] == [5, 50.0, 40.0, -10.0]
    both = Period(date(2025, 1, 1), date(2026, 12, 1))
    assert values(table(organisation, "isolation", both).rows[0])[:4] == [10, 70.0, 65.0, -5.0]
    # Responses per promotion: everyone answered at the end, so the part's rest is nobody.
    responses = table(organisation, "responses", both)
    assert [row.label for row in responses.rows] == ["Printemps", "Sans promotion"]
    assert values(responses.rows[0])[0] == 5


@pytest.mark.django_db
def test_a_bilan_not_recorded_yet_is_read_live_and_never_twice(people, organisation):
    bilan = opened(people["consultant"], people["beneficiary"])
    check(bilan.beneficiary, IsolationCheck.Moment.START, "2026-02-01", overall_answer=7)
    check(bilan.beneficiary, IsolationCheck.Moment.END, "2026-06-25", overall_answer=4)
    bilan = ended(bilan)

    live = cohort_of(organisation.pk, now=NOW)
    assert len(live.rows) == 1 and live.recorded == 0
    assert (live.rows[0].isolation_start, live.rows[0].isolation_end) == (70, 40)
    assert live.rows[0].ended_month == date(2026, 6, 1)

    bilan_documents_destroy(bilan=bilan, today=date(2026, 7, 1))

    recorded = cohort_of(organisation.pk, now=NOW)
    assert len(recorded.rows) == 1 and recorded.recorded == 1
    assert (recorded.rows[0].isolation_start, recorded.rows[0].isolation_end) == (70, 40)


def _live_bilans(organisation, consultant, count):
    """`count` bilans ended in June 2026, each with checks at the start and the end, two
    contacts (one introduced) and nothing recorded yet; and as many anonymous records."""
    from tests.bilans.test_retention import CLOSED_AT
    from tisser.network.models import Contact, HowKnown

    for _ in range(count):
        beneficiary = member(Role.BENEFICIARY, organisation, consultant=consultant)
        bilan = opened(consultant, beneficiary)
        check(beneficiary, IsolationCheck.Moment.START, "2026-02-01", overall_answer=7)
        check(beneficiary, IsolationCheck.Moment.END, "2026-06-25", overall_answer=5)
        for how in (HowKnown.values[0], HowKnown.INTRODUCED):
            Contact.objects.create(
                owner=beneficiary, organisation=organisation, last_name="Martin", how_known=how
            )
        ended(bilan, closed_at=CLOSED_AT)
        record(organisation, date(2026, 5, 1), isolation_start=60, isolation_end=50)


@pytest.mark.django_db
def test_the_loop_reads_a_number_of_queries_that_does_not_grow_with_people(people, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.job_scale import GROWN

    def counted() -> int:
        with CaptureQueriesContext(connection) as context:
            loop_tables(organisation, YEAR, now=NOW)
        return len(context.captured_queries)

    _live_bilans(organisation, people["consultant"], 2)
    small = counted()
    _live_bilans(organisation, people["consultant"], GROWN)
    grown = counted()

    assert grown == small
    assert len(cohort_of(organisation.pk, now=NOW).rows) == 2 * (2 + GROWN)


@pytest.mark.django_db
def test_after_the_end_the_response_rate_counts_only_the_followed_up(organisation):
    # 15 kept their checks for the follow-up, 10 of them answered at 3 months; 5 did not agree
    # (their answers could not reach the records): they are not due.
    for index in range(15):
        record(
            organisation,
            isolation_start=60,
            isolation_end=55,
            isolation_plus_3_months=50 if index < 10 else None,
            followed_up=True,
        )
    for _ in range(5):
        record(organisation, isolation_start=60, isolation_end=55, followed_up=False)

    _end, plus_3, plus_6 = table(organisation, "isolation").rows

    assert plus_3.cells[0].value == 10
    assert plus_3.cells[7].value == pytest.approx(100 * 10 / 15)
    assert plus_3.cells[7].text == "67\u00a0%"
    # Six months after a March end have come too; nobody answered: a part of nothing.
    assert plus_6.cells[7].empty == Empty.WITHHELD


@pytest.mark.django_db
def test_a_follow_up_answer_counts_within_its_window_only(people, organisation):
    # Ended on 30 June: the 3-month answers count until 30 October (the reminder's window).
    bilan = opened(people["consultant"], people["beneficiary"])
    check(bilan.beneficiary, IsolationCheck.Moment.START, "2026-02-01", overall_answer=7)
    check(bilan.beneficiary, IsolationCheck.Moment.PLUS_3_MONTHS, "2026-11-15", overall_answer=2)
    check(bilan.beneficiary, IsolationCheck.Moment.PLUS_6_MONTHS, "2026-12-20", overall_answer=3)
    bilan = ended(bilan)

    (row,) = cohort_of(organisation.pk, now=NOW).rows
    assert row.isolation_plus_3_months is None
    assert row.isolation_plus_6_months == 30


@pytest.mark.django_db
def test_a_response_column_per_promotion_shows_all_its_promotions_or_none(organisation):
    # At the end: A has 10 due, 5 answered (50 %); B has 5 due, all answered (its rest, nobody,
    # is under five): B hidden alone would be the total rate minus A's. The column goes.
    for index in range(10):
        record(
            organisation,
            isolation_start=60,
            isolation_end=50 if index < 5 else None,
            promotion="A",
        )
    for _ in range(5):
        record(organisation, isolation_start=60, isolation_end=50, promotion="B")

    responses = table(organisation, "responses")

    assert [row.label for row in responses.rows] == ["A", "B"]
    assert [row.cells[1].empty for row in responses.rows] == [Empty.WITHHELD] * 2
    # With A chosen, its rate (5 of 10) stands beside the figure, checked against the rest
    # of the organisation: B's, all answered, is withheld, so A's is too (the rate for all,
    # minus A's, would give B's back).
    from tisser.outcomes.programme import programme_tables

    only_a = Period(YEAR.first_month, YEAR.last_month, "A")
    alone = {t.key: t for t in loop_tables(organisation, only_a, now=NOW)}
    assert "responses" not in alone
    assert alone["isolation"].rows[0].cells[7].value == 50.0
    checked = {t.key: t for t in programme_tables(organisation, only_a, now=NOW)}
    assert checked["isolation"].rows[0].cells[7].empty == Empty.WITHHELD
    # Its mean change stays: the others' is over five people.
    assert checked["isolation"].rows[0].cells[3].shown
