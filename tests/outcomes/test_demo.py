"""The demo's programme cohort (issue #17, point 6): enough people with checks, networks,
mentors and groups over time that every outcome figure shows, some of them already recorded
anonymously by the destruction of their bilans' documents; Camille's path dated inside her
bilan. Seeding twice adds nothing."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from tests.fixtures.rome_fixture import FIXTURE
from tisser.accounts.demo import demo_email
from tisser.accounts.models import User
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Bilan, KeepAgreement, OutcomeRecord, Phase, SatisfactionResponse
from tisser.mentoring.models import Mentorship
from tisser.network.models import Contact, InformationalInterview, StageEvent
from tisser.outcomes.demo import COHORT, COHORT_SIZE, isolation_answers, research_answers
from tisser.peers.models import Commitment, PeerGroup, PeerGroupMember

MOMENTS = IsolationCheck.Moment
MIN_PEOPLE = 5


@pytest.mark.parametrize("target", [10, 30, 50, 70, 95])
def test_demo_answers_come_near_the_score_aimed_at(target):
    assert abs(isolation.score(isolation_answers(target))["overall"] - target) <= 8
    research = research_answers(target)
    assert 1 <= research["lonely_frequency"] <= 5
    assert all(1 <= research[f"loneliness_{n}"] <= 3 for n in (1, 2, 3))
    assert research_answers(90)["lonely_frequency"] > research_answers(20)["lonely_frequency"]


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Bilan,
            IsolationCheck,
            KeepAgreement,
            SatisfactionResponse,
            OutcomeRecord,
            Contact,
            InformationalInterview,
            Mentorship,
            PeerGroup,
            Commitment,
        )
    }


@pytest.fixture
def seeded(db):
    call_command("import_rome", str(FIXTURE), verbosity=0)
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    return first


def test_the_cohort_gives_every_outcome_figure_enough_people(seeded):
    assert _counts() == seeded  # seeding twice adds nothing
    emails = [demo_email(first, last) for first, last in COHORT]
    people = User.objects.filter(email__in=emails)
    assert people.count() == COHORT_SIZE
    bilans = Bilan.objects.filter(beneficiary__in=people)
    assert bilans.filter(status=Phase.CLOSED).count() >= 25
    assert bilans.filter(outcome="completed").count() >= 20
    assert bilans.exclude(outcome="completed").count() >= 3

    # ended over fourteen months: the last semester and the one before hold 5 people each
    today = timezone.localdate()
    ends = [timezone.localdate(at) for at in bilans.values_list("closed_at", flat=True)]
    semester = today - relativedelta(months=6)
    assert sum(semester <= end for end in ends) >= MIN_PEOPLE
    assert sum(semester - relativedelta(months=6) <= end < semester for end in ends) >= MIN_PEOPLE
    assert min(ends) < today - relativedelta(months=13)

    # isolation at every moment, live (an agreement keeps the checks) or recorded
    live = {
        moment: set(
            IsolationCheck.objects.filter(user__in=people, moment=moment).values_list(
                "user", flat=True
            )
        )
        for moment in MOMENTS.values
    }
    records = OutcomeRecord.objects.filter(organisation=bilans.first().organisation)
    assert records.count() >= 10
    assert records.filter(outcome="completed").exclude(isolation_end=None).count() >= MIN_PEOPLE
    followed = (
        len(live[MOMENTS.PLUS_3_MONTHS] & live[MOMENTS.PLUS_6_MONTHS])
        + records.exclude(isolation_plus_3_months=None)
        .exclude(isolation_plus_6_months=None)
        .count()
    )
    assert followed >= MIN_PEOPLE
    # the live follow-up checks rest on an agreement given before the end
    for agreement in KeepAgreement.objects.filter(bilan__in=bilans).select_related("bilan"):
        assert agreement.given_at < agreement.bilan.closed_at
        assert "isolation_checks" in agreement.kinds
    # most improve, some do not
    pairs = list(
        records.exclude(isolation_end=None).values_list("isolation_start", "isolation_end")
    )
    assert sum(end < start for start, end in pairs) > len(pairs) / 2
    assert any(end >= start for start, end in pairs)

    # networks at three paces, each for at least 5 people
    sizes = [Contact.objects.filter(owner=person).count() for person in people]
    assert sum(size <= 2 for size in sizes) >= MIN_PEOPLE
    assert sum(3 <= size <= 6 for size in sizes) >= MIN_PEOPLE
    assert sum(size >= 7 for size in sizes) >= MIN_PEOPLE
    assert Contact.objects.filter(owner__in=people, introduced_by__isnull=False).count() >= 10
    assert StageEvent.objects.filter(interview__owner__in=people, stage="interview_done").exists()

    # with and without a mentor, with and without a group: 5 people at least each
    mentored = set(Mentorship.objects.filter(mentee__in=people).values_list("mentee", flat=True))
    grouped = set(
        PeerGroupMember.objects.filter(user__in=people, accepted_at__isnull=False).values_list(
            "user", flat=True
        )
    )
    for part in (mentored, grouped):
        assert MIN_PEOPLE <= len(part) <= COHORT_SIZE - MIN_PEOPLE
    # mentorships begin after the bilan; groups met in the last six weeks; commitments checked
    for mentorship in Mentorship.objects.filter(mentee__in=people):
        bilan = bilans.get(beneficiary=mentorship.mentee)
        assert bilan.closed_at < mentorship.started_at <= timezone.now()
    recent = timezone.now() - timedelta(weeks=6)
    met = [
        group
        for group in PeerGroup.objects.filter(members__user__in=people).distinct()
        if group.series.occurrences.filter(start__gte=recent, start__lt=timezone.now()).exists()
    ]
    assert met
    assert Commitment.objects.filter(user__in=people, checked_in_at__isnull=False).exists()
    assert SatisfactionResponse.objects.filter(bilan__in=bilans).count() >= 20


def test_camilles_checks_and_contacts_follow_her_bilan(seeded):
    camille = User.objects.get(email="camille.roussel@demo.tisser.fr")
    bilan = Bilan.objects.get(beneficiary=camille)
    checks = list(IsolationCheck.objects.filter(user=camille).order_by("created_at"))
    overall = [check.scores["overall"] for check in checks]
    assert len(checks) == 3 and overall[0] >= 90 and overall == sorted(overall, reverse=True)
    assert overall[-1] <= 55
    assert all(bilan.opened_at <= check.created_at <= timezone.now() for check in checks)
    contacts = Contact.objects.filter(owner=camille)
    for contact in contacts:
        assert contact.created_at >= bilan.opened_at
        if contact.introduced_by is not None:
            assert contact.introduced_by.created_at <= contact.created_at
        for at in StageEvent.objects.filter(interview__contact=contact).values_list(
            "at", flat=True
        ):
            assert contact.created_at <= at
    done = StageEvent.objects.filter(interview__owner=camille, stage="interview_done")
    assert done.count() == 1 and done.get().at >= bilan.opened_at


def test_the_programme_figures_of_the_last_twelve_months_show(seeded):
    """Under the blocks-of-five rule (ADR 0013, ADR 0032), the demo's isolation figures at
    every moment, their spread, the network, its thirds and the with/without breakdowns all
    show for the last twelve months and for the semester before the last one (the research
    measures show once the questionnaire asks them)."""
    from tisser.accounts.models import Organisation
    from tisser.outcomes.loop import loop_tables
    from tisser.outcomes.period import Period

    organisation = Organisation.objects.get(slug="horizons-bilans")
    today = timezone.localdate()
    last = today.replace(day=1)
    for period in (
        Period.last_months(today, 12),
        Period(last - relativedelta(months=11), last - relativedelta(months=6)),
    ):
        tables = {table.key: table for table in loop_tables(organisation, period)}
        # (table, how many cells of each row must show: the paired change's last one is the
        # response rate, checked below)
        withheld = {
            key: [
                row.label
                for row in tables[key].rows
                if any(cell.empty for cell in row.cells[: width or None])
            ]
            for key, width in (
                ("isolation", -1),
                ("isolation_spread", 0),
                ("network", 1),
                ("loop_network", 0),
                ("loop_support", 0),
            )
        }
        assert withheld == {key: [] for key in withheld}, period
        responses = [row.cells[-1] for row in tables["isolation"].rows]
        assert not any(cell.empty for cell in responses), period
