"""The organisme's documents: upload, edit and replace, delete — coordinators only, audited,
the file checked — and their evidence provider."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import member
from tests.quality.helpers_documents import PDF, document, fields, pdf_upload
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.quality import evidence
from tisser.quality.evidence import Span
from tisser.quality.indicators import INDICATORS, applicable
from tisser.quality.models import DocumentKind, OrganismeDocument
from tisser.quality.models.documents import indicators_check, kinds_expected
from tisser.quality.services.documents import (
    organisme_document_delete,
    organisme_document_update,
    organisme_document_upload,
)

pytestmark = pytest.mark.django_db


def test_the_referentiel_has_32_indicators_and_22_apply_to_bilans():
    assert [indicator.number for indicator in INDICATORS] == list(range(1, 33))
    not_applying = [i.number for i in INDICATORS if not i.applies_to_bilans]
    assert not_applying == [3, 7, 8, 13, 14, 15, 16, 20, 28, 29]
    assert len(applicable()) == 22


def test_upload_keeps_the_file_and_audits(people):
    coordinator = people["coordinator"]
    saved = document(coordinator, review_due_on=date(2026, 9, 1))
    saved.refresh_from_db()
    assert bytes(saved.content) == PDF
    assert saved.content_type == "application/pdf"
    assert saved.filename == "note.pdf"
    assert saved.indicators == [23]
    assert saved.owner == coordinator
    assert saved.version == 1
    assert AuditEvent.objects.filter(
        action="quality.document_upload", target_id=str(saved.pk)
    ).exists()


@pytest.mark.parametrize("role", ["beneficiary", "consultant", "mentor"])
def test_only_a_coordinator_uploads(people, role):
    organisation = people["coordinator"].memberships.get().organisation
    with pytest.raises(PermissionDenied):
        organisme_document_upload(
            coordinator=people[role],
            organisation=organisation,
            fields=fields(people["coordinator"]),
            upload=pdf_upload(),
        )


def test_a_coordinator_of_another_organisation_is_refused(people):
    saved = document(people["coordinator"])
    outsider = member(Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        organisme_document_delete(coordinator=outsider, document=saved)


def test_bad_input_is_refused_field_by_field(people):
    coordinator = people["coordinator"]
    organisation = coordinator.memberships.get().organisation
    with pytest.raises(ValidationError) as caught:
        organisme_document_upload(
            coordinator=coordinator,
            organisation=organisation,
            fields=fields(
                people["mentor"],
                indicators=[3],
                title=" ",
                review_due_on=date(2026, 1, 1),
            ),
            upload=pdf_upload("virus.exe", b"MZ\x90\x00"),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"indicators", "title", "owner", "review_due_on", "file"}
    assert "ne s'applique pas" in errors["indicators"][0]
    assert errors["file"] == ["Envoyez un PDF, une image PNG ou une image JPEG."]
    assert not OrganismeDocument.objects.exists()


def test_a_file_too_big_is_refused(people):
    coordinator = people["coordinator"]
    organisation = coordinator.memberships.get().organisation
    big = pdf_upload(content=PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        organisme_document_upload(
            coordinator=coordinator,
            organisation=organisation,
            fields=fields(coordinator),
            upload=big,
        )
    assert "dépasse 5 Mo" in caught.value.message_dict["file"][0]


def test_indicators_check():
    assert indicators_check([24, 23, 23]) == [23, 24]
    for wrong in ([], [3], ["23"], [True], "23"):
        with pytest.raises(ValidationError):
            indicators_check(wrong)


def test_replace_bumps_the_version_and_a_stale_edit_is_refused(people):
    coordinator = people["coordinator"]
    saved = document(coordinator)
    organisme_document_update(
        coordinator=coordinator,
        document=saved,
        fields=fields(people["consultant"], title="Veille légale 2026", indicators=[23, 24]),
        upload=pdf_upload("nouvelle.pdf", PDF + b"% v2\n"),
        expected_version=1,
    )
    saved.refresh_from_db()
    assert saved.version == 2
    assert saved.title == "Veille légale 2026"
    assert saved.owner == people["consultant"]
    assert saved.filename == "nouvelle.pdf"
    assert bytes(saved.content).endswith(b"% v2\n")
    with pytest.raises(StaleVersion):
        organisme_document_update(
            coordinator=coordinator,
            document=saved,
            fields=fields(coordinator),
            upload=None,
            expected_version=1,
        )
    assert AuditEvent.objects.filter(action="quality.document_update").count() == 1


def test_delete(people):
    coordinator = people["coordinator"]
    saved = document(coordinator)
    organisme_document_delete(coordinator=coordinator, document=saved)
    assert not OrganismeDocument.objects.exists()
    assert AuditEvent.objects.filter(action="quality.document_delete").exists()


def test_kinds_expected():
    assert kinds_expected(23) == [DocumentKind.LEGAL_WATCH]
    assert DocumentKind.COMPLAINTS_PROCEDURE in kinds_expected(31)
    assert kinds_expected(4) == []


def test_the_documents_provider_files_go_under_their_indicator(people):
    coordinator = people["coordinator"]
    organisation = coordinator.memberships.get().organisation
    document(coordinator, indicators=[23, 25], title="Veille croisée")
    document(coordinator, kind=DocumentKind.HOUSE_RULES, indicators=[9], title="Règlement")
    span = Span(first_day=date(2026, 1, 1), last_day=date(2026, 12, 31))
    (provider,) = [p for p in evidence.providers_of(23) if p.name.startswith("documents.")]
    files = list(provider.files(organisation, span))
    assert files[0].name.startswith("documents-organisme/2026-03-02-veille")
    assert files[0].content == PDF
    lines = provider.lines(organisation, span)
    assert len(lines) == 1 and "Veille croisée" in lines[0].text
    # Another organisation's documents never show.
    outsider = member(Role.COORDINATOR)
    assert provider.lines(outsider.memberships.get().organisation, span) == []
    # A document dated after the span's end is not evidence for it.
    early = Span(first_day=date(2025, 1, 1), last_day=date(2025, 12, 31))
    assert list(provider.files(organisation, early)) == []


def test_review_state():
    today = timezone.localdate()
    saved = OrganismeDocument(review_due_on=today - timedelta(days=1))
    assert saved.review_state(today) == "late"
    saved.review_due_on = today + timedelta(days=10)
    assert saved.review_state(today) == "due"
    saved.review_due_on = today + timedelta(days=90)
    assert saved.review_state(today) == ""
