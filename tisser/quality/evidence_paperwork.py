"""The auditor's export: the files Tisser already makes for each bilan, as evidence for the
indicators they prove (issue #18, ADR 0039).

Only management data goes in: the conventions and contracts, the attestations de présence,
the émargement sheets, the dates of the preliminary phase and the satisfaction aggregates.
Never a document that belongs to the beneficiary alone (the document de synthèse, the
"résultats détaillés", the working documents listed in `tisser.bilans.working_documents`,
R6313-7): a synthèse the person shared was shared with one named recipient for one purpose
(`SynthesisShare`), not with the organisme's auditor, so it is not exported either. The
preliminary record's text is a working document: only its dates and the format chosen are
listed, never what was written.

Each PDF comes from the renderer the bilan's pages use (`*_pdf_content`), through the kept
renderings (`RenderedPdf`), so the export prints what the consultant and the person download.
The files are yielded one by one: the export writes each into the archive before the next is
made."""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import Organisation, User
from tisser.bilans.models import Bilan, Contract, Convention, PreliminaryRecord
from tisser.bilans.services.attestation import attestation_pdf_content
from tisser.bilans.services.contract import contract_pdf_content
from tisser.bilans.services.convention import convention_pdf_content
from tisser.bilans.services.emargement import emargement_pdf_content
from tisser.bilans.services.rendered_pdf import bilan_pdf_filename
from tisser.bilans.stats import bilan_stats, bilan_stats_rows
from tisser.core.dates import french_date
from tisser.meetings.models import MeetingKind, Occurrence
from tisser.quality.evidence import ExportFile, Span, register

# Bilans are read in batches of this many, their beneficiary joined.
BATCH = 200


def _bounds(span: Span) -> tuple[datetime, datetime]:
    """The span as aware datetimes: from the first day's midnight to the day after the last."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(span.first_day, time.min), zone)
    end = timezone.make_aware(datetime.combine(span.last_day, time.max), zone)
    return start, end


def _batched(queryset: QuerySet) -> Iterator:
    """The rows of `queryset` (ordered by id) read `BATCH` at a time."""
    after = 0
    while True:
        rows = list(queryset.filter(pk__gt=after).order_by("pk")[:BATCH])
        if not rows:
            return
        yield from rows
        after = rows[-1].pk


def _name(folder: str, kind: str, bilan: Bilan, on: date | datetime | None) -> str:
    return f"{folder}/{bilan_pdf_filename(kind=kind, bilan=bilan, on=on)}"


def _csv(rows: list[list[str]]) -> bytes:
    """A CSV as the coordinator's other exports write it: `;`, CRLF, UTF-8 with a BOM."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _in_span(span: Span, *fields: str) -> Q:
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__range": (span.first_day, span.last_day)})
    return query


# --- 9: the information before the bilan: conventions and contracts signed in the span ---------


def paperwork_files(organisation: Organisation, span: Span) -> Iterator[ExportFile]:
    conventions = Convention.objects.filter(bilan__organisation=organisation).filter(
        _in_span(span, "organisme_signed_on", "employer_signed_on", "beneficiary_signed_on")
    )
    for convention in _batched(
        conventions.select_related("bilan__beneficiary", "bilan__organisation")
    ):
        signed = convention.beneficiary_signed_on or convention.organisme_signed_on
        yield ExportFile(
            _name("conventions", "convention", convention.bilan, signed),
            convention_pdf_content(convention),
        )
    contracts = Contract.objects.filter(bilan__organisation=organisation).filter(
        _in_span(span, "signed_on", "organisme_signed_on")
    )
    for contract in _batched(contracts.select_related("bilan__beneficiary", "bilan__organisation")):
        yield ExportFile(
            _name(
                "contrats",
                "contrat",
                contract.bilan,
                contract.signed_on or contract.organisme_signed_on,
            ),
            contract_pdf_content(contract),
        )


# --- 11: the attestations de présence of the bilans ended in the span --------------------------


def attestation_files(organisation: Organisation, span: Span) -> Iterator[ExportFile]:
    bilans = Bilan.objects.filter(organisation=organisation, closed_at__range=_bounds(span))
    for bilan in _batched(bilans.select_related("beneficiary", "organisation")):
        yield ExportFile(
            _name("attestations", "attestation", bilan, bilan.closed_at),
            attestation_pdf_content(bilan),
        )


# --- 12: the émargement sheets of the bilans that held an entretien in the span ----------------


def emargement_files(organisation: Organisation, span: Span) -> Iterator[ExportFile]:
    held = Occurrence.objects.filter(
        series__kind=MeetingKind.BILAN_SESSION, start__range=_bounds(span)
    ).values("series__bilan_session__bilan")
    bilans = Bilan.objects.filter(organisation=organisation, pk__in=held)
    for bilan in _batched(bilans.select_related("beneficiary", "organisation")):
        yield ExportFile(
            _name("emargements", "emargement", bilan, span.last_day),
            emargement_pdf_content(bilan),
        )


# --- 4 and 5: the preliminary phase, its dates only --------------------------------------------


def preliminary_files(organisation: Organisation, span: Span) -> Iterator[ExportFile]:
    records = PreliminaryRecord.objects.filter(bilan__organisation=organisation).filter(
        Q(created_at__range=_bounds(span)) | Q(acknowledged_at__range=_bounds(span))
    )
    rows = [
        [
            _("Bilan"),
            _("Personne"),
            _("Compte rendu rédigé le"),
            _("Lu et approuvé par la personne le"),
            _("Format retenu"),
            _("Heures d'entretiens individuels prévues"),
        ]
    ]
    for record in _batched(records.select_related("bilan__beneficiary")):
        beneficiary = record.bilan.beneficiary
        rows.append(
            [
                str(record.bilan_id),
                beneficiary.get_full_name() or beneficiary.email,
                french_date(timezone.localdate(record.created_at), "j F Y"),
                french_date(timezone.localdate(record.acknowledged_at), "j F Y")
                if record.acknowledged_at
                else "",
                str(record.get_format_display()),
                str(record.individual_hours).replace(".", ","),
            ]
        )
    if len(rows) > 1:
        yield ExportFile("phase-preliminaire/comptes-rendus-dates.csv", _csv(rows))


# --- 30: the beneficiaries' satisfaction, aggregates only --------------------------------------


def satisfaction_files(organisation: Organisation, span: Span) -> Iterator[ExportFile]:
    """The aggregates of the coordinator's statistics page, as its CSV: the whole
    organisation's answers, not the span's, so that no two readings of the satisfaction differ
    by one person's answers (ADR 0013); the small-numbers rule withholds what fewer than five
    people gave. Read as one of the organisation's coordinators, as the page is."""
    coordinator = User.objects.coordinators_of(organisation.pk).order_by("pk").first()
    if coordinator is None:
        return
    stats = bilan_stats(coordinator=coordinator, organisation=organisation)
    yield ExportFile("satisfaction/statistiques-des-bilans.csv", _csv(bilan_stats_rows(stats)))


register("bilans_paperwork", indicators=(9,), files=paperwork_files)
register("bilans_attestations", indicators=(11,), files=attestation_files)
register("bilans_emargements", indicators=(12,), files=emargement_files)
register("bilans_preliminary", indicators=(4, 5), files=preliminary_files)
register("bilans_satisfaction", indicators=(30,), files=satisfaction_files)
