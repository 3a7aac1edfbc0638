"""The indicator map and the organisme's documents' pages: what they show, bad input, the
confirmation before a deletion, and a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import closed_bilan, entretiens, open_bilan
from tests.factories import member
from tests.quality.helpers_documents import PDF, document, pdf_upload
from tisser.core.enums import Role
from tisser.quality.models import DocumentKind, OrganismeDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, people):
    client.force_login(people["coordinator"])
    return client


def _post_data(people, **overrides):
    data = {
        "kind": DocumentKind.LEGAL_WATCH,
        "title": "Veille légale du printemps",
        "indicators": ["23"],
        "document_date": "2026-04-01",
        "owner": str(people["coordinator"].pk),
        "review_due_on": "",
    }
    data.update(overrides)
    return data


def test_the_map_lists_the_22_indicators_and_folds_the_10_others(coordinator_client, people):
    closed_bilan(people["consultant"], people["beneficiary"])
    today = timezone.localdate()
    document(
        people["coordinator"],
        document_date=today - timedelta(days=10),
        review_due_on=today - timedelta(days=1),
    )
    response = coordinator_client.get(reverse("quality:indicators"))
    assert response.status_code == 200
    html = response.content.decode()
    for number in (1, 2, 4, 5, 6, 9, 10, 11, 12, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 30):
        assert f'id="indicateur-{number}"' in html
    for number in (3, 7, 8, 13, 14, 15, 16, 20, 28, 29):
        assert f'id="indicateur-{number}"' not in html
    assert "10 indicateurs, et pourquoi" in html
    assert "1 bilan mené à son terme" in html
    assert "1 compte rendu de phase préliminaire" in html
    assert "Veille légale" in html
    assert "en retard : à revoir avant le" in html
    assert "Aucun document déposé." in html


def test_the_span_filter(coordinator_client, people):
    closed_bilan(people["consultant"], people["beneficiary"])
    response = coordinator_client.get(
        reverse("quality:indicators"), {"du": "2020-01-01", "au": "2020-12-31"}
    )
    assert response.status_code == 200
    assert ">0 bilan" in response.content.decode()  # 0: singular once the French catalog has it
    response = coordinator_client.get(
        reverse("quality:indicators"), {"du": "2026-05-01", "au": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "La fin de la période suit son début" in response.content.decode()


def _grow(people, size: int):
    organisation = people["coordinator"].memberships.get().organisation
    for index in range(size):
        beneficiary = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
        bilan = closed_bilan(people["consultant"], beneficiary) if index % 2 else None
        if bilan is None:
            # A day of its own for each, so that the consultant's entretiens never clash.
            days = 3 + OrganismeDocument.objects.count()
            entretiens(open_bilan(people["consultant"], beneficiary), count=2, days=days)
        document(people["coordinator"], title=f"Veille {index}", indicators=[23, 24, 25])


def _queries(client, url) -> int:
    client.get(url)  # caches warmed (content types, the session)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url_name", ["quality:indicators", "quality:documents"])
def test_a_constant_number_of_queries(coordinator_client, people, url_name):
    url = reverse(url_name)
    _grow(people, 1)
    small = _queries(coordinator_client, url)
    _grow(people, 4)
    grown = _queries(coordinator_client, url)
    assert grown == small


def test_upload_from_the_page(coordinator_client, people):
    response = coordinator_client.post(
        reverse("quality:documents"), {**_post_data(people), "file": pdf_upload()}
    )
    assert response.status_code == 302
    saved = OrganismeDocument.objects.get()
    assert saved.indicators == [23]
    download = coordinator_client.get(reverse("quality:document_file", args=[saved.pk]))
    assert download.status_code == 200
    assert b"".join(download) == PDF
    assert download["Content-Disposition"].startswith("attachment")


def test_kind_indicators_by_default(coordinator_client, people):
    coordinator_client.post(
        reverse("quality:documents"),
        {
            **_post_data(people, kind=DocumentKind.COMPLAINTS_PROCEDURE, indicators=[]),
            "file": pdf_upload(),
        },
    )
    assert OrganismeDocument.objects.get().indicators == [31]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            pdf_upload("photo.gif", b"GIF89a...."),
            "Envoyez un PDF, une image PNG ou une image JPEG.",
        ),
        (
            pdf_upload("gros.pdf", PDF + b"0" * (5 * 1024 * 1024)),
            "Le fichier dépasse 5 Mo : envoyez une version plus légère.",
        ),
    ],
)
def test_a_bad_file_is_refused_next_to_its_field(coordinator_client, people, upload, message):
    response = coordinator_client.post(
        reverse("quality:documents"), {**_post_data(people), "file": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_file_error">\n            <li>{message}' in html or (
        'id="id_file_error"' in html and message.replace("'", "&#x27;") in html
    )
    assert "Le formulaire n'a pas été enregistré" in html or "Le formulaire n&#x27;a pas" in html
    # Nothing typed is lost.
    assert 'value="Veille légale du printemps"' in html
    assert not OrganismeDocument.objects.exists()


def test_a_missing_file_is_said(coordinator_client, people):
    response = coordinator_client.post(reverse("quality:documents"), _post_data(people))
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()


def test_edit_and_replace(coordinator_client, people):
    saved = document(people["coordinator"])
    url = reverse("quality:document", args=[saved.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(
        url,
        {
            **_post_data(people, title="Veille 2026", indicators=["23", "24"]),
            "version": "1",
            "file": pdf_upload("v2.pdf", PDF + b"% v2\n"),
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.title, saved.indicators, saved.version) == ("Veille 2026", [23, 24], 2)
    stale = coordinator_client.post(url, {**_post_data(people), "version": "1"})
    assert stale.status_code == 409


def test_delete_asks_first(coordinator_client, people):
    saved = document(people["coordinator"])
    url = reverse("quality:document_delete", args=[saved.pk])
    asked = coordinator_client.post(url)
    assert asked.status_code == 200
    assert "Supprimer le document « Veille légale » ?" in asked.content.decode()
    assert OrganismeDocument.objects.exists()
    done = coordinator_client.post(url, {"confirmed": "oui"})
    assert done.status_code == 302
    assert not OrganismeDocument.objects.exists()


def test_another_organisations_document_is_a_404(coordinator_client, people):
    outsider = member(Role.COORDINATOR)
    foreign = document(outsider)
    for name in ("quality:document", "quality:document_file"):
        assert coordinator_client.get(reverse(name, args=[foreign.pk])).status_code == 404
    assert (
        coordinator_client.post(reverse("quality:document_delete", args=[foreign.pk])).status_code
        == 404
    )


def test_the_coordinator_home_links_to_the_map(coordinator_client):
    response = coordinator_client.get(reverse("coordinator:home"))
    assert reverse("quality:indicators") in response.content.decode()
