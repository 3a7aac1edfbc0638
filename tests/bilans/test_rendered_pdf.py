"""A bilan's PDFs are served from their last rendering while what they print is unchanged,
and rendered again as soon as anything printed changes (ADR 0030)."""

from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from PIL import Image
from pypdf import PdfReader

from tests.bilans.helpers import open_bilan
from tests.bilans.synthesis_helpers import advance_to, attended_session, validated_synthesis
from tests.factories import member
from tisser.accounts.identity import Identity, organisation_identity_save
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Phase, RenderedPdf, SynthesisDocument
from tisser.bilans.services.emargement import emargement_pdf, entretien_record_unplanned
from tisser.bilans.working_documents import working_documents
from tisser.core.enums import Role
from tisser.documents import pdf as documents_pdf
from tisser.meetings.models import MeetingMode


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())


def png(colour: str) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (90, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def bilan(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=21))
    bilan.refresh_from_db()
    return bilan


@pytest.fixture
def renders():
    """Counts the WeasyPrint renderings."""
    with mock.patch.object(documents_pdf, "html_to_pdf", wraps=documents_pdf.html_to_pdf) as spy:
        yield spy


def unplanned(bilan, days_ago: int):
    return entretien_record_unplanned(
        consultant=bilan.consultant,
        bilan=bilan,
        start=timezone.now() - timedelta(days=days_ago),
        duration_minutes=60,
        mode=MeetingMode.PHONE,
        reason=f"Point téléphonique {days_ago}",
    )


def identity_change(organisation, coordinator, *, legal_name: str, logo: bytes | None = None):
    organisation.refresh_from_db()
    organisation_identity_save(
        coordinator=coordinator,
        organisation=organisation,
        expected_version=organisation.version,
        identity=Identity(
            legal_name=legal_name,
            siret="81234567600017",
            nda="76311234531",
            address="31000 Toulouse",
        ),
        logo=logo,
    )


DOWNLOADS = {
    "attestation": lambda bilan, people: bilans.attestation_pdf(
        actor=people["beneficiary"], bilan=bilan
    ),
    "emargement": lambda bilan, people: emargement_pdf(actor=people["coordinator"], bilan=bilan),
}


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_a_second_download_serves_the_kept_pdf(bilan, people, renders, kind):
    unplanned(bilan, days_ago=3)

    first = DOWNLOADS[kind](bilan, people)
    second = DOWNLOADS[kind](bilan, people)

    assert renders.call_count == 1
    assert second == first
    assert RenderedPdf.objects.get(bilan=bilan, kind=kind).content == first


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_the_pdf_is_rendered_again_when_what_it_prints_changes(bilan, people, renders, kind):
    download = DOWNLOADS[kind]
    unplanned(bilan, days_ago=5)
    before = pdf_text(download(bilan, people))

    # An entretien recorded: it is listed, its hour counted.
    unplanned(bilan, days_ago=4)
    after = pdf_text(download(bilan, people))
    assert after != before
    assert renders.call_count == 2

    # The organisme's identity: its name, then its logo alone.
    identity_change(bilan.organisation, people["coordinator"], legal_name="Cap Avenir SCOP")
    bilan.refresh_from_db()
    assert "Cap Avenir SCOP" in pdf_text(download(bilan, people))
    identity_change(
        bilan.organisation, people["coordinator"], legal_name="Cap Avenir SCOP", logo=png("red")
    )
    bilan = Bilan.objects.select_related("organisation").get(pk=bilan.pk)
    with_logo = download(bilan, people)
    assert PdfReader(BytesIO(with_logo)).pages[0].images
    assert renders.call_count == 4

    # Another day is printed on another day.
    with freeze_time(timezone.now() + timedelta(days=1)):
        download(bilan, people)
    assert renders.call_count == 5
    assert RenderedPdf.objects.filter(bilan=bilan, kind=kind).count() == 1


def test_the_kept_emargement_says_when_it_was_made(bilan, people, renders):
    unplanned(bilan, days_ago=2)
    made_at = timezone.localtime().replace(hour=9, minute=5)
    with freeze_time(made_at):
        emargement_pdf(actor=people["coordinator"], bilan=bilan)
    with freeze_time(made_at + timedelta(hours=3)):
        text = pdf_text(emargement_pdf(actor=people["coordinator"], bilan=bilan))

    assert renders.call_count == 1
    assert "09:05" in text


def emargement_queries(bilan, people) -> int:
    with CaptureQueriesContext(connection) as context:
        emargement_pdf(actor=people["coordinator"], bilan=bilan)
    return len(context.captured_queries)


def test_the_emargement_reads_as_many_queries_for_2_entretiens_as_for_12(bilan, people):
    unplanned(bilan, days_ago=1)
    emargement_queries(bilan, people)  # the first rendering kept (an INSERT, not an UPDATE)
    unplanned(bilan, days_ago=2)
    small = emargement_queries(bilan, people)
    for days_ago in range(3, 13):
        unplanned(bilan, days_ago=days_ago)

    grown = emargement_queries(bilan, people)
    kept = emargement_queries(bilan, people)

    assert grown == small
    assert kept < grown  # served from the kept PDF: no write


def test_the_kept_pdfs_go_with_the_working_documents(bilan, people):
    bilans.attestation_pdf(actor=people["beneficiary"], bilan=bilan)
    someone = member(Role.BENEFICIARY, bilan.organisation, invited_by=people["consultant"])
    other = open_bilan(people["consultant"], someone)
    bilans.attestation_pdf(actor=someone, bilan=other)
    (entry,) = [entry for entry in working_documents() if entry.kind == "rendered_pdfs"]

    assert entry.destroy(bilan) == 1

    assert not RenderedPdf.objects.filter(bilan=bilan).exists()
    assert RenderedPdf.objects.filter(bilan=other).exists()


def test_another_person_gets_a_404_and_no_kept_pdf(client, bilan, people):
    bilans.attestation_pdf(actor=people["beneficiary"], bilan=bilan)
    client.force_login(people["mentor"])

    response = client.get(reverse("bilans:attestation_pdf", args=[bilan.pk]))

    assert response.status_code == 404


def test_the_synthesis_pdf_is_rendered_again_when_the_identity_or_the_hours_change(
    people, renders, django_capture_on_commit_callbacks
):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), Phase.CONCLUSION)
    document = validated_synthesis(bilan)
    bilans.synthesis_pdf_render(document_id=document.pk)
    assert bilans.synthesis_pdf_ready(document)

    identity_change(bilan.organisation, people["coordinator"], legal_name="Cap Avenir SCOP")
    document = SynthesisDocument.objects.select_related("bilan__organisation").get(pk=document.pk)

    # The kept PDF names the former organisme: not served, rendered again.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert bilans.synthesis_pdf_download(actor=people["beneficiary"], document=document) is None
    assert queued
    bilans.synthesis_pdf_render(document_id=document.pk)
    content = bilans.synthesis_pdf_download(actor=people["beneficiary"], document=document)
    assert "Cap Avenir SCOP" in pdf_text(content)

    attended_session(bilan, minutes=90)
    assert not bilans.synthesis_pdf_ready(document)
    bilans.synthesis_pdf_render(document_id=document.pk)
    bilans.synthesis_pdf_render(document_id=document.pk)  # safe twice: kept as it is
    assert bilans.synthesis_pdf_ready(document)
    assert renders.call_count == 3


@freeze_time("2026-12-07 10:00")
def test_every_pdf_of_a_bilan_is_named_by_kind_person_and_its_own_date(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    bilan.beneficiary.first_name, bilan.beneficiary.last_name = "Élodie", "Dupré-Martin"
    validated_at = timezone.now() - timedelta(days=12)

    assert bilans.bilan_pdf_filename(kind="attestation-presence", bilan=bilan) == (
        "attestation-presence-elodie-dupre-martin-2026-12-07.pdf"
    )
    assert bilans.bilan_pdf_filename(kind="synthese", bilan=bilan, on=validated_at) == (
        "synthese-elodie-dupre-martin-2026-11-25.pdf"
    )
    bilan.beneficiary.first_name = bilan.beneficiary.last_name = ""
    assert bilans.bilan_pdf_filename(kind="contrat", bilan=bilan) == (
        f"contrat-bilan-{bilan.pk}-2026-12-07.pdf"
    )
