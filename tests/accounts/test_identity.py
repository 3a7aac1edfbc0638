"""The organisme's identity: the SIRET and NDA checks, the coordinator's save (locked,
audited), the logo and the warnings of the coordinator's home (ADR 0018)."""

from dataclasses import replace
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time
from PIL import Image

from tests.factories import OrganisationFactory, member
from tisser.accounts.identity import (
    Identity,
    identity_warnings,
    logo_check,
    luhn_valid,
    nda_clean,
    organisation_identity_save,
    siret_clean,
)
from tisser.accounts.models import Organisation
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent

GOOD_SIRET = "81234567600017"
GOOD = Identity(
    legal_name="Horizons Bilans SAS",
    siret="812 345 676 00017",
    nda="76 31 12345 31",
    address="12 allée Jean Jaurès\n31000 Toulouse",
    qualiopi_number="Q-2025-0417",
    qualiopi_issuer="Certif'Essai",
    qualiopi_expires_on=date(2027, 6, 30),
    qualiopi_bilan_category=True,
    dpo_name="Julie Martin",
    dpo_email="dpo@horizons.example",
)


def image_bytes(image_format: str, size=(120, 40)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def save(organisation, coordinator, identity=GOOD, version=None, **kwargs):
    return organisation_identity_save(
        coordinator=coordinator,
        organisation=organisation,
        identity=identity,
        expected_version=organisation.version if version is None else version,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("81234567600017", True), ("73282932000074", True), ("81234567600018", False)],
)
def test_the_luhn_key(digits, valid):
    assert luhn_valid(digits) is valid


def test_a_siret_is_14_digits_with_its_key_spaces_allowed():
    assert siret_clean(" 812 345 676 00017 ") == GOOD_SIRET
    with pytest.raises(ValidationError, match="14 chiffres") as short:
        siret_clean("812 345 676")
    assert short.value.code == "siret_length"
    with pytest.raises(ValidationError, match="clé de contrôle") as key:
        siret_clean("81234567600018")
    assert key.value.code == "siret_key"
    with pytest.raises(ValidationError, match="14 chiffres"):
        siret_clean("8123456760001A")


def test_la_postes_establishments_follow_their_own_rule():
    # 356 000 000 + NIC whose digit sum is a multiple of 5 (and not Luhn-valid).
    assert siret_clean("35600000000042") == "35600000000042"


def test_an_nda_is_11_digits_or_nothing():
    assert nda_clean("76 31 12345 31") == "76311234531"
    assert nda_clean("") == ""
    with pytest.raises(ValidationError, match="11 chiffres"):
        nda_clean("7631123453")


def test_the_coordinator_saves_the_identity_normalised_and_audited(organisation, coordinator):
    saved = save(organisation, coordinator)

    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.siret == GOOD_SIRET
    assert organisation.nda == "76311234531"
    assert organisation.legal_name == "Horizons Bilans SAS"
    assert organisation.version == saved.version == 2
    event = AuditEvent.objects.get(action="organisation.identity_save")
    assert event.actor == coordinator
    assert "siret" in event.data["changed"]


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.BENEFICIARY, Role.MENTOR])
def test_only_a_coordinator_of_the_organisation_saves_it(organisation, role):
    with pytest.raises(PermissionDenied):
        save(organisation, member(role, organisation))
    with pytest.raises(PermissionDenied):
        save(organisation, member(Role.COORDINATOR, OrganisationFactory()))
    assert Organisation.objects.get(pk=organisation.pk).siret == ""


def test_two_saves_from_the_same_version_the_second_is_stale(organisation, coordinator):
    first = Organisation.objects.get(pk=organisation.pk)
    second = Organisation.objects.get(pk=organisation.pk)
    save(first, coordinator)

    with pytest.raises(StaleVersion) as conflict:
        save(second, coordinator, replace(GOOD, legal_name="Autre nom"), version=1)

    assert conflict.value.current.legal_name == "Horizons Bilans SAS"
    assert Organisation.objects.get(pk=organisation.pk).legal_name == "Horizons Bilans SAS"


def test_each_wrong_field_is_named_with_its_message(organisation, coordinator):
    wrong = replace(
        GOOD,
        legal_name=" ",
        siret="81234567600018",
        nda="123",
        qualiopi_expires_on=None,
        dpo_email="pas-une-adresse",
    )
    with pytest.raises(ValidationError) as error:
        save(organisation, coordinator, wrong)

    messages = error.value.message_dict
    assert set(messages) == {"legal_name", "siret", "nda", "qualiopi_expires_on", "dpo_email"}
    assert "clé de contrôle" in messages["siret"][0]
    assert Organisation.objects.get(pk=organisation.pk).version == 1


@freeze_time("2026-03-01")
def test_a_past_expiry_is_refused_when_typed_but_kept_when_already_saved(organisation, coordinator):
    past = replace(GOOD, qualiopi_expires_on=date(2026, 2, 1))
    with pytest.raises(ValidationError) as error:
        save(organisation, coordinator, past)
    assert "passée" in error.value.message_dict["qualiopi_expires_on"][0]

    Organisation.objects.filter(pk=organisation.pk).update(qualiopi_expires_on=date(2026, 2, 1))
    organisation.refresh_from_db()
    save(organisation, coordinator, replace(past, dpo_name="Nouveau DPO"))
    assert Organisation.objects.get(pk=organisation.pk).dpo_name == "Nouveau DPO"


def test_a_logo_is_a_small_png_or_jpeg_read_by_pillow(organisation, coordinator):
    assert logo_check(image_bytes("PNG")) == "image/png"
    assert logo_check(image_bytes("JPEG")) == "image/jpeg"
    with pytest.raises(ValidationError, match="PNG ou JPEG"):
        logo_check(image_bytes("GIF"))
    with pytest.raises(ValidationError, match="pas une image"):
        logo_check(b"<svg onload='alert(1)'></svg>")
    with pytest.raises(ValidationError, match="2000 pixels"):
        logo_check(image_bytes("PNG", size=(2100, 10)))
    with pytest.raises(ValidationError, match="300 Ko"):
        logo_check(b"\x89PNG" + b"0" * 400_000)

    save(organisation, coordinator, logo=image_bytes("PNG"))
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.logo_content_type == "image/png"
    assert organisation.logo_data_uri.startswith("data:image/png;base64,iVBOR")

    with pytest.raises(ValidationError) as error:
        save(organisation, coordinator, logo=b"pas une image")
    assert "logo" in error.value.message_dict

    save(organisation, coordinator, logo_remove=True)
    assert Organisation.objects.get(pk=organisation.pk).logo_data_uri == ""


def test_the_home_warns_of_a_missing_nda_and_a_certificate_ending_within_90_days(organisation):
    organisation.legal_name, organisation.siret = "Horizons", GOOD_SIRET
    today = date(2026, 3, 1)

    warnings = identity_warnings(organisation, today=today)
    assert any("déclaration d'activité manque" in warning for warning in warnings)

    organisation.nda = "76311234531"
    organisation.qualiopi_expires_on = today + timedelta(days=200)
    assert identity_warnings(organisation, today=today) == []

    organisation.qualiopi_expires_on = today + timedelta(days=90)
    (warning,) = identity_warnings(organisation, today=today)
    assert "prend fin le 30 mai 2026" in warning

    organisation.qualiopi_expires_on = today - timedelta(days=1)
    (warning,) = identity_warnings(organisation, today=today)
    assert "a pris fin" in warning
