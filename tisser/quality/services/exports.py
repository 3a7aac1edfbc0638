"""The auditor's export (issue #18, ADR 0039): a coordinator asks for a span of days; a task
writes a ZIP archive with one folder per indicator that applies to bilans, each holding the
files every registered evidence provider gives for it (`tisser.quality.evidence`) and an
`index.pdf`, plus a global `00-index.pdf`; the coordinators of the organisation download it
until it expires.

The archive is written to disk as it is built (`zipfile`, one file at a time: never every
document in memory), under `settings.TISSER_EXPORTS_DIR`, first as a `.part` file renamed
once complete, so that a half-written archive is never served. Progress is told on the row
after each indicator, in short UPDATEs: no long work inside a write transaction."""

import hashlib
import logging
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.core.audit import audit_record
from tisser.quality import evidence
from tisser.quality.evidence import ExportFile, Span, last_twelve_months
from tisser.quality.files import file_stem
from tisser.quality.indicators import (
    CRITERIA,
    INDICATORS,
    NOT_APPLICABLE,
    TO_SUPPLY,
    Indicator,
    applicable,
)
from tisser.quality.models import AuditExport

logger = logging.getLogger(__name__)

# The longest span an export covers: a certification cycle is three years.
MAX_SPAN_DAYS = 3 * 366
CHUNK = 1024 * 1024


# --- Where the archives live ---------------------------------------------------------------------


def exports_dir() -> Path:
    """The private folder of the archives, created on demand (owner only)."""
    folder = Path(settings.TISSER_EXPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def archive_path(export: AuditExport | int) -> Path:
    pk = getattr(export, "pk", export)
    return exports_dir() / f"audit-export-{pk}.zip"


def _partial_path(export_id: int) -> Path:
    return exports_dir() / f"audit-export-{export_id}.zip.part"


# --- Asking -----------------------------------------------------------------------------------


def default_span(today: date | None = None) -> Span:
    """The last twelve months, today included (`evidence.last_twelve_months`)."""
    return last_twelve_months(today or timezone.localdate())


def span_check(first_day: date, last_day: date, *, today: date | None = None) -> None:
    """ValidationError (French, keyed by field) when the span cannot be exported."""
    today = today or timezone.localdate()
    if first_day > last_day:
        raise ValidationError(
            {"last_day": _("La date de fin doit être le même jour que la date de début ou après.")}
        )
    if first_day > today:
        raise ValidationError({"first_day": _("La date de début ne peut pas être dans le futur.")})
    if (last_day - first_day).days > MAX_SPAN_DAYS:
        raise ValidationError(
            {"first_day": _("Une période de trois ans au plus peut être exportée à la fois.")}
        )


def audit_export_request(
    *, coordinator: User, organisation: Organisation, first_day: date, last_day: date
) -> AuditExport:
    """Record a coordinator's request and queue its build once the transaction commits.
    PermissionDenied for anyone but a coordinator of `organisation`; ValidationError for a
    bad span or while another export of the organisation is being built."""
    require_coordinator_of(coordinator, organisation)
    span_check(first_day, last_day)
    with transaction.atomic():
        # Two requests at once must not both pass the check below.
        list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))
        busy = AuditExport.objects.filter(
            organisation=organisation,
            status__in=(AuditExport.Status.WAITING, AuditExport.Status.RUNNING),
            created_at__gte=timezone.now() - AuditExport.STALE_AFTER,
        )
        if busy.exists():
            raise ValidationError(
                _(
                    "Un export est déjà en préparation pour cet organisme : attendez qu'il "
                    "soit prêt avant d'en demander un autre."
                ),
                code="busy",
            )
        export = AuditExport.objects.create(
            organisation=organisation,
            first_day=first_day,
            last_day=last_day,
            requested_by=coordinator,
            steps_total=len(applicable()) + 1,
        )
        audit_record(
            actor=coordinator,
            action="quality.export_request",
            target=export,
            organisation=organisation,
            data={"first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
        )
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    # Imported here: the task module imports this one.
    from tisser.quality.tasks import audit_export_build_task

    audit_export_build_task.enqueue(export_id=export_id)


def audit_export_download(*, coordinator: User, export: AuditExport) -> Path:
    """The archive's path for a coordinator of its organisation (PermissionDenied otherwise),
    recorded in the audit log: it holds named people's paperwork. FileNotFoundError when it
    is not ready or is gone."""
    require_coordinator_of(coordinator, export.organisation_id)
    if not export.downloadable:
        raise FileNotFoundError(export.pk)
    path = archive_path(export)
    if not path.is_file():
        raise FileNotFoundError(path)
    audit_record(
        actor=coordinator,
        action="quality.export_download",
        target=export,
        organisation=export.organisation,
        data={"sha256": export.sha256},
    )
    return path


# --- Building ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    name: str
    size: int


@dataclass
class Folder:
    indicator: Indicator
    name: str
    entries: list[Entry]
    providers: list[str]


def folder_name(indicator: Indicator) -> str:
    """`26-accueil-et-accompagnement-des-personnes` : the number, then the start of the
    heading in French."""
    with translation.override("fr"):
        words = file_stem(str(indicator.title))
    if len(words) > 40:
        words = words[:40].rsplit("-", 1)[0]
    return f"{indicator.number:02d}-{words}"


def _progress(export_id: int, **fields) -> None:
    AuditExport.objects.filter(pk=export_id).update(**fields)


def audit_export_build(*, export_id: int) -> AuditExport | None:
    """Build the archive of a waiting export. Safe to run twice: only the run that moves it
    from waiting to running builds; another finds nothing to do. Any failure marks the
    export failed with a French message, removes the partial file and is logged."""
    claimed = AuditExport.objects.filter(pk=export_id, status=AuditExport.Status.WAITING).update(
        status=AuditExport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    export = AuditExport.objects.select_related("organisation").get(pk=export_id)
    partial = _partial_path(export_id)
    step = _("Préparation")
    try:
        with translation.override("fr"):
            span = Span(first_day=export.first_day, last_day=export.last_day)
            folders: list[Folder] = []
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, indicator in enumerate(applicable()):
                    step = _("Indicateur %(number)s : %(title)s") % {
                        "number": indicator.number,
                        "title": indicator.title,
                    }
                    _progress(export_id, steps_done=done, step_label=step[:300])
                    folders.append(_indicator_write(archive, export, indicator, span))
                step = _("Sommaire de l'export")
                _progress(export_id, steps_done=len(folders), step_label=step)
                _write(archive, "00-index.pdf", _global_index(export, folders))
            digest, size = _digest(partial)
            os.replace(partial, archive_path(export_id))
    except Exception:
        logger.exception("audit export %s failed at %s", export_id, step)
        partial.unlink(missing_ok=True)
        _progress(
            export_id,
            status=AuditExport.Status.FAILED,
            finished_at=timezone.now(),
            error=_(
                "L'export n'a pas pu être préparé (étape « %(step)s ») à cause d'une erreur de "
                "Tisser. Demandez un nouvel export ; si cela se reproduit, prévenez l'équipe "
                "qui administre Tisser."
            )
            % {"step": step},
        )
        return AuditExport.objects.get(pk=export_id)
    now = timezone.now()
    _progress(
        export_id,
        status=AuditExport.Status.READY,
        steps_done=export.steps_total,
        step_label="",
        size=size,
        sha256=digest,
        finished_at=now,
        expires_at=now + timedelta(days=settings.TISSER_EXPORT_KEEP_DAYS),
    )
    return AuditExport.objects.get(pk=export_id)


def _write(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    # PDFs are compressed already: stored as they are, the rest deflated.
    kind = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
    archive.writestr(name, content, compress_type=kind)


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    count = 2
    while True:
        candidate = f"{stem}-{count}.{extension}" if dot else f"{stem}-{count}"
        if candidate not in taken:
            return candidate
        count += 1


def _provider_files(provider: evidence.Provider, organisation, span: Span) -> Iterator[ExportFile]:
    if provider.files is None:
        return iter(())
    return iter(provider.files(organisation, span))


def _indicator_write(
    archive: zipfile.ZipFile, export: AuditExport, indicator: Indicator, span: Span
) -> Folder:
    folder = Folder(indicator=indicator, name=folder_name(indicator), entries=[], providers=[])
    taken = {"index.pdf"}
    for provider in evidence.providers_of(indicator.number):
        if provider.files is None:
            continue
        folder.providers.append(provider.name)
        for exported in _provider_files(provider, export.organisation, span):
            name = _unique(exported.name.strip("/").replace("\\", "/"), taken)
            taken.add(name)
            _write(archive, f"{folder.name}/{name}", exported.content)
            folder.entries.append(Entry(name=name, size=len(exported.content)))
    _write(archive, f"{folder.name}/index.pdf", _indicator_index(export, folder))
    return folder


def _digest(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


# --- The index PDFs ------------------------------------------------------------------------------


def size_text(size: int) -> str:
    """A size as a person reads it (« 12 octets », « 3,4 Ko »), in the active language."""
    return str(filesizeformat(size)).replace("\xa0", " ")


def _criterion(indicator: Indicator):
    return next(criterion for criterion in CRITERIA if criterion.number == indicator.criterion)


def _render(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint takes seconds to load, paid only by whoever renders a PDF.
    from tisser.documents.pdf import render_pdf

    return render_pdf(template_name=template_name, context=context)


def _indicator_index(export: AuditExport, folder: Folder) -> bytes:
    return _render(
        "documents/quality/export_indicator.html",
        {
            "document_title": _("Indicateur %(number)s — pièces pour l'audit")
            % {"number": folder.indicator.number},
            "organisation": export.organisation,
            "export": export,
            "indicator": folder.indicator,
            "criterion": _criterion(folder.indicator),
            "entries": [(entry.name, size_text(entry.size)) for entry in folder.entries],
            "to_supply": TO_SUPPLY.get(folder.indicator.number, ""),
            "made_at": timezone.localtime(),
        },
    )


def _global_index(export: AuditExport, folders: list[Folder]) -> bytes:
    rows = [
        (
            folder.indicator,
            folder.name,
            ngettext("%(count)s pièce", "%(count)s pièces", len(folder.entries))
            % {"count": len(folder.entries)},
            size_text(sum(entry.size for entry in folder.entries)),
        )
        for folder in folders
    ]
    return _render(
        "documents/quality/export_index.html",
        {
            "document_title": _("Export pour l'audit Qualiopi"),
            "organisation": export.organisation,
            "export": export,
            "rows": rows,
            "not_applicable": [
                (indicator, NOT_APPLICABLE.get(indicator.number, ""))
                for indicator in INDICATORS
                if not indicator.applies_to_bilans
            ],
            "made_at": timezone.localtime(),
        },
    )


# --- The daily clean-up ------------------------------------------------------------------------


def audit_exports_prune(*, now: datetime | None = None, organisation_id: int | None = None) -> int:
    """Daily: remove the archives past their expiry and mark failed the builds a dead worker
    left unfinished (their partial file removed); how many exports changed. A query for the
    exports to clean, one UPDATE, and a file removal each."""
    now = now or timezone.now()
    exports = AuditExport.objects.all()
    if organisation_id is not None:
        exports = exports.filter(organisation_id=organisation_id)
    expired = list(
        exports.filter(
            status=AuditExport.Status.READY, expires_at__lte=now, removed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    stale = list(
        exports.filter(
            status__in=(AuditExport.Status.WAITING, AuditExport.Status.RUNNING),
            created_at__lt=now - AuditExport.STALE_AFTER,
        ).values_list("pk", flat=True)
    )
    for pk in expired:
        archive_path(pk).unlink(missing_ok=True)
    for pk in stale:
        _partial_path(pk).unlink(missing_ok=True)
    AuditExport.objects.filter(pk__in=expired).update(removed_at=now)
    AuditExport.objects.filter(pk__in=stale).update(
        status=AuditExport.Status.FAILED,
        finished_at=now,
        removed_at=now,
        error=_(
            "La préparation de cet export s'est interrompue sans aboutir : demandez-en un nouveau."
        ),
    )
    return len(expired) + len(stale)
