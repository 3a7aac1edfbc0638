"""The pages of the bilan's funding, convention and contract: French messages next to the
fields, nothing typed lost, 404 for anyone else, the deadline shown to both parties."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.bilans.paperwork_helpers import (
    contract_written,
    convention_signed,
    convention_values,
    convention_written,
)
from tests.bilans.synthesis_helpers import preliminary_done
from tests.factories import member
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Contract, Convention, Funding, Phase
from tisser.core.enums import Role


def opened(people, funding=Funding.EMPLOYER) -> Bilan:
    bilan = bilans.bilan_open(
        consultant=people["consultant"],
        beneficiary=people["beneficiary"],
        funding=funding,
        price_euros=Decimal("1500"),
    )
    bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )
    preliminary_done(bilan)  # the paperwork alone gates these bilans
    bilan.refresh_from_db()
    return bilan


def form_data(values: dict, version: int, prefix: str = "") -> dict:
    data = {}
    for name, value in values.items():
        key = f"{prefix}-{name}" if prefix else name
        data[key] = "" if value is None else str(value)
    data[f"{prefix}-version" if prefix else "version"] = str(version)
    return data


def test_the_open_form_asks_for_funder_and_price_with_messages_next_to_them(client, people):
    client.force_login(people["consultant"])
    html = client.get(reverse("bilans:open")).content.decode()
    assert "Congé de reclassement" in html and 'name="price_euros"' in html

    response = client.post(
        reverse("bilans:open"),
        {
            "beneficiary": people["beneficiary"].pk,
            "funding": Funding.RECLASSEMENT,
            "funder_name": "Airbus",
            "price_euros": "-4",
        },
    )

    html = response.content.decode()
    assert 'id="id_price_euros_error"' in html
    assert "Le prix ne peut pas être négatif." in html
    assert 'value="Airbus"' in html
    assert not Bilan.objects.exists()


def test_the_consultant_edits_funding_with_optimistic_locking(client, people):
    bilan = opened(people, Funding.CPF)
    client.force_login(bilan.consultant)
    url = reverse("bilans:funding_edit", args=[bilan.pk])
    assert client.get(url).status_code == 200
    data = {
        "funding": Funding.EMPLOYER,
        "funder_name": "Garonne Logistique",
        "price_euros": "1900",
        "planned_hours": "22",
        "version": bilan.version,
    }

    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "price_euros": "1000"})

    assert stale.status_code == 409
    assert "1900" in stale.content.decode() and 'value="1000"' in stale.content.decode()
    bilan.refresh_from_db()
    assert (bilan.funding, bilan.price_euros) == (Funding.EMPLOYER, Decimal("1900"))


@pytest.mark.parametrize("role", ["beneficiary", "coordinator", "mentor"])
def test_other_people_get_404_on_the_paperwork_pages(client, people, role):
    bilan = opened(people)
    convention_written(bilan)
    client.force_login(people[role])
    for name in ("funding_edit", "convention_edit"):
        assert client.get(reverse(f"bilans:{name}", args=[bilan.pk])).status_code == 404
    signatures = reverse("bilans:convention_signatures", args=[bilan.pk])
    assert client.post(signatures, {}).status_code == 404


def test_another_consultant_gets_404(client, people, organisation):
    bilan = opened(people)
    client.force_login(member(Role.CONSULTANT, organisation))
    assert client.get(reverse("bilans:convention_edit", args=[bilan.pk])).status_code == 404
    assert client.get(reverse("bilans:funding_edit", args=[bilan.pk])).status_code == 404


def test_the_contract_page_is_for_self_funded_bilans(client, people):
    bilan = opened(people)
    client.force_login(bilan.consultant)
    assert client.get(reverse("bilans:contract_edit", args=[bilan.pk])).status_code == 404


def test_a_late_signature_is_refused_next_to_its_field(client, people):
    bilan = opened(people)
    convention = convention_written(bilan)
    client.force_login(bilan.consultant)
    today = timezone.localdate()
    data = form_data(
        {
            "transmitted_on": today - timedelta(days=15),
            "organisme_signed_on": today,
            "employer_signed_on": today,
            "beneficiary_signed_on": today,
            "signed_place": "Toulouse",
        },
        convention.version,
        prefix="signatures",
    )

    response = client.post(reverse("bilans:convention_signatures", args=[bilan.pk]), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_signatures-beneficiary_signed_on_error"' in html
    assert "vaut refus" in html
    assert 'value="Toulouse"' in html
    assert Convention.objects.get().beneficiary_signed_on is None


def test_the_deadline_shows_to_the_consultant_and_the_beneficiary(client, people):
    bilan = opened(people)
    convention = convention_written(bilan)
    today = timezone.localdate()
    bilans.convention_signatures_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values={
            "transmitted_on": today - timedelta(days=2),
            "organisme_signed_on": None,
            "employer_signed_on": None,
            "beneficiary_signed_on": None,
            "signed_place": "",
        },
        expected_version=convention.version,
    )
    client.force_login(bilan.consultant)
    html = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()
    assert 'id="convention-deadline"' in html and "encore 8 jours" in html

    client.force_login(bilan.beneficiary)
    html = client.get(reverse("bilans:mine")).content.decode()
    assert 'id="convention-deadline"' in html
    response = client.post(
        reverse("bilans:convention_accept", args=[bilan.pk]), {"version": convention.version + 1}
    )
    assert response.status_code == 302
    assert Convention.objects.get().beneficiary_signed_on is None  # the box was not ticked
    client.post(
        reverse("bilans:convention_accept", args=[bilan.pk]),
        {"version": convention.version + 1, "confirm": "on"},
    )
    assert Convention.objects.get().beneficiary_signed_on == today


def test_the_phase_button_says_what_is_missing(client, people):
    bilan = opened(people)
    client.force_login(bilan.consultant)
    response = client.post(
        reverse("bilans:phase_advance", args=[bilan.pk]),
        {"to_phase": Phase.INVESTIGATION, "version": bilan.version},
        follow=True,
    )
    assert "convention tripartite signée" in response.content.decode()
    convention_signed(bilan)
    bilan.refresh_from_db()
    client.post(
        reverse("bilans:phase_advance", args=[bilan.pk]),
        {"to_phase": Phase.INVESTIGATION, "version": bilan.version},
    )
    bilan.refresh_from_db()
    assert bilan.status == Phase.INVESTIGATION


def test_the_convention_form_keeps_what_was_typed_on_a_bad_price(client, people):
    bilan = opened(people)
    client.force_login(bilan.consultant)
    values = convention_values(bilan, price_euros="-2", employer_name="Garonne SA")
    response = client.post(reverse("bilans:convention_edit", args=[bilan.pk]), form_data(values, 0))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le prix ne peut pas être négatif." in html and 'value="Garonne SA"' in html


def test_the_contract_page_refuses_an_up_front_over_30_percent(client, people):
    bilan = opened(people, Funding.PERSONAL)
    client.force_login(bilan.consultant)
    url = reverse("bilans:contract_edit", args=[bilan.pk])
    html = client.get(url).content.decode()
    assert "L6353-4" in html and "L6353-5" in html
    values = {**bilans.contract_initial(bilan), "upfront_euros": "600"}

    response = client.post(url, form_data(values, 0))

    assert response.status_code == 400
    assert 'id="id_upfront_euros_error"' in response.content.decode()
    assert "30 % du prix" in response.content.decode()
    assert not Contract.objects.exists()
    assert client.post(url, form_data({**values, "upfront_euros": "450"}, 0)).status_code == 302
    assert client.get(reverse("bilans:contract_pdf", args=[bilan.pk])).status_code == 200


def test_the_beneficiary_signs_the_contract_from_my_bilan(client, people):
    bilan = opened(people, Funding.PERSONAL)
    contract = contract_written(bilan)
    client.force_login(bilan.beneficiary)
    html = client.get(reverse("bilans:mine")).content.decode()
    assert "Votre contrat de bilan" in html and "Signer le contrat" in html
    client.post(
        reverse("bilans:contract_accept", args=[bilan.pk]),
        {"version": contract.version, "confirm": "on"},
    )
    assert Contract.objects.get().signed_on == timezone.localdate()
    html = client.get(reverse("bilans:mine")).content.decode()
    assert 'id="contract-withdrawal"' in html
