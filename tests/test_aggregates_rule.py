"""One rule for every aggregate page (issue #17, ADR 0013): a figure about people shown to the
coordination is computed by `tisser.core.small_numbers`, never from fewer than 5 people, never
beside its complement when either side counts fewer than 5, and two readings of one mean
differ by at least 5 people (so that adding one person never shows that person's value).

Each aggregate page of the audit is read as a coordinator, through its data function and
rendered, with one group of 1 to 4 people beside one of 5 or more."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import advance_to, closed_bilan, entretiens, held, open_bilan
from tests.bilans.test_satisfaction import full_answers
from tests.factories import member
from tests.mentoring.space_rows import start
from tests.peers.helpers import peer_group
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Phase, SatisfactionMoment
from tisser.bilans.stats import bilan_stats, bilan_stats_rows
from tisser.core.enums import Role
from tisser.mentoring.health import ratings
from tisser.mentoring.models import Feedback
from tisser.peers import services as peers
from tisser.peers.health import health_rows

ROOT = Path(__file__).resolve().parents[1]


def text_of(response) -> str:
    """The page's visible text on one line (tags dropped, spaces collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


# -- the bilans' indicators (bilans/stats.py, its page and its CSV) -----------------------------


def beneficiaries(organisation, consultant, n):
    return [member(Role.BENEFICIARY, organisation, invited_by=consultant) for _ in range(n)]


def answered(bilan, moment, value, recommendation):
    bilans.satisfaction_respond(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        moment=moment,
        answers=full_answers(value=value, recommendation=recommendation),
    )


def closed_with_hours(consultant, person, minutes: int) -> Bilan:
    bilan = open_bilan(consultant, person)
    for occurrence in entretiens(bilan, count=1, minutes=minutes):
        held(occurrence)
    return advance_to(bilan, Phase.CLOSED)


def six_months_ago(bilan: Bilan) -> Bilan:
    Bilan.objects.filter(pk=bilan.pk).update(closed_at=timezone.now() - timedelta(days=200))
    bilan.refresh_from_db()
    return bilan


def indicators(people, organisation):
    return bilan_stats(coordinator=people["coordinator"], organisation=organisation)


def shown_figures(stats) -> list:
    figures = [stats.hours]
    for summary in stats.satisfaction:
        figures += [mean for _id, _label, mean in summary.items] + [summary.recommendation]
    return [figure for figure in figures if figure.shown]


def test_the_indicators_show_no_figure_from_fewer_than_five_people(client, people, organisation):
    consultant = people["consultant"]
    # Four closed bilans, 2 h each, four answers at the end: every figure is one of four.
    for person in beneficiaries(organisation, consultant, 4):
        answered(
            closed_with_hours(consultant, person, 120), SatisfactionMoment.END, 2, recommendation=3
        )

    stats = indicators(people, organisation)

    assert shown_figures(stats) == []
    assert all(figure.people == 4 for figure in (stats.hours, stats.satisfaction[0].recommendation))
    client.force_login(people["coordinator"])
    page = text_of(client.get(reverse("coordinator:bilans")))
    assert "masqué" in page
    assert "2,0" not in page and "3,0" not in page
    rows = csv_rows(client.get(reverse("coordinator:bilans_csv")))
    means = [row for row in rows[1:] if row[3]]
    assert means and all("Masqué" in row[2] for row in means)


def test_a_moment_of_one_to_four_answers_is_hidden_and_no_total_gives_it_back(
    client, people, organisation
):
    """End of the bilan: 5 answers (shown); six months after: 2 (hidden). No figure over both
    moments is shown, which would give the two hidden answers back by subtraction."""
    consultant = people["consultant"]
    five = [closed_bilan(consultant, p) for p in beneficiaries(organisation, consultant, 5)]
    for bilan in five:
        answered(bilan, SatisfactionMoment.END, 4, recommendation=8)
    for bilan in five[:2]:
        answered(six_months_ago(bilan), SatisfactionMoment.PLUS_6_MONTHS, 2, recommendation=3)

    end, later = indicators(people, organisation).satisfaction

    assert (end.moment, later.moment) == (SatisfactionMoment.END, SatisfactionMoment.PLUS_6_MONTHS)
    assert end.recommendation.shown and end.recommendation.people == 5
    assert not later.recommendation.shown and later.recommendation.people == 2
    assert all(not mean.shown for _id, _label, mean in later.items)
    client.force_login(people["coordinator"])
    page = text_of(client.get(reverse("coordinator:bilans")))
    assert "4,0" in page and "8,0" in page
    assert "masqué" in page
    # Neither the hidden means (2,0 and 3,0) nor a mean over the seven answers (3,4 and 6,6).
    for hidden in ("2,0", "3,0", "3,4", "6,6"):
        assert hidden not in page


def test_one_more_person_never_moves_a_shown_mean_by_their_value(people, organisation):
    consultant = people["consultant"]
    first_five = beneficiaries(organisation, consultant, 5)
    for person in first_five:
        answered(
            closed_with_hours(consultant, person, 60), SatisfactionMoment.END, 4, recommendation=8
        )
    before = indicators(people, organisation)

    sixth = beneficiaries(organisation, consultant, 1)[0]
    answered(closed_with_hours(consultant, sixth, 600), SatisfactionMoment.END, 1, recommendation=0)
    after = indicators(people, organisation)

    def values(stats):
        return [(figure.value, figure.over) for figure in shown_figures(stats)]

    assert values(before) and values(after) == values(before)
    assert after.average_hours == before.average_hours == Decimal("1.0")
    assert after.closed_count == 5

    # Four more: the next reading is over ten people, five more than the last one.
    for person in beneficiaries(organisation, consultant, 4):
        answered(
            closed_with_hours(consultant, person, 60), SatisfactionMoment.END, 4, recommendation=8
        )
    grown = indicators(people, organisation)
    assert grown.satisfaction[0].recommendation.people == 10
    assert grown.satisfaction[0].recommendation.value == pytest.approx(72 / 10)
    assert grown.closed_count == 10


def test_isolation_is_read_on_the_programme_outcomes_only(client, people, organisation):
    """One measure over two populations on two pages would let one subtract the other: the
    indicators page and its CSV give no isolation figure, only the way to the outcomes."""
    from tisser.assessments import isolation
    from tisser.assessments.services import isolation_check_record

    consultant = people["consultant"]
    for person in beneficiaries(organisation, consultant, 6):
        isolation_check_record(
            user=person, moment="start", answers={item.id: 3 for item in isolation.ITEMS}
        )

    assert not hasattr(indicators(people, organisation), "isolation")
    client.force_login(people["coordinator"])
    html = client.get(reverse("coordinator:bilans")).content.decode()
    assert 'href="/coordination/resultats/"' in html
    assert "Résultats du programme" in html
    assert "Score global moyen" not in html
    rows = csv_rows(client.get(reverse("coordinator:bilans_csv")))
    assert not [row for row in rows if "solement" in row[0]]
    assert len(rows) == len(bilan_stats_rows(indicators(people, organisation)))


# -- the mentorships' health (mentoring/health.py, /mentorat/coordination/sante/) ---------------


def rated(mentorship, author, rating, stage=Feedback.Stage.END):
    return Feedback.objects.create(
        mentorship=mentorship, author=author, stage=stage, rating=rating, going_well="secret"
    )


def test_one_mentor_s_private_rating_is_masked_on_the_health_page(client, people, organisation):
    """The walk of issue #17: « Note moyenne à la fin 2,0 / 5 » was one mentor's rating."""
    mentorship = start(organisation)
    rated(mentorship, mentorship.mentor.user, 2)

    assert not ratings(organisation)[Feedback.Stage.END].shown
    client.force_login(people["coordinator"])
    page = text_of(client.get(reverse("mentoring:health")))
    assert "masqué" in page
    assert "2,0" not in page


def test_ratings_hide_a_stage_of_one_to_four_people_and_no_mentorship_has_its_own(
    client, people, organisation
):
    mentorships = [start(organisation) for _ in range(5)]
    # The end: five mentors rate 1 to 5 (mean 3,0); after 30 days: three mentees rate 5.
    for value, mentorship in enumerate(mentorships, start=1):
        rated(mentorship, mentorship.mentor.user, value)
    for mentorship in mentorships[:3]:
        rated(mentorship, mentorship.mentee, 5, stage=Feedback.Stage.DAY_30)

    figures = ratings(organisation)

    assert figures[Feedback.Stage.END].shown and figures[Feedback.Stage.END].people == 5
    assert not figures[Feedback.Stage.DAY_30].shown
    assert figures[Feedback.Stage.DAY_30].people == 3
    client.force_login(people["coordinator"])
    page = text_of(client.get(reverse("mentoring:health")))
    assert "3,0 / 5" in page
    assert "masqué" in page
    # No one's own rating, no day-30 mean, no mean over both stages (3,75).
    for hidden in ("1,0", "2,0", "4,0", "5,0", "3,8", "3,7"):
        assert hidden not in page


def test_one_more_rating_never_moves_the_shown_mean(organisation):
    mentorships = [start(organisation) for _ in range(6)]
    for mentorship in mentorships[:5]:
        rated(mentorship, mentorship.mentor.user, 4)
    before = ratings(organisation)[Feedback.Stage.END]

    rated(mentorships[5], mentorships[5].mentor.user, 1)
    # A second rating by someone counted waits for five newcomers too.
    rated(mentorships[0], mentorships[0].mentee, 1)
    after = ratings(organisation)[Feedback.Stage.END]

    assert before.shown
    assert (after.value, after.people) == (before.value, before.people) == (4.0, 5)


# -- the peer groups' health (peers/health.py, /groupes/sante/) ---------------------------------


def checked_in(group, users, outcome):
    for user in users:
        commitment = peers.commitment_add(actor=user, group=group, text="secret")
        peers.commitment_check_in(actor=user, commitment=commitment, outcome=outcome)


def test_a_group_of_one_to_four_people_checked_in_is_masked_and_no_total_gives_it_back(
    client, people, organisation
):
    five = [member(Role.BENEFICIARY, organisation) for _ in range(5)]
    three = [member(Role.BENEFICIARY, organisation) for _ in range(3)]
    kept = peer_group(organisation, five, name="Les Boussoles")
    small = peer_group(organisation, three, name="Les Tisserands")
    checked_in(kept, five, "done")
    checked_in(small, three, "not_done")

    rows = {row.group.pk: row for row in health_rows(organisation)}

    assert rows[kept.pk].kept_percent == 100 and not rows[kept.pk].kept_withheld
    assert rows[small.pk].kept_percent is None and rows[small.pk].kept_withheld
    client.force_login(people["coordinator"])
    page = text_of(client.get(reverse("peers:health")))
    assert "Masqué" in page
    assert "100 %" in page
    # Neither the small group's 0 % nor a rate over both groups (5 of 8: 60 %).
    assert not re.search(r"(?<![\d,])(0|60|63) %", page)


def test_a_group_rate_moves_only_by_tens(organisation):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(6)]
    group = peer_group(organisation, users)
    checked_in(group, users[:5], "done")
    checked_in(group, users[5:], "partial")

    (row,) = health_rows(organisation)

    assert row.kept_percent == 90  # 5.5 of 6, to the nearest ten: never 92 %
    assert row.kept_percent % 10 == 0


# -- one mechanism ---------------------------------------------------------------------------


def test_no_page_hand_rolls_its_own_threshold():
    """A module that uses the rule takes it whole from `core.small_numbers`: it never compares
    a count with the threshold itself (a second mechanism would drift from the first)."""
    threshold = re.compile(
        r"[<>]=?\s*(MIN_PEOPLE|MIN_RESPONSES)\b|\b(MIN_PEOPLE|MIN_RESPONSES)\s*[<>]"
    )
    offenders = []
    for path in (ROOT / "tisser").rglob("*.py"):
        if path.name == "small_numbers.py" and path.parent.name == "core":
            continue
        source = path.read_text(encoding="utf-8")
        if "small_numbers" in source and threshold.search(source):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# -- the programme's outcomes (outcomes/loop.py, /coordination/resultats/) ----------------------


def _ended(organisation, month, start, end):
    from tisser.bilans.models import OutcomeRecord

    return OutcomeRecord.objects.create(
        organisation=organisation,
        ended_month=month,
        isolation_start=start,
        isolation_end=end,
        followed_up=False,
    )


def _mean_at_the_end(organisation, first, last):
    from tisser.outcomes.loop import loop_tables
    from tisser.outcomes.period import Period

    (isolation,) = [
        t for t in loop_tables(organisation, Period(first, last)) if t.key == "isolation"
    ]
    end = isolation.rows[0]
    assert end.label == "Fin du bilan"
    return end.cells[0].value, end.cells[2].value  # people, mean at the end


def test_two_periods_of_the_outcomes_differ_by_at_least_five_people(organisation):
    """Two readings of one measure are over the same people or differ by five at least:
    months with 1, 4 and 1 people give two periods of five that differ by two people only,
    and five times the difference of their means is the first person's score minus the
    last's."""
    from datetime import date

    _ended(organisation, date(2026, 1, 1), 50, 90)  # Anne
    for _ in range(4):
        _ended(organisation, date(2026, 2, 1), 50, 50)
    _ended(organisation, date(2026, 3, 1), 50, 10)  # Zoé

    _people_1, mean_1 = _mean_at_the_end(organisation, date(2026, 1, 1), date(2026, 2, 1))
    _people_2, mean_2 = _mean_at_the_end(organisation, date(2026, 2, 1), date(2026, 3, 1))

    # Either one reading is hidden, or they are the same people (the same mean).
    assert mean_1 is None or mean_2 is None or mean_1 == mean_2, (
        f"5 × ({mean_1} − {mean_2}) = Anne's score minus Zoé's"
    )


def test_views_cut_from_whole_blocks_differ_by_five_people_at_least():
    """`whole_blocks`: a view (months) of one sequence keeps the blocks of five wholly inside
    it, so that the sliding window of the test above no longer swaps one person for another."""
    from itertools import combinations

    from tisser.core.small_numbers import whole_blocks

    # People in the order their answers arrived, with the month their bilan ended.
    months = [1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 5, 5, 6, 6, 6]
    people = list(enumerate(months))
    views = [
        whole_blocks(people, lambda person, a=a, b=b: a <= person[1] <= b)
        for a in range(1, 7)
        for b in range(a, 7)
    ]
    assert whole_blocks(people, lambda person: person[1] <= 2) == people[:5]
    assert whole_blocks(people, lambda person: person[1] >= 2) == people[5:15]
    for one, other in combinations(views, 2):
        assert len(set(one) ^ set(other)) in (0, 5, 10, 15)
