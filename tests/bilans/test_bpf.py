"""The bilans' BPF figures: sums against hand-made data, the funder lines, constant queries,
and the coordinator's pages and CSV."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import member
from tisser.bilans.models import Bilan, BilanSession, Funding, Phase
from tisser.bilans.services.bpf import BpfLine, bpf_compute, bpf_line
from tisser.core.enums import Role
from tisser.meetings.models import (
    Attendance,
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)

PARIS = ZoneInfo("Europe/Paris")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def bilan(people, organisation, *, funding, opened, closed=None, price=None, funder="", who=None):
    beneficiary = who or member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    return Bilan.objects.create(
        organisation=organisation,
        beneficiary=beneficiary,
        consultant=people["consultant"],
        funding=funding,
        funder_name=funder,
        price_euros=price,
        opened_at=opened,
        closed_at=closed,
        status=Phase.CLOSED if closed else Phase.INVESTIGATION,
    )


def entretien(b: Bilan, start: datetime, minutes: int, *, present=True) -> Occurrence:
    series = MeetingSeries.objects.create(
        organisation=b.organisation,
        kind=MeetingKind.BILAN_SESSION,
        title="Entretien",
        created_by=b.consultant,
        first_start=start,
        mode=MeetingMode.ON_SITE,
    )
    SeriesParticipant.objects.create(
        series=series, user=b.beneficiary, role=SeriesParticipant.ParticipantRole.PARTICIPANT
    )
    BilanSession.objects.create(bilan=b, series=series)
    occurrence = Occurrence.objects.create(
        series=series,
        original_start=start,
        start=start,
        end=start + timedelta(minutes=minutes),
        mode=MeetingMode.ON_SITE,
    )
    if present:
        Attendance.objects.create(
            occurrence=occurrence,
            user=b.beneficiary,
            status=Attendance.Status.PRESENT,
            recorded_by=b.consultant,
        )
    return occurrence


@pytest.fixture
def year_2025(people, organisation):
    """Hand-made: two CPF bilans (one across New Year), an employer bilan paid by its OPCO, an
    employer bilan paid by the company, a self-funded one ended the year before, and the
    same person with two bilans in 2025."""
    cpf_a = bilan(
        people,
        organisation,
        funding=Funding.CPF,
        opened=at(2025, 2, 3, 9),
        closed=at(2025, 4, 30, 17),
        price=Decimal("1800"),
        funder="Caisse des Dépôts",
    )
    entretien(cpf_a, at(2025, 2, 4, 10), 120)
    entretien(cpf_a, at(2025, 3, 4, 10), 90)
    entretien(cpf_a, at(2025, 3, 11, 10), 60, present=False)  # missed: no hours
    cpf_b = bilan(
        people,
        organisation,
        funding=Funding.CPF,
        opened=at(2024, 12, 2, 9),
        closed=at(2025, 1, 20, 17),
        price=Decimal("1500.50"),
        who=cpf_a.beneficiary,
    )
    entretien(cpf_b, at(2024, 12, 10, 10), 180)  # 2024: not in 2025's hours
    entretien(cpf_b, at(2025, 1, 14, 10), 120)
    opco = bilan(
        people,
        organisation,
        funding=Funding.EMPLOYER,
        opened=at(2025, 11, 3, 9),
        price=Decimal("2000"),
        funder="Opco Atlas",
    )
    entretien(opco, at(2025, 11, 4, 14), 150)
    bilan(
        people,
        organisation,
        funding=Funding.RECLASSEMENT,
        opened=at(2025, 9, 1, 9),
        closed=at(2025, 12, 12, 17),
        price=None,
        funder="Transports Garonne",
    )
    bilan(
        people,
        organisation,
        funding=Funding.PERSONAL,
        opened=at(2024, 3, 1, 9),
        closed=at(2024, 6, 1, 17),
        price=Decimal("1200"),
    )
    # Another organisation's bilan: never counted.
    outsider = member(Role.CONSULTANT)
    other = outsider.memberships.get().organisation
    Bilan.objects.create(
        organisation=other,
        beneficiary=member(Role.BENEFICIARY, other),
        consultant=outsider,
        funding=Funding.CPF,
        opened_at=at(2025, 3, 1),
        price_euros=Decimal("999"),
    )
    return cpf_a, cpf_b, opco


def lines_of(result):
    return {row.line: row.figures for row in result.lines}


def test_the_year_figures_add_up(people, organisation, year_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        result = bpf_compute(
            coordinator=people["coordinator"], organisation=organisation, year=2025
        )
    lines = lines_of(result)

    cpf = lines[BpfLine.CPF]
    assert (cpf.bilans, cpf.begun, cpf.ended, cpf.beneficiaries) == (2, 1, 2, 1)
    assert cpf.hours == Decimal("5.5")  # 2 h + 1.5 h + 2 h in 2025
    assert cpf.amount == Decimal("3300.50")

    opco = lines[BpfLine.OPCO]
    assert (opco.bilans, opco.begun, opco.ended, opco.hours, opco.amount) == (
        1,
        1,
        0,
        Decimal("2.5"),
        Decimal("0"),
    )
    employers = lines[BpfLine.EMPLOYERS]
    assert (employers.bilans, employers.ended, employers.ended_without_price) == (1, 1, 1)
    assert lines[BpfLine.INDIVIDUALS].bilans == 0

    total = result.total
    assert (total.bilans, total.beneficiaries, total.hours, total.amount) == (
        4,
        3,
        Decimal("8"),
        Decimal("3300.50"),
    )


def test_queries_do_not_grow_with_the_bilans(
    people, organisation, year_2025, django_assert_max_num_queries
):
    for index in range(6):
        extra = bilan(
            people,
            organisation,
            funding=Funding.OTHER,
            opened=at(2025, 5, 1 + index, 9),
            funder=f"Financeur {index}",
        )
        entretien(extra, at(2025, 5, 10 + index, 9), 60)
    with django_assert_max_num_queries(3):
        result = bpf_compute(
            coordinator=people["coordinator"], organisation=organisation, year=2025
        )
    assert lines_of(result)[BpfLine.OTHERS].bilans == 6


def test_only_a_coordinator_of_the_organisation(people, organisation):
    for actor in (people["consultant"], member(Role.COORDINATOR)):
        with pytest.raises(PermissionDenied):
            bpf_compute(coordinator=actor, organisation=organisation, year=2025)


@pytest.mark.parametrize(
    ("funding", "funder", "line"),
    [
        (Funding.CPF, "", BpfLine.CPF),
        (Funding.PERSONAL, "", BpfLine.INDIVIDUALS),
        (Funding.EMPLOYER, "Transports Garonne", BpfLine.EMPLOYERS),
        (Funding.EMPLOYER, "OPCO EP", BpfLine.OPCO),
        (Funding.RECLASSEMENT, "Akto", BpfLine.OPCO),
        (Funding.RECLASSEMENT, "Atlantique Logistique", BpfLine.EMPLOYERS),
        (Funding.OTHER, "L'Opcommerce", BpfLine.OPCO),
        (Funding.OTHER, "France Travail", BpfLine.OTHERS),
    ],
)
def test_funder_lines(funding, funder, line):
    assert bpf_line(funding, funder) == line


def test_the_page_and_the_csv(client, people, organisation, year_2025):
    client.force_login(people["coordinator"])
    page = client.get(reverse("coordinator:bpf"), {"year": 2025})
    assert page.status_code == 200
    assert "Compte personnel de formation (Caisse des Dépôts)" in page.content.decode()

    response = client.get(reverse("coordinator:bpf_csv"), {"year": 2025})
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Ligne du BPF"
    cpf = next(
        row for row in rows if row[0].startswith("Compte personnel") and row[1].startswith("Total")
    )
    assert cpf[3:] == ["2", "1", "2", "1", "5,5", "3300,5", "0"]
    assert rows[-1][0] == "Total"
    assert rows[-1][3:8] == ["4", "3", "3", "3", "8"]


def test_a_year_to_come_is_refused_with_a_message(client, people):
    client.force_login(people["coordinator"])
    response = client.get(reverse("coordinator:bpf"), {"year": 2999})
    assert response.status_code == 400
    assert "pas encore commencé" in response.content.decode()
    assert client.get(reverse("coordinator:bpf"), {"year": "deux"}).status_code == 400
