"""The CPF pages: the consultant's dossier form, the coordinator's list, dossier page and
service-fait export read back."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, CpfDossier, EndReason, Funding, Outcome, Phase
from tisser.bilans.services import cpf
from tisser.core.enums import Role


def cpf_bilan(people, beneficiary=None) -> Bilan:
    return bilans.bilan_open(
        consultant=people["consultant"],
        beneficiary=beneficiary or people["beneficiary"],
        funding=Funding.CPF,
    )


def form_data(**overrides):
    today = timezone.localdate()
    return {
        "number": "7845120396",
        "planned_entry_on": today.isoformat(),
        "planned_exit_on": (today + timedelta(weeks=10)).isoformat(),
        "entry_on": today.isoformat(),
        "entry_declared_on": "",
        "exit_declared_on": "",
        "service_fait_declared_on": "",
        "version": "0",
        **overrides,
    }


def interrupted(people, organisation, number="7903318472") -> Bilan:
    person = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    person.first_name, person.last_name = "Élodie", "Gauthier"
    person.save()
    bilan = cpf_bilan(people, person)
    cpf.cpf_dossier_save(
        actor=people["consultant"],
        bilan=bilan,
        expected_version=0,
        values={
            "number": number,
            "planned_entry_on": timezone.localdate() - timedelta(days=40),
            "planned_exit_on": timezone.localdate(),
            "entry_on": None,
            "entry_declared_on": None,
            "exit_declared_on": None,
            "service_fait_declared_on": None,
        },
    )
    Bilan.objects.filter(pk=bilan.pk).update(
        status=Phase.CLOSED,
        closed_at=timezone.now() - timedelta(days=1),
        outcome=Outcome.INTERRUPTED,
        end_reason=EndReason.ABSENCE,
        hours_done=Decimal("9"),
    )
    return bilan


def test_the_bilan_page_shows_the_cpf_deadlines(client, people):
    bilan = cpf_bilan(people)
    client.force_login(people["consultant"])
    body = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    assert "Dossier CPF" in body
    assert "Numéro de dossier à saisir." in body
    assert reverse("bilans:cpf_dossier", args=[bilan.pk]) in body


def test_no_cpf_card_on_another_funding(client, people):
    bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.PERSONAL
    )
    client.force_login(people["consultant"])
    assert (
        "Dossier CPF" not in client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    )
    assert client.get(reverse("bilans:cpf_dossier", args=[bilan.pk])).status_code == 404


def test_the_consultant_saves_the_dossier(client, people):
    bilan = cpf_bilan(people)
    client.force_login(people["consultant"])
    url = reverse("bilans:cpf_dossier", args=[bilan.pk])
    response = client.post(url, form_data(number="78 451 203 96"))
    assert response.status_code == 302
    assert CpfDossier.objects.get(bilan=bilan).number == "7845120396"


def test_a_bad_number_is_said_next_to_the_field_and_kept(client, people):
    bilan = cpf_bilan(people)
    client.force_login(people["consultant"])
    response = client.post(reverse("bilans:cpf_dossier", args=[bilan.pk]), form_data(number="AB12"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "chiffres seulement" in body
    assert 'value="AB12"' in body
    assert not CpfDossier.objects.exists()


def test_a_conflict_shows_both_versions(client, people):
    bilan = cpf_bilan(people)
    client.force_login(people["consultant"])
    url = reverse("bilans:cpf_dossier", args=[bilan.pk])
    client.post(url, form_data())
    client.post(url, form_data(number="1111111111", version="1"))
    response = client.post(url, form_data(number="2222222222", version="1"))
    assert response.status_code == 409
    assert "1111111111" in response.content.decode()
    assert CpfDossier.objects.get().number == "1111111111"


def test_the_coordinator_lists_overdue_dossiers_first(
    client, people, organisation, django_assert_max_num_queries
):
    late = interrupted(people, organisation)
    Bilan.objects.filter(pk=late.pk).update(closed_at=timezone.now() - timedelta(days=10))
    recent = cpf_bilan(people)
    client.force_login(people["coordinator"])
    client.get(reverse("coordinator:cpf"))  # the session and membership are loaded once
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coordinator:cpf"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Élodie Gauthier") < body.index(str(recent.beneficiary.get_full_name()))
    assert "En retard" in body


def test_the_coordinator_records_a_declaration(client, people, organisation):
    bilan = interrupted(people, organisation)
    dossier = CpfDossier.objects.get(bilan=bilan)
    client.force_login(people["coordinator"])
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("coordinator:cpf_dossier", args=[bilan.pk]),
        form_data(
            number=dossier.number,
            planned_entry_on=dossier.planned_entry_on.isoformat(),
            planned_exit_on=dossier.planned_exit_on.isoformat(),
            entry_on="",
            entry_declared_on=today,
            exit_declared_on=today,
            service_fait_declared_on=today,
            version=str(dossier.version),
        ),
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.service_fait_declared_on == date.fromisoformat(today)


def test_another_organisations_dossier_is_a_404(client, people):
    outsider = member(Role.CONSULTANT)
    other = outsider.memberships.get().organisation
    foreign = bilans.bilan_open(
        consultant=outsider,
        beneficiary=member(Role.BENEFICIARY, other, invited_by=outsider),
        funding=Funding.CPF,
    )
    client.force_login(people["coordinator"])
    assert client.get(reverse("coordinator:cpf_dossier", args=[foreign.pk])).status_code == 404


def test_the_service_fait_export_reads_back(client, people, organisation):
    bilan = interrupted(people, organisation)
    client.force_login(people["coordinator"])
    start = (timezone.localdate() - timedelta(days=7)).isoformat()
    end = timezone.localdate().isoformat()

    page = client.get(reverse("coordinator:cpf_service_fait"), {"start": start, "end": end})
    assert page.status_code == 200
    assert "7903318472" in page.content.decode()

    response = client.get(reverse("coordinator:cpf_service_fait_csv"), {"start": start, "end": end})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:8] == [
        "Numéro de dossier",
        "Bénéficiaire",
        "Entrée effective",
        "Sortie effective",
        "Durée prévue (heures)",
        "Heures réalisées",
        "Heures non réalisées",
        "Taux de réalisation (%)",
    ]
    assert len(rows) == 2
    line = rows[1]
    exit_on = timezone.localdate(Bilan.objects.get(pk=bilan.pk).closed_at)
    assert line[:4] == [
        "7903318472",
        "Élodie Gauthier",
        timezone.localdate(bilan.opened_at).strftime("%d/%m/%Y"),
        exit_on.strftime("%d/%m/%Y"),
    ]
    assert line[4:11] == [
        "24",
        "9",
        "15",
        "38",
        "partielle",
        "Absence",
        "Stagiaire : absence sans rattrapage",
    ]


def test_a_period_ending_before_it_starts_is_refused(client, people):
    client.force_login(people["coordinator"])
    response = client.get(
        reverse("coordinator:cpf_service_fait"), {"start": "2025-05-10", "end": "2025-05-01"}
    )
    assert response.status_code == 400
    assert "ne peut pas précéder" in response.content.decode()
