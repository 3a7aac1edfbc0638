"""Small files and documents for the organisme documents' tests."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from tisser.quality.models import DocumentKind
from tisser.quality.services.documents import DocumentFields, organisme_document_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "note.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fields(owner, **overrides) -> DocumentFields:
    values = {
        "kind": DocumentKind.LEGAL_WATCH,
        "indicators": [23],
        "title": "Veille légale",
        "document_date": date(2026, 3, 2),
        "owner": owner,
        "review_due_on": None,
    }
    values.update(overrides)
    return DocumentFields(**values)


def document(coordinator, **overrides):
    organisation = coordinator.memberships.get().organisation
    return organisme_document_upload(
        coordinator=coordinator,
        organisation=organisation,
        fields=fields(coordinator, **overrides),
        upload=pdf_upload(),
    )
