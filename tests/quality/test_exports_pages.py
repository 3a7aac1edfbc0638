"""The auditor's export pages: ask, follow, download (issue #18, ADR 0039)."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tisser.core.enums import Role
from tisser.quality.models import AuditExport


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.TISSER_EXPORTS_DIR = tmp_path / "exports"


def _quiet(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def test_the_coordinator_asks_follows_and_downloads(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["coordinator"])
    page = client.get(reverse("quality:exports"))
    assert page.status_code == 200
    year_ago = (timezone.localdate() - timedelta(days=364)).isoformat()
    assert f'value="{year_ago}"' in page.content.decode()
    assert "Aucun export demandé" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("quality:exports"), {"first_day": _quiet(40), "last_day": _quiet(10)}
        )
    assert response.status_code == 302
    export = AuditExport.objects.get()
    assert export.status == AuditExport.Status.READY, export.error

    listing = client.get(reverse("quality:exports")).content.decode()
    assert "Prête" in listing and 'role="status"' in listing
    assert reverse("quality:export_download", args=[export.pk]) in listing
    assert reverse("quality:export_status", args=[export.pk]) not in listing  # no polling

    # htmx polling: the last state, answered "stop polling"
    status = client.get(reverse("quality:export_status", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert status.status_code == 286
    assert "Télécharger l'archive" in status.content.decode()
    # without JavaScript, back to the page
    assert client.get(reverse("quality:export_status", args=[export.pk])).status_code == 302

    download = client.get(reverse("quality:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert export.archive_name in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert "00-index.pdf" in archive.namelist()


def test_a_build_in_progress_is_polled_and_told(client, people):
    client.force_login(people["coordinator"])
    export = AuditExport.objects.create(
        organisation=people["coordinator"].memberships.get().organisation,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        requested_by=people["coordinator"],
        status=AuditExport.Status.RUNNING,
        steps_done=3,
        steps_total=23,
        step_label="Indicateur 5 : Objectifs",
    )
    url = reverse("quality:export_status", args=[export.pk])
    page = client.get(reverse("quality:exports")).content.decode()
    assert f'hx-get="{url}"' in page and 'aria-live="polite"' in page
    status = client.get(url, HTTP_HX_REQUEST="true")
    assert status.status_code == 200
    assert "3 étapes terminées sur 23" in status.content.decode()
    # another export may not be asked while this one builds
    response = client.post(
        reverse("quality:exports"), {"first_day": "2026-01-01", "last_day": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "déjà en préparation" in response.content.decode()
    assert AuditExport.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_day": "", "last_day": "2026-03-01"}, "Indiquez le premier jour de la période."),
        ({"first_day": "2026-02-30", "last_day": "2026-03-01"}, "Indiquez une date"),
        ({"first_day": "2026-03-02", "last_day": "2026-03-01"}, "même jour que la date de début"),
        ({"first_day": "2019-01-01", "last_day": "2026-03-01"}, "trois ans au plus"),
    ],
)
def test_bad_dates_are_told_next_to_the_field_and_kept(client, people, data, message):
    client.force_login(people["coordinator"])
    response = client.post(reverse("quality:exports"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Le formulaire n'a pas été enregistré" in content
    assert 'value="2026-03-01"' in content  # what was typed is kept
    assert not AuditExport.objects.exists()


def test_other_roles_and_other_organisations_get_404(client, people):
    outsider = member(Role.COORDINATOR, OrganisationFactory())
    export = AuditExport.objects.create(
        organisation=outsider.memberships.get().organisation,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        requested_by=outsider,
        status=AuditExport.Status.READY,
        expires_at=timezone.now() + timedelta(days=7),
    )
    for role in ("beneficiary", "consultant", "mentor"):
        client.force_login(people[role])
        assert client.get(reverse("quality:exports")).status_code == 404
    client.force_login(people["coordinator"])
    assert client.get(reverse("quality:export_download", args=[export.pk])).status_code == 404
    client.force_login(outsider)
    # ready on the row but its file is gone: a 404, not an error
    assert client.get(reverse("quality:export_download", args=[export.pk])).status_code == 404


def test_the_list_reads_the_same_queries_whatever_the_number_of_exports(
    client, people, django_assert_max_num_queries
):
    coordinator = people["coordinator"]
    organisation = coordinator.memberships.get().organisation
    client.force_login(coordinator)

    def add(count: int) -> None:
        AuditExport.objects.bulk_create(
            AuditExport(
                organisation=organisation,
                first_day=date(2026, 1, 1),
                last_day=date(2026, 6, 30),
                requested_by=coordinator,
                status=AuditExport.Status.FAILED,
                error="Échec.",
            )
            for _ in range(count)
        )

    add(1)
    client.get(reverse("quality:exports"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("quality:exports"))
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("quality:exports"))
