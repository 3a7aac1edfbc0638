"""The auditor's export (issue #18, ADR 0039): the coordinator types dates in the wrong order
and reads why, asks an export, sees it ready and downloads it; a build in progress is told in
a live region, polled until it ends, then no more. axe-core at 1280 and 390 px."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check, sign_in
from tests.factories import member
from tisser.core.enums import Role
from tisser.quality.models import AuditExport

WIDTHS = (1280, 390)


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.TISSER_EXPORTS_DIR = tmp_path / "exports"


def check_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_coordinator_asks_an_export_and_downloads_it(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    sign_in(page, live_server, coordinator)

    page.goto("/coordination/")
    page.get_by_role("link", name="L'export pour l'auditeur ou l'auditrice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export pour l'audit Qualiopi")
    check_widths(page)

    page.locator("#id_first_day").fill("2026-03-02")
    page.locator("#id_last_day").fill("2026-03-01")
    page.get_by_role("button", name="Préparer l'export").click()
    expect(page.locator("#id_last_day_error")).to_contain_text("même jour que la date de début")
    expect(page.get_by_role("alert")).to_be_visible()
    check_widths(page)

    # A quiet span, long ago: the archive holds the indexes and is quick to build. The test
    # settings run tasks at once, so the export is ready when the page comes back.
    today = timezone.localdate()
    page.locator("#id_first_day").fill((today - timedelta(days=400)).isoformat())
    page.locator("#id_last_day").fill((today - timedelta(days=380)).isoformat())
    page.get_by_role("button", name="Préparer l'export").click()
    status = page.get_by_role("status").first
    expect(status).to_contain_text("Prête", timeout=60_000)
    check_widths(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger l'archive (ZIP)").click()
    download = info.value
    assert download.suggested_filename.startswith("export-qualiopi-")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        assert "00-index.pdf" in archive.namelist()
    assert AuditExport.objects.get(organisation=organisation).status == AuditExport.Status.READY


def test_a_build_in_progress_is_polled_until_it_ends(page, live_server, transactional_db):
    coordinator = member(Role.COORDINATOR)
    organisation = coordinator.memberships.get().organisation
    export = AuditExport.objects.create(
        organisation=organisation,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        requested_by=coordinator,
        status=AuditExport.Status.RUNNING,
        steps_done=4,
        steps_total=23,
        step_label="Indicateur 6 : Contenus et modalités",
    )
    sign_in(page, live_server, coordinator)
    polls = []
    page.on("request", lambda request: polls.append(1) if "/etat/" in request.url else None)
    page.goto("/qualite/export/")
    region = page.locator(f"#export-{export.pk}-status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_contain_text("4 étapes terminées sur 23")
    check_widths(page)

    AuditExport.objects.filter(pk=export.pk).update(
        status=AuditExport.Status.FAILED,
        finished_at=timezone.now(),
        error="L'export n'a pas pu être préparé : essai.",
    )
    expect(region).to_contain_text("n'a pas pu être préparé", timeout=10_000)
    seen = len(polls)
    page.wait_for_timeout(4500)  # two polling periods: htmx stopped on the 286
    assert len(polls) == seen
    check_widths(page)
