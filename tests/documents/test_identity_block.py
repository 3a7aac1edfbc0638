"""Every document carries the organisme's identity (ADR 0018): legal name, address, SIRET,
NDA, Qualiopi certificate and logo — read back from each PDF the bilans produce."""

import base64
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.bilans.synthesis_helpers import advance_to, attended_session, validated_synthesis
from tisser.accounts.identity import Identity, organisation_identity_save
from tisser.bilans import services as bilans
from tisser.bilans.models import Funding, Phase, SynthesisPdf
from tisser.bilans.services.emargement import emargement_pdf
from tisser.documents.pdf import StaticOnlyFetcher, render_pdf


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())


def pdf_has_image(content: bytes) -> bool:
    page = PdfReader(BytesIO(content)).pages[0]
    return bool(page.images)


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (90, 30), "darkgreen").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def organisation(organisation, people):
    organisation_identity_save(
        coordinator=people["coordinator"],
        organisation=organisation,
        expected_version=organisation.version,
        identity=Identity(
            legal_name="Horizons Bilans Occitanie SAS",
            siret="81234567600017",
            nda="76311234531",
            address="12 allée Jean Jaurès\n31000 Toulouse",
            qualiopi_number="QUALIOPI-2025-0417",
            qualiopi_issuer="Certif'Essai",
            qualiopi_expires_on=date(2099, 6, 30),
            qualiopi_bilan_category=True,
        ),
        logo=png(),
    )
    organisation.refresh_from_db()
    return organisation


IDENTITY = (
    "Horizons Bilans Occitanie SAS",
    "12 allée Jean Jaurès",
    "SIRET 81234567600017",
    "enregistrée sous le numéro 76311234531",
    "Cet enregistrement ne vaut pas agrément de l'État",
    "Certificat Qualiopi n° QUALIOPI-2025-0417",
)


def assert_identity(content: bytes) -> None:
    text = pdf_text(content)
    for part in IDENTITY:
        assert part in text
    assert pdf_has_image(content)


def bilan_of(people, funding=Funding.CPF):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=funding
    )


def test_the_attestation_carries_the_identity(organisation, people):
    bilan = bilan_of(people)
    attended_session(bilan)

    assert_identity(bilans.attestation_pdf(actor=bilan.consultant, bilan=bilan))


def test_the_synthesis_carries_the_identity(organisation, people):
    bilan = bilan_of(people)
    advance_to(bilan, Phase.INVESTIGATION)
    attended_session(bilan)
    document = validated_synthesis(bilan)

    bilans.synthesis_pdf_render(document_id=document.pk)

    assert_identity(bytes(SynthesisPdf.objects.get(document=document).content))


def test_the_convention_carries_the_identity(organisation, people):
    bilan = bilan_of(people, Funding.EMPLOYER)
    convention = bilans.convention_save(
        consultant=bilan.consultant,
        bilan=bilan,
        values={
            **bilans.convention_initial(bilan),
            "employer_name": "Transports Garonne SA",
            "employer_address": "12 quai de la Daurade\n31000 Toulouse",
            "employer_representative": "Mme Durand, DRH",
            "price_euros": Decimal("1800.00"),
        },
        expected_version=0,
    )

    assert_identity(bilans.convention_pdf(actor=bilan.consultant, convention=convention))


def test_the_emargement_sheet_carries_the_identity(organisation, people):
    bilan = bilan_of(people)
    attended_session(bilan)

    assert_identity(emargement_pdf(actor=bilan.beneficiary, bilan=bilan))


def test_an_organisme_without_identity_yet_prints_its_name_and_no_empty_line(db):
    from tests.factories import OrganisationFactory

    plain = OrganisationFactory(name="Organisme sans identité")
    text = pdf_text(
        render_pdf(
            template_name="documents/base.html",
            context={"organisation": plain, "document_title": "Essai"},
        )
    )
    assert "Organisme sans identité" in text
    assert "SIRET" not in text and "enregistrée sous le numéro" not in text


def test_the_fetcher_inlines_png_and_jpeg_data_uris_only():
    encoded = base64.b64encode(png()).decode()
    response = StaticOnlyFetcher().fetch(f"data:image/png;base64,{encoded}")
    assert response.content_type == "image/png"
    assert response.read() == png()
    for url in (
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png,notbase64",
    ):
        with pytest.raises(ValueError):
            StaticOnlyFetcher().fetch(url)
