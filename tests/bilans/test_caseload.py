from datetime import timedelta
from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
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
from tisser.bilans.models import Phase, SatisfactionResponse
from tisser.core.enums import Role
from tisser.meetings.models import MeetingMode


def caseload_of(consultant, organisation, n, *, first_day=1):
    """`n` beneficiaries with an open bilan each, entretiens, an attended one and a check.
    Each bilan's two weekly entretiens fall in a fortnight of its own, from `first_day` days
    ahead: a consultant's entretiens never overlap (ADR 0022)."""
    result = []
    for index in range(n):
        person = member(Role.BENEFICIARY, organisation, invited_by=consultant)
        bilan = open_bilan(consultant, person)
        past, *_ = entretiens(bilan, count=2, minutes=60, days=first_day + 14 * index)
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

    caseload_of(consultant, organisation, 9, first_day=15)
    for _ in range(3):
        closed_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
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


def test_ended_bilans_stay_in_the_caseload_colleagues_bilans_do_not(people, organisation):
    consultant = people["consultant"]
    ended = closed_bilan(consultant, people["beneficiary"])
    colleague = member(Role.CONSULTANT, organisation)
    open_bilan(colleague, member(Role.BENEFICIARY, organisation, invited_by=colleague))

    (row,) = consultant_caseload(consultant)

    assert row.bilan == ended
    assert row.ended
    # nothing answered yet: the follow-up to propose, both questionnaires, the +6-month check
    labels = [str(due.label) for due in row.due]
    assert labels == [
        "Entretien de suivi à proposer",
        "Questionnaire de satisfaction de fin sans réponse",
        "Point à six mois",
    ]
    six_months = row.due[-1]
    assert six_months.on == timezone.localdate(ended.closed_at + relativedelta(months=6))
    assert not six_months.late


def test_an_answered_follow_up_leaves_the_list_of_what_is_due(people):
    consultant = people["consultant"]
    ended = closed_bilan(consultant, people["beneficiary"])
    start = timezone.now() + timedelta(days=180)
    bilans.followup_propose(
        consultant=consultant,
        bilan=ended,
        start=start,
        duration_minutes=60,
        mode=MeetingMode.VIDEO,
        location="visio",
    )

    (row,) = consultant_caseload(consultant)

    assert str(row.due[0].label) == "Entretien de suivi proposé"
    assert row.due[0].on == timezone.localdate(start)


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

    assert len(response.context["listing"].rows) == expected
    html = response.content.decode()
    assert "Bénéficiaires inscrits" in html  # the former content stays


def test_the_caseload_searches_filters_ended_and_sorts(client, people, organisation):
    consultant = people["consultant"]
    amandine = member(
        Role.BENEFICIARY,
        organisation,
        invited_by=consultant,
        user__first_name="Amandine",
        user__last_name="Zola",
    )
    ended = closed_bilan(consultant, amandine)
    running = open_bilan(consultant, people["beneficiary"])
    client.force_login(consultant)
    url = reverse("consultant:home")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [row.bilan for row in response.context["listing"].rows]

    assert listed() == [running, ended]  # open first
    assert listed(q="zol ama") == [ended]
    assert listed(statut="termines") == [ended]
    assert listed(statut="en-cours") == [running]
    assert listed(financement="employer") == []
    assert listed(tri="fin") == [ended, running]
    assert listed(tri="n'importe quoi") == [running, ended]  # a wrong sort is ignored
    html = client.get(url, {"statut": "termines"}).content.decode()
    assert reverse("bilans:followup", args=[ended.pk]) in html
    assert reverse("bilans:attestation_pdf", args=[ended.pk]) in html
    assert "Entretien de suivi à proposer" in html


def test_the_caseload_is_cut_in_pages(client, people, organisation, settings):
    from tisser.www.bilans import lists

    consultant = people["consultant"]
    for _ in range(3):
        open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
    client.force_login(consultant)
    original = lists.PER_PAGE
    lists.PER_PAGE = 2
    try:
        first = client.get(reverse("consultant:home"), {"statut": "en-cours"})
        second = client.get(reverse("consultant:home"), {"statut": "en-cours", "page": 2})
    finally:
        lists.PER_PAGE = original
    assert len(first.context["listing"].rows) == 2
    assert len(second.context["listing"].rows) == 1
    assert "statut=en-cours&amp;page=2" in first.content.decode()


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


def test_the_six_month_check_is_late_once_its_date_has_passed(people):
    from freezegun import freeze_time

    consultant = people["consultant"]
    ended = closed_bilan(consultant, people["beneficiary"])

    with freeze_time(ended.closed_at + relativedelta(months=7)):
        (row,) = consultant_caseload(consultant)
        (check,) = [due for due in row.due if str(due.label) == "Point à six mois"]
        assert check.late
        isolation_check_record(
            user=people["beneficiary"],
            moment="plus_6_months",
            answers={item.id: 3 for item in isolation.ITEMS},
        )
        (row,) = consultant_caseload(consultant)
        # the isolation check alone does not settle it: the questionnaire is still unanswered
        assert "Point à six mois" in [str(due.label) for due in row.due]
        for moment in ("end", "plus_6_months"):
            SatisfactionResponse.objects.create(
                bilan=ended, moment=moment, version="test", created_by=people["beneficiary"]
            )
        (row,) = consultant_caseload(consultant)
    assert [str(due.label) for due in row.due] == ["Entretien de suivi à proposer"]


# --- An ended bilan's hours, and the list's caption (issue 15, QA walk) ------------------


def test_an_ended_bilan_shows_its_hours_done_not_the_hours_still_possible(client, people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    (entretien,) = entretiens(bilan, minutes=240)
    held(entretien)
    bilan = advance_to(bilan, Phase.CLOSED)
    client.force_login(people["coordinator"])

    page = client.get(reverse("coordinator:bilan", args=[bilan.pk])).content.decode()

    assert "Heures encore possibles" not in page
    assert "Heures réalisées, arrêtées à la fin du bilan" in page
    assert "4 h réalisées à la fin du bilan" in page
    assert "4,0 h" not in page
    listing = client.get(reverse("coordinator:bilan_list"), {"statut": "termines"})
    assert "<caption>Bilans de l'organisme terminés</caption>" in unescape(listing.content.decode())
    everything = client.get(reverse("coordinator:bilan_list")).content.decode()
    assert "en cours et terminés</caption>" in everything


def test_the_registered_beneficiaries_come_in_pages_of_their_own(client, people, organisation):
    consultant = people["consultant"]
    client.force_login(consultant)
    url = reverse("consultant:home")
    client.get(url)  # the first request of a session does its own bookkeeping
    few = queries_for(client, url)

    for _ in range(29):
        member(Role.BENEFICIARY, organisation, invited_by=consultant)
    many = queries_for(client, url)
    first = client.get(url, {"tri": "nom"})
    second = client.get(url, {"tri": "nom", "inscrits": 2})

    assert many == few
    assert len(first.context["beneficiaries"]) == 25
    assert len(second.context["beneficiaries"]) == 5
    assert second.context["listing"].page.number == 1  # the caseload keeps its own page
    assert "tri=nom&amp;inscrits=2#beneficiaries-title" in first.content.decode()
