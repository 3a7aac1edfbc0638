"""The auditor's export (issue #18, ADR 0039): built on the demo data, checked file by file."""

import io
import os
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import OrganisationFactory, member
from tisser.accounts.demo import demo_email
from tisser.accounts.models import Membership, Organisation, User
from tisser.bilans.models import Bilan
from tisser.bilans.working_documents import working_documents
from tisser.core.enums import Role
from tisser.quality import evidence
from tisser.quality.evidence import Span
from tisser.quality.indicators import applicable, indicator
from tisser.quality.models import AuditExport
from tisser.quality.services.exports import (
    archive_path,
    audit_export_build,
    audit_export_download,
    audit_export_request,
    audit_exports_prune,
    default_span,
    folder_name,
)


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.TISSER_EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture
def small(db):
    organisation = OrganisationFactory()
    return member(Role.COORDINATOR, organisation), organisation


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    coordinator = User.objects.get(email=demo_email("nadia", "benali"))
    organisation = Membership.objects.get(user=coordinator, role=Role.COORDINATOR).organisation
    return coordinator, organisation


def _quiet_span() -> Span:
    """A span long before the demo's bilans: an export with indexes and few files, quick."""
    today = timezone.localdate()
    return Span(first_day=today - timedelta(days=1000), last_day=today - timedelta(days=990))


def _build(coordinator, organisation, django_capture_on_commit_callbacks, span=None):
    span = span or default_span()
    with django_capture_on_commit_callbacks(execute=True):
        export = audit_export_request(
            coordinator=coordinator,
            organisation=organisation,
            first_day=span.first_day,
            last_day=span.last_day,
        )
    export.refresh_from_db()
    return export


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _markers(organisation: Organisation) -> set[str]:
    """Sentences written in the organisation's working documents (synthèses, preliminary
    records, private notes, the person's own work…): none may appear in the export."""
    found: set[str] = set()
    bilans = list(Bilan.objects.filter(organisation=organisation))
    for kind in working_documents():
        for bilan in bilans:
            for row in kind.rows(bilan):
                for field in row._meta.concrete_fields:
                    if isinstance(field, models.TextField):
                        value = (getattr(row, field.attname) or "").strip()
                        if len(value) >= 30:
                            found.add(" ".join(value.split())[:60])
    return found


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="the archive's content does not depend on the database: checked once, on SQLite "
    "(the slowest test of the suite; the other export tests run on both databases)",
)
def test_the_demo_export_holds_every_indicator_the_paperwork_and_nothing_of_the_person(
    demo, django_capture_on_commit_callbacks
):
    coordinator, organisation = demo
    export = _build(coordinator, organisation, django_capture_on_commit_callbacks)

    assert export.status == AuditExport.Status.READY, export.error
    assert export.steps_done == export.steps_total == len(applicable()) + 1
    assert export.expires_at > timezone.now()
    path = archive_path(export)
    assert path.stat().st_size == export.size and len(export.sha256) == 64

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        contents = {name: archive.read(name) for name in names}
    assert len(names) == len(set(names))
    assert "00-index.pdf" in names
    folders = {name.split("/", 1)[0] for name in names if "/" in name}
    assert folders == {folder_name(indicator) for indicator in applicable()}
    for each in applicable():
        assert f"{folder_name(each)}/index.pdf" in names
    assert folder_name(indicator(26)).startswith("26-accueil-et-accompagnement-des")

    def under(number: int, sub: str) -> list[str]:
        prefix = f"{number:02d}-"
        return [n for n in names if n.startswith(prefix) and f"/{sub}/" in n]

    assert under(9, "conventions") or under(9, "contrats")
    assert under(11, "attestations")
    assert under(12, "emargements")
    assert under(4, "phase-preliminaire") and under(5, "phase-preliminaire")
    assert under(30, "satisfaction")

    # No beneficiary-only document (her synthèse, her inventories' results): by name (the
    # organisme's public results page, indicator 2, is the programme's, not a person's)…
    for name in names:
        lowered = name.rsplit("/", 1)[-1].lower()
        assert "synthese" not in lowered, name
        assert "resultats" not in lowered or "/pages-publiques/" in name, name
    # …and by content: every PDF opens, and no working document's text is inside any file.
    markers = _markers(organisation)
    assert markers  # the demo writes syntheses, notes and records
    texts = {}
    for name, content in contents.items():
        if name.endswith(".pdf"):
            assert content.startswith(b"%PDF-")
            texts[name] = _pdf_text(content)
            assert "Document de synthèse" not in texts[name].replace("\n", " ") or name.endswith(
                "index.pdf"
            ), name
        else:
            texts[name] = content.decode("utf-8-sig")
    for name, text in texts.items():
        flat = " ".join(text.split())
        for marker in markers:
            assert marker not in flat, (name, marker)

    index = " ".join(texts["00-index.pdf"].split())
    assert organisation.display_name in index
    assert "Indicateurs qui ne s'appliquent pas" in index
    convention = (under(9, "conventions") or under(9, "contrats"))[0]
    assert "bilan de compétences" in " ".join(texts[convention].split()).lower()


def test_only_the_coordinators_of_the_organisation_ask_and_download(
    small, django_capture_on_commit_callbacks
):
    coordinator, organisation = small
    consultant = member(Role.CONSULTANT, organisation)
    span = default_span()
    with pytest.raises(PermissionDenied):
        audit_export_request(
            coordinator=consultant,
            organisation=organisation,
            first_day=span.first_day,
            last_day=span.last_day,
        )
    export = _build(coordinator, organisation, django_capture_on_commit_callbacks, _quiet_span())
    with pytest.raises(PermissionDenied):
        audit_export_download(coordinator=consultant, export=export)
    assert audit_export_download(coordinator=coordinator, export=export) == archive_path(export)
    assert AuditExport.objects.visible_to(consultant).count() == 0
    assert AuditExport.objects.visible_to(coordinator).get() == export


def test_bad_spans_are_refused_in_french(small):
    coordinator, organisation = small
    today = timezone.localdate()
    cases = [
        (today, today - timedelta(days=1), "last_day"),
        (today + timedelta(days=2), today + timedelta(days=3), "first_day"),
        (date(2000, 1, 1), today, "first_day"),
    ]
    for first, last, field in cases:
        with pytest.raises(ValidationError) as raised:
            audit_export_request(
                coordinator=coordinator, organisation=organisation, first_day=first, last_day=last
            )
        assert field in raised.value.message_dict
    assert not AuditExport.objects.exists()


def test_a_provider_that_fails_marks_the_export_failed_with_a_message(
    small, django_capture_on_commit_callbacks, monkeypatch
):
    coordinator, organisation = small

    def broken(organisation, span):
        yield evidence.ExportFile("a.txt", b"a")
        raise RuntimeError("boom")

    monkeypatch.setitem(
        evidence._providers,
        "zz_broken",
        evidence.Provider(name="zz_broken", indicators=(17,), lines=None, files=broken),
    )
    export = _build(coordinator, organisation, django_capture_on_commit_callbacks, _quiet_span())

    assert export.status == AuditExport.Status.FAILED
    assert "Indicateur 17" in export.error and "n'a pas pu être préparé" in export.error
    assert not archive_path(export).exists()
    assert not list(archive_path(export).parent.iterdir())  # no partial file left
    with pytest.raises(FileNotFoundError):
        audit_export_download(coordinator=coordinator, export=export)


def test_building_twice_builds_once_and_expired_archives_are_removed(
    small, django_capture_on_commit_callbacks
):
    coordinator, organisation = small
    export = _build(coordinator, organisation, django_capture_on_commit_callbacks, _quiet_span())
    assert export.status == AuditExport.Status.READY
    assert audit_export_build(export_id=export.pk) is None  # already built: nothing to do

    later = export.expires_at + timedelta(minutes=1)
    assert audit_exports_prune(now=later, organisation_id=organisation.pk) == 1
    export.refresh_from_db()
    assert export.removed_at is not None and not export.downloadable
    assert not archive_path(export).exists()
    assert audit_exports_prune(now=later) == 0


def test_a_build_left_by_a_dead_worker_is_closed_by_the_daily_job(small):
    coordinator, organisation = small
    export = AuditExport.objects.create(
        organisation=organisation,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        requested_by=coordinator,
        status=AuditExport.Status.RUNNING,
        created_at=timezone.now() - AuditExport.STALE_AFTER - timedelta(minutes=1),
    )
    assert audit_exports_prune(organisation_id=organisation.pk) == 1
    export.refresh_from_db()
    assert export.status == AuditExport.Status.FAILED and export.error
