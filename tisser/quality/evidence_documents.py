"""The organisme's own documents as evidence (issue #18, ADR 0033): one provider per indicator
that applies to bilans, named `documents.<n>`, whose lines list the documents that name it and
whose files are those documents, in the indicator's folder of the auditor's export.

The indicator map shows these documents in its own block ("À fournir par l'organisme", with
owners and review dates) and so leaves these providers' lines to the export's index
(`is_documents_provider`)."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from tisser.core.dates import french_date
from tisser.quality.evidence import EvidenceLine, ExportFile, Provider, Span, register
from tisser.quality.files import file_stem
from tisser.quality.indicators import applicable
from tisser.quality.models import OrganismeDocument

PREFIX = "documents."


def is_documents_provider(provider: Provider) -> bool:
    return provider.name.startswith(PREFIX)


def _documents(organisation, span: Span):
    """The organisation's documents dated up to the span's end, without their bytes."""
    return (
        OrganismeDocument.objects.filter(
            organisation=organisation, document_date__lte=span.last_day
        )
        .defer("content")
        .order_by("kind", "-document_date", "id")
    )


def _lines_for(number: int):
    def lines(organisation, span: Span) -> list[EvidenceLine]:
        return [
            EvidenceLine(
                _("%(title)s (%(kind)s), du %(date)s")
                % {
                    "title": document.title,
                    "kind": document.get_kind_display(),
                    "date": french_date(document.document_date, "j F Y"),
                },
                reverse("quality:document", kwargs={"document_id": document.pk}),
            )
            for document in _documents(organisation, span)
            if number in document.indicators
        ]

    return lines


def _files_for(number: int):
    def files(organisation, span: Span) -> Iterator[ExportFile]:
        ids = [
            document.pk
            for document in _documents(organisation, span).only("id", "indicators")
            if number in document.indicators
        ]
        for pk in ids:  # one at a time: an archive never holds every file in memory at once
            document = OrganismeDocument.objects.filter(pk=pk).first()
            if document is None:
                continue
            extension = document.filename.rsplit(".", 1)[-1] if "." in document.filename else ""
            stem = file_stem(document.title)[:80] or "document"
            yield ExportFile(
                name=f"documents-organisme/{document.document_date:%Y-%m-%d}-{stem}-{pk}"
                + (f".{extension}" if extension else ""),
                content=bytes(document.content),
            )

    return files


for _indicator in applicable():
    register(
        f"{PREFIX}{_indicator.number:02d}",
        indicators=(_indicator.number,),
        lines=_lines_for(_indicator.number),
        files=_files_for(_indicator.number),
    )
