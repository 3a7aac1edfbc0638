from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import advance_to, closed_bilan, entretiens, held, open_bilan
from tests.factories import member
from tisser.assessments import isolation
from tisser.assessments.services import isolation_check_record
from tisser.bilans import services as bilans
from tisser.bilans.caseload import consultant_caseload
from tisser.bilans.models import Phase
from tisser.core.enums import Role


def caseload_of(consultant, organisation, n):
    """`n` beneficiaries with an open bilan each, entretiens, an attended one and a check."""
    result = []
    for index in range(n):
        person = member(Role.BENEFICIARY, organisation, invited_by=consultant)
        bilan = open_bilan(consultant, person)
        past, *_ = entretiens(bilan, count=2, minutes=60, days=index + 1)
        held(past)
        isolation_check_record(
            user=person, moment="start", answers={item.id: 4 for item in isolation.ITEMS}
        )
        result.append(bilan)
    return result


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_caseload_page_does_not_grow_with_the_number_of_bilans(client, people, organisation):
    consultant = people["consultant"]
    caseload_of(consultant, organisation, 1)
    client.force_login(consultant)
    url = reverse("consultant:home")
    client.get(url)  # the first request of a session does its own bookkeeping
    one = queries_for(client, url)

    caseload_of(consultant, organisation, 9)
    ten = queries_for(client, url)

    assert ten == one
    assert ten <= 14


def test_each_row_carries_phase_hours_next_session_isolation_and_activity(people, organisation):
    consultant = people["consultant"]
    (bilan,) = caseload_of(consultant, organisation, 1)

    (row,) = consultant_caseload(consultant)

    assert row.bilan == bilan
    assert row.hours == bilans.bilan_hours(bilan)
    assert row.next_session_start > timezone.now()
    expected = isolation.score({item.id: 4 for item in isolation.ITEMS})[isolation.OVERALL]
    assert row.isolation_score == expected
    band = isolation.band_of(expected)
    assert str(row.isolation_band_label) == str(isolation.BAND_LABELS[band])
    assert row.last_activity >= bilan.opened_at


def test_the_soonest_next_session_comes_first_then_the_most_recent_activity(people, organisation):
    consultant = people["consultant"]
    later, sooner, none = (
        open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
        for _ in range(3)
    )
    entretiens(later, days=10)
    entretiens(sooner, days=2)

    order = [row.bilan for row in consultant_caseload(consultant)]

    assert order == [sooner, later, none]


def test_closed_bilans_and_colleagues_bilans_are_not_in_the_caseload(people, organisation):
    consultant = people["consultant"]
    closed_bilan(consultant, people["beneficiary"])
    colleague = member(Role.CONSULTANT, organisation)
    open_bilan(colleague, member(Role.BENEFICIARY, organisation, invited_by=colleague))

    assert consultant_caseload(consultant) == []


@pytest.mark.parametrize(
    ("phase", "expected"),
    [("", 2), (Phase.PRELIMINARY, 1), (Phase.INVESTIGATION, 1), (Phase.CONCLUSION, 0)],
)
def test_the_caseload_filters_by_phase(client, people, organisation, phase, expected):
    consultant = people["consultant"]
    open_bilan(consultant, people["beneficiary"])
    advance_to(
        open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant)),
        Phase.INVESTIGATION,
    )
    client.force_login(consultant)

    response = client.get(reverse("consultant:home"), {"phase": phase})

    assert len(response.context["caseload"]) == expected
    html = response.content.decode()
    assert "Bénéficiaires inscrits" in html  # the former content stays


def test_last_activity_follows_the_beneficiarys_own_actions(people, organisation):
    consultant = people["consultant"]
    bilan = open_bilan(consultant, people["beneficiary"])
    before = consultant_caseload(consultant)[0].last_activity
    later = timezone.now() + timedelta(days=3)

    from freezegun import freeze_time

    with freeze_time(later):
        isolation_check_record(
            user=people["beneficiary"],
            moment="start",
            answers={item.id: 1 for item in isolation.ITEMS},
        )

    after = consultant_caseload(consultant)[0].last_activity
    assert bilan.opened_at <= before < after
    assert abs((after - later).total_seconds()) < 5
