from datetime import date, timedelta

import pytest

from tests.factories import member
from tests.network.network_rows import add_contact, add_interview, metier, moment
from tisser.core.enums import Role
from tisser.network.metrics import (
    WEEKS_SHOWN,
    NetworkMetrics,
    network_metrics,
    network_weekly,
    sector_key,
)
from tisser.network.models import InformationalInterview, NetworkSnapshot, Stage

D1, D2, D3 = date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)  # three Mondays


@pytest.fixture
def owner(db):
    return member(Role.BENEFICIARY)


def test_an_empty_network_counts_nothing(owner):
    assert network_metrics(owner) == NetworkMetrics(0, 0, 0, 0)


def test_contacts_and_referrals_count_as_of_a_date(owner):
    # given Anne added on D1, Bruno introduced by Anne on D2, Chloé on D3
    anne = add_contact(owner, D1, "Anne")
    add_contact(owner, D2, "Bruno", introduced_by=anne)
    add_contact(owner, D3, "Chloé")

    # then each date counts what existed by its end
    assert network_metrics(owner, at=D1 - timedelta(days=1)).contacts == 0
    assert network_metrics(owner, at=D1) == NetworkMetrics(1, 0, 0, 0)
    assert network_metrics(owner, at=D2) == NetworkMetrics(2, 0, 1, 0)
    assert network_metrics(owner, at=moment(D3, 11)).contacts == 2
    assert network_metrics(owner, at=moment(D3, 12)).contacts == 3
    assert network_metrics(owner).contacts == 3


def test_a_referral_stays_when_the_introducer_is_deleted(owner):
    anne = add_contact(owner, D1, "Anne")
    add_contact(owner, D1, "Bruno", introduced_by=anne)

    anne.delete()

    assert network_metrics(owner) == NetworkMetrics(1, 0, 1, 0)


@pytest.mark.parametrize(
    ("steps", "at", "done"),
    [
        ([(Stage.MESSAGE_SENT, D1), (Stage.INTERVIEW_DONE, D2)], D1, 0),
        ([(Stage.MESSAGE_SENT, D1), (Stage.INTERVIEW_DONE, D2)], D2, 1),
        ([(Stage.INTERVIEW_DONE, D1), (Stage.THANKED, D2)], D3, 1),
        ([(Stage.MEETING_SET, D1), (Stage.NEXT_STEP, D2)], D2, 1),
        # taken back: done on D1, back to "rendez-vous fixé" on D2
        ([(Stage.INTERVIEW_DONE, D1), (Stage.MEETING_SET, D2)], D1, 1),
        ([(Stage.INTERVIEW_DONE, D1), (Stage.MEETING_SET, D2)], D3, 0),
    ],
)
def test_interviews_done_follow_their_dated_steps(owner, steps, at, done):
    add_interview(add_contact(owner, D1), steps)

    assert network_metrics(owner, at=at).interviews_done == done


def test_an_enquete_without_dated_steps_counts_from_its_current_stage(owner):
    contact = add_contact(owner, D1)
    InformationalInterview.objects.create(
        owner=owner, contact=contact, stage=Stage.THANKED, stage_changed_at=moment(D2)
    )

    assert network_metrics(owner, at=D1).interviews_done == 0
    assert network_metrics(owner, at=D2).interviews_done == 1


@pytest.mark.parametrize(
    ("label", "key"),
    [(" Santé ", "sante"), ("SANTÉ", "sante"), ("E-commerce", "e commerce"), ("", "")],
)
def test_sector_labels_are_normalised(label, key):
    assert sector_key(label) == key


def test_distinct_sectors_prefer_the_fiche_domaine_and_ignore_blanks(owner):
    fiche = metier("M1805", "Systèmes d'information")
    add_contact(owner, D1, "A", sector="Santé")
    add_contact(owner, D1, "B", sector=" sante")
    add_contact(owner, D1, "C", metier=fiche, sector="Banque")  # the fiche wins
    add_contact(owner, D1, "D", sector="systemes d'information")  # same as the fiche's
    add_contact(owner, D1, "E")

    assert network_metrics(owner).sectors == 2


def test_only_the_owners_network_is_measured(owner):
    other = member(Role.BENEFICIARY)
    add_contact(other, D1)

    assert network_metrics(owner).contacts == 0


@pytest.mark.parametrize("size", [1, 25])
def test_metrics_read_in_three_queries_whatever_the_size(owner, size, django_assert_num_queries):
    for i in range(size):
        contact = add_contact(owner, D1, f"N{i}", metier=metier(f"K{1000 + i}") if i % 2 else None)
        add_interview(contact, [(Stage.MESSAGE_SENT, D1), (Stage.INTERVIEW_DONE, D2)])

    with django_assert_num_queries(3):
        network_metrics(owner)


def test_weekly_figures_are_measured_back_to_the_first_contact(owner):
    # given a network started three weeks ago and never snapshotted
    anne = add_contact(owner, D1, "Anne")
    add_contact(owner, D2, "Bruno", introduced_by=anne)
    add_interview(anne, [(Stage.INTERVIEW_DONE, D3 + timedelta(days=1))])

    weeks = network_weekly(owner, now=moment(D3 + timedelta(days=2)))

    assert [(w.week, w.metrics, w.recorded) for w in weeks] == [
        (D1, NetworkMetrics(1, 0, 0, 0), False),
        (D2, NetworkMetrics(2, 0, 1, 0), False),
        (D3, NetworkMetrics(2, 1, 1, 0), False),
    ]


def test_a_snapshot_taken_at_the_time_wins_over_a_past_week_measured_now(owner):
    add_contact(owner, D2, "Anne")
    NetworkSnapshot.objects.create(
        owner=owner, week=D1, contacts=4, interviews_done=2, referrals=1, sectors=3
    )
    # the current week is always measured now, even with a snapshot
    NetworkSnapshot.objects.create(
        owner=owner, week=D3, contacts=9, interviews_done=9, referrals=9, sectors=9
    )

    weeks = network_weekly(owner, now=moment(D3 + timedelta(days=1)))

    assert [(w.week, w.metrics.contacts, w.recorded) for w in weeks] == [
        (D1, 4, True),
        (D2, 1, False),
        (D3, 1, False),
    ]


def test_the_chart_keeps_the_last_weeks_only(owner):
    add_contact(owner, D1 - timedelta(weeks=200))

    weeks = network_weekly(owner, now=moment(D1))

    assert len(weeks) == WEEKS_SHOWN
    assert weeks[-1].week == D1


def test_no_contact_and_no_snapshot_means_no_weeks(owner):
    assert network_weekly(owner) == []
