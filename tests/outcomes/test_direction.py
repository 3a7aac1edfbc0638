"""Which way a bilan goes, on the caseload (tisser.outcomes.direction)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bilans.helpers import open_bilan
from tests.factories import member
from tests.outcomes.story_helpers import check
from tisser.bilans.models import Bilan
from tisser.core.enums import Role
from tisser.network.models import Contact, HowKnown
from tisser.network.services import ContactData, contact_create
from tisser.outcomes.direction import IsolationTrend, caseload_directions, isolation_trend


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], IsolationTrend.UNMEASURED),
        ([80], IsolationTrend.UNMEASURED),
        ([80, 70], IsolationTrend.DOWN),
        ([80, 71], IsolationTrend.STABLE),
        ([60, 69, 40, 69], IsolationTrend.STABLE),
        ([60, 70], IsolationTrend.UP),
    ],
)
def test_a_change_counts_from_ten_points(scores, expected):
    assert isolation_trend(scores) == expected


def test_the_direction_reads_the_bilans_checks_and_the_last_four_weeks(people, organisation):
    consultant = people["consultant"]
    person = people["beneficiary"]
    bilan = open_bilan(consultant, person)
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=60))
    bilan.refresh_from_db()
    check(person, days_ago=200, answer=1)  # long before the bilan: not its start
    check(person, days_ago=59, answer=5)
    check(person, days_ago=2, answer=4)
    old = contact_create(owner=person, data=ContactData(last_name="A", how_known=HowKnown.OTHER))
    Contact.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    (direction,) = caseload_directions([bilan], consultant=consultant).values()
    assert (direction.isolation, direction.first, direction.last) == (
        IsolationTrend.DOWN,
        100,
        75,
    )
    assert not direction.network_growing
    assert direction.followed

    contact_create(owner=person, data=ContactData(last_name="B", how_known=HowKnown.OTHER))
    (direction,) = caseload_directions([bilan], consultant=consultant).values()
    assert direction.network_growing
    other = member(Role.CONSULTANT, organisation)
    assert not caseload_directions([bilan], consultant=other)[bilan.pk].followed
