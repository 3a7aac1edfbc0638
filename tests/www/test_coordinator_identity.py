"""The identity page of the coordination (ADR 0018): messages next to the fields, nothing
typed lost, the conflict answered 409, the logo served to the coordinator only, the
warnings of the home page."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import OrganisationFactory, member
from tisser.accounts.models import Organisation
from tisser.core.enums import Role


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (60, 20), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(organisation, **overrides):
    return {
        "legal_name": "Horizons Bilans SAS",
        "address": "12 allée Jean Jaurès\n31000 Toulouse",
        "siret": "812 345 676 00017",
        "nda": "76311234531",
        "qualiopi_number": "Q-2025-0417",
        "qualiopi_issuer": "Certif'Essai",
        "qualiopi_expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "qualiopi_bilan_category": "on",
        "disability_referent_name": "",
        "disability_referent_email": "",
        "dpo_name": "",
        "dpo_email": "",
        "version": organisation.version,
        **overrides,
    }


@pytest.fixture
def coordinator(client, people):
    client.force_login(people["coordinator"])
    return people["coordinator"]


def test_a_wrong_siret_is_said_next_to_the_field_and_at_the_top_keeping_the_input(
    client, coordinator, organisation
):
    response = client.post(
        reverse("coordinator:identity"), form_data(organisation, siret="812 345 676 00018")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_siret_error"' in html
    assert "clé de contrôle" in html
    assert 'role="alert"' in html and 'href="#id_siret"' in html
    assert 'value="812 345 676 00018"' in html
    assert 'value="Horizons Bilans SAS"' in html
    assert Organisation.objects.get(pk=organisation.pk).siret == ""


def test_a_good_identity_is_saved_with_its_logo_served_to_the_coordinator(
    client, coordinator, organisation
):
    data = form_data(organisation, logo=SimpleUploadedFile("logo.png", png(), "image/png"))

    response = client.post(reverse("coordinator:identity"), data)

    assert response.status_code == 302
    saved = Organisation.objects.get(pk=organisation.pk)
    assert saved.siret == "81234567600017"
    assert saved.qualiopi_bilan_category is True
    logo = client.get(reverse("coordinator:identity_logo"))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert logo.content == png()
    page = client.get(reverse("coordinator:identity")).content.decode()
    assert reverse("coordinator:identity_logo") in page


def test_a_file_that_is_not_an_image_is_refused_next_to_the_logo_field(
    client, coordinator, organisation
):
    data = form_data(organisation, logo=SimpleUploadedFile("logo.png", b"<svg/>", "image/png"))

    response = client.post(reverse("coordinator:identity"), data)

    assert response.status_code == 400
    assert 'id="id_logo_error"' in response.content.decode()


def test_a_save_from_an_old_version_is_a_409_showing_both(client, coordinator, organisation):
    client.post(reverse("coordinator:identity"), form_data(organisation))

    response = client.post(
        reverse("coordinator:identity"), form_data(organisation, legal_name="Autre raison")
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "La version enregistrée entre-temps" in html
    assert 'value="Autre raison"' in html
    assert Organisation.objects.get(pk=organisation.pk).legal_name == "Horizons Bilans SAS"


def test_no_logo_is_a_404_and_another_role_gets_the_coordination_404(client, people):
    client.force_login(people["coordinator"])
    assert client.get(reverse("coordinator:identity_logo")).status_code == 404
    for role in ("consultant", "beneficiary", "mentor"):
        client.force_login(people[role])
        assert client.get(reverse("coordinator:identity")).status_code == 404
        assert client.get(reverse("coordinator:identity_logo")).status_code == 404


def test_a_coordinator_edits_their_own_organisation_only(client, people, organisation):
    other = OrganisationFactory()
    client.force_login(member(Role.COORDINATOR, other))

    client.post(reverse("coordinator:identity"), form_data(other))

    assert Organisation.objects.get(pk=other.pk).siret == "81234567600017"
    assert Organisation.objects.get(pk=organisation.pk).siret == ""


def test_the_home_warns_of_the_missing_nda_and_the_certificate_ending_soon(
    client, coordinator, organisation
):
    html = client.get(reverse("coordinator:home")).content.decode()
    assert "numéro de déclaration d&#x27;activité manque" in html

    Organisation.objects.filter(pk=organisation.pk).update(
        legal_name="Horizons",
        siret="81234567600017",
        nda="76311234531",
        qualiopi_expires_on=timezone.localdate() + timedelta(days=30),
    )
    html = client.get(reverse("coordinator:home")).content.decode()
    assert "manque" not in html
    assert "Le certificat Qualiopi prend fin le" in html
    assert reverse("coordinator:identity") in html
