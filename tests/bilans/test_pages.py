from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bilans.test_services import consented, plan
from tests.factories import member
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Funding, Phase
from tisser.core.enums import Role


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def test_the_consultant_opens_a_bilan_for_a_beneficiary_they_invited(client, people, organisation):
    client.force_login(people["consultant"])
    # A name no factory produces: a random one could also be the invited person's.
    stranger = member(Role.BENEFICIARY, organisation, user__last_name="Zéphyrin-Inconnu")

    html = client.get(reverse("bilans:open")).content.decode()
    assert people["beneficiary"].email in html or people["beneficiary"].last_name in html
    assert stranger.last_name not in html
    assert "Employeur (plan de développement des compétences)" in html

    response = client.post(
        reverse("bilans:open"),
        {
            "beneficiary": people["beneficiary"].pk,
            "funding": Funding.EMPLOYER,
            "funder_name": "Transports Garonne SA",
            "price_euros": "1800",
        },
    )

    bilan = Bilan.objects.get()
    assert response["Location"] == reverse("bilans:detail", args=[bilan.pk])
    assert bilan.funding == Funding.EMPLOYER
    assert (bilan.funder_name, bilan.price_euros) == ("Transports Garonne SA", Decimal("1800"))


def test_an_incomplete_open_form_keeps_the_input_and_says_what_is_missing(client, people):
    client.force_login(people["consultant"])

    response = client.post(reverse("bilans:open"), {"beneficiary": people["beneficiary"].pk})

    html = response.content.decode()
    assert 'id="id_funding_error"' in html
    assert f'value="{people["beneficiary"].pk}" selected' in html
    assert not Bilan.objects.exists()


def test_a_second_open_bilan_is_refused_on_the_page(client, people, bilan):
    client.force_login(people["consultant"])

    response = client.post(
        reverse("bilans:open"),
        {"beneficiary": people["beneficiary"].pk, "funding": Funding.CPF, "price_euros": "1500"},
    )

    assert "déjà un bilan en cours" in response.content.decode()
    assert Bilan.objects.count() == 1


def test_the_detail_shows_phases_consent_and_hours(client, people, bilan):
    plan(bilan, count=2, minutes=90)
    client.force_login(people["consultant"])

    html = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()

    assert "Phase préliminaire" in html and 'aria-current="step"' in html
    assert "Pas encore donné" in html
    assert "3 h" in html and "21 h sur 24 h au plus" in html
    assert "Prochain entretien" in html
    assert "Passer à la phase suivante" in html


def test_the_phase_button_needs_consent_then_advances(client, people, bilan):
    client.force_login(people["consultant"])
    url = reverse("bilans:phase_advance", args=[bilan.pk])
    data = {"to_phase": Phase.INVESTIGATION, "version": bilan.version}

    html = client.post(url, data, follow=True).content.decode()
    assert "avant que la personne ait donné son consentement" in html
    consented(bilan)

    client.post(url, data)

    bilan.refresh_from_db()
    assert bilan.status == Phase.INVESTIGATION
    # The same click again (a stale page) changes nothing.
    html = client.post(url, data, follow=True).content.decode()
    assert "vient d&#x27;être modifié" in html
    bilan.refresh_from_db()
    assert bilan.status == Phase.INVESTIGATION


def test_planning_sessions_past_24_hours_keeps_the_input_and_explains(client, people, bilan):
    plan(bilan, count=23, minutes=60)
    client.force_login(people["consultant"])
    day = (timezone.localdate() + timedelta(days=300)).isoformat()

    response = client.post(
        reverse("bilans:sessions_plan", args=[bilan.pk]),
        {
            "sessions-date": day,
            "sessions-start_time": "10:00",
            "sessions-duration_minutes": "90",
            "sessions-count": "1",
            "sessions-mode": "phone",
            "sessions-location": "01 23 45 67 89",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce bilan atteindrait 24,5 h : la loi limite un bilan à 24 heures." in html
    assert 'value="01 23 45 67 89"' in html and f'value="{day}"' in html
    assert bilan.sessions.count() == 1


def test_planning_sessions(client, people, bilan):
    client.force_login(people["consultant"])
    day = (timezone.localdate() + timedelta(days=7)).isoformat()

    response = client.post(
        reverse("bilans:sessions_plan", args=[bilan.pk]),
        {
            "sessions-date": day,
            "sessions-start_time": "10:00",
            "sessions-duration_minutes": "120",
            "sessions-count": "3",
            "sessions-mode": "on_site",
            "sessions-location": "Salle 2",
        },
    )

    assert response.status_code == 302
    assert bilans.bilan_hours(bilan).planned == 6


def test_the_beneficiary_reads_the_consent_and_gives_it(client, people, bilan):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("bilans:mine")).content.decode()
    assert "ni une faute" in html
    assert "Phase préliminaire" in html

    client.post(reverse("bilans:consent_give", args=[bilan.pk]), {"text_version": consent.VERSION})

    bilan.refresh_from_db()
    assert bilan.consent.accepted_by == people["beneficiary"]
    html = client.get(reverse("bilans:mine")).content.decode()
    assert "Relire le texte accepté" in html


def test_a_beneficiary_without_a_bilan_is_told_so(client, people):
    client.force_login(people["beneficiary"])
    assert "pas encore ouvert votre bilan" in client.get(reverse("bilans:mine")).content.decode()


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "coordinator"])
def test_only_the_consultant_reaches_the_detail(client, people, bilan, role):
    client.force_login(people[role])
    assert client.get(reverse("bilans:detail", args=[bilan.pk])).status_code == 404


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_the_beneficiary_consents_through_the_page(client, people, bilan, role):
    client.force_login(people[role])
    response = client.post(
        reverse("bilans:consent_give", args=[bilan.pk]), {"text_version": consent.VERSION}
    )
    assert response.status_code == 404


def test_homes_link_to_the_bilan(client, people, bilan):
    client.force_login(people["consultant"])
    html = client.get(reverse("consultant:home")).content.decode()
    assert reverse("bilans:detail", args=[bilan.pk]) in html

    client.force_login(people["beneficiary"])
    assert reverse("bilans:mine") in client.get(reverse("beneficiary:home")).content.decode()


def test_the_consultant_home_lists_beneficiaries_in_a_fixed_number_of_queries(
    client, people, organisation, django_assert_max_num_queries
):
    for _ in range(5):
        member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    client.force_login(people["consultant"])
    with django_assert_max_num_queries(15):
        client.get(reverse("consultant:home"))
