"""Import pages, bounded (docs/adr/0012-bounded-imports.md): a large file is imported by a
task whose progress the page shows, the report shows the first problems of each kind, the
contact form respects the ceiling, and a coordinator raises one person's ceiling."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import member
from tisser.core.enums import Role
from tisser.network.exchange import contacts_import
from tisser.network.exchange.background import contact_import_start
from tisser.network.models import Contact, ContactCeiling, ContactImport, HowKnown

CSV = "Prénom;Nom;E-mail\n" + "".join(f"Anne;Martin{n};a{n}@exemple.fr\n" for n in range(40))


@pytest.fixture
def beneficiary(people, client):
    client.force_login(people["beneficiary"])
    return people["beneficiary"]


@pytest.fixture
def background(settings):
    """Any file over 100 bytes is read in the background."""
    settings.TISSER_IMPORT_BACKGROUND_BYTES = 100


def upload(client, raw: bytes, **extra):
    return client.post(
        reverse("network:contacts_import"),
        {
            "file": SimpleUploadedFile("gros.csv", raw, content_type="text/csv"),
            "how_known": HowKnown.ALUMNI,
        },
        **extra,
    )


def test_a_large_file_is_imported_in_the_background_then_its_report_shown(
    client, beneficiary, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, CSV.encode())

    job = ContactImport.objects.get(owner=beneficiary)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "network:contacts_import_progress", kwargs={"import_id": job.pk}
    )
    assert len(callbacks) == 1  # enqueued once the row is committed; the task takes its id
    assert job.status == ContactImport.Status.DONE
    assert job.content is None  # the file's bytes are not kept once read
    assert (job.rows_done, job.rows_total) == (40, 40)
    assert Contact.objects.filter(owner=beneficiary, how_known=HowKnown.ALUMNI).count() == 40

    page = client.get(response["Location"]).content.decode()
    assert "Résultat de l'import" in page
    assert "gros.csv" in page


def test_while_it_waits_the_page_shows_progress_polls_and_offers_a_reload_link(
    client, beneficiary, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(client, CSV.encode())
    job = ContactImport.objects.get(owner=beneficiary)
    url = reverse("network:contacts_import_progress", kwargs={"import_id": job.pk})

    page = client.get(url).content.decode()
    assert "Import en cours" in page
    assert f'hx-get="{url}"' in page
    assert 'role="status"' in page
    assert f'<a href="{url}">Actualiser la page</a>' in page

    ContactImport.objects.filter(pk=job.pk).update(
        status=ContactImport.Status.RUNNING, rows_done=250, rows_total=1000
    )
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "250 lignes vérifiées sur 1\xa0000" in partial
    assert '<progress max="1000" value="250"' in partial
    # the import page leads back to it
    assert url in client.get(reverse("network:contacts_import")).content.decode()

    from tisser.network.exchange.background import contact_import_run

    ContactImport.objects.filter(pk=job.pk).update(status=ContactImport.Status.WAITING)
    contact_import_run(import_id=job.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


def test_a_background_import_that_cannot_read_the_file_says_why_and_erases_it(
    client, beneficiary, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, b"Nom;Notes\n" + b"M;x\n" * 6000)

    job = ContactImport.objects.get(owner=beneficiary)
    assert job.status == ContactImport.Status.FAILED
    assert job.content is None
    page = client.get(response["Location"]).content.decode()
    assert "Import impossible" in page
    assert "Le fichier dépasse 5\xa0000 lignes de contacts" in page
    assert not Contact.objects.filter(owner=beneficiary).exists()


def test_one_background_import_at_a_time(
    client, beneficiary, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(client, CSV.encode())
        response = upload(client, CSV.encode())

    assert "Un import de contacts est déjà en cours" in response.content.decode()
    assert ContactImport.objects.count() == 1


def test_a_new_import_deletes_the_previous_report(people, django_capture_on_commit_callbacks):
    owner = people["beneficiary"]
    with django_capture_on_commit_callbacks(execute=True):
        first = contact_import_start(
            owner=owner, filename="a.csv", raw=b"Nom\nA\n", how_known=HowKnown.OTHER
        )
    with django_capture_on_commit_callbacks(execute=True):
        contact_import_start(
            owner=owner, filename="b.csv", raw=b"Nom\nB\n", how_known=HowKnown.OTHER
        )

    assert not ContactImport.objects.filter(pk=first.pk).exists()
    assert ContactImport.objects.get().filename == "b.csv"


def test_progress_is_told_every_250_rows(people):
    calls = []
    raw = ("Nom\n" + "".join(f"Martin{n}\n" for n in range(600))).encode()

    contacts_import(owner=people["beneficiary"], raw=raw, progress=lambda *args: calls.append(args))

    assert calls == [(250, 600), (500, 600)]


def test_the_report_shows_the_first_100_duplicates_and_counts_the_others(client, beneficiary):
    raw = ("Nom;E-mail\n" + "Martin;anne@exemple.fr\n" * 151).encode()

    content = upload(client, raw).content.decode()

    assert content.count("Même e-mail que la ligne 2.") == 100
    assert "Les 100 premiers doublons sont montrés ; 50 autres ont aussi été ignorés." in content


def test_the_contact_form_says_the_ceiling_is_reached(client, beneficiary, settings):
    settings.TISSER_CONTACT_CEILING = 1
    contacts_import(owner=beneficiary, raw=b"Nom\nMartin\n")

    response = client.post(
        reverse("network:contact_create"),
        {"last_name": "Durand", "how_known": HowKnown.OTHER, "version": 1},
    )

    assert "Votre réseau compte déjà 1 contact, le plafond de votre compte" in (
        response.content.decode()
    )
    assert Contact.objects.filter(owner=beneficiary).count() == 1


def test_a_coordinator_raises_a_ceiling_from_the_list(client, people, settings):
    settings.TISSER_CONTACT_CEILING = 3
    client.force_login(people["coordinator"])
    membership = people["beneficiary"].memberships.get()

    listing = client.get(reverse("coordinator:contact_ceilings")).content.decode()
    url = reverse("coordinator:contact_ceiling", kwargs={"membership_id": membership.pk})
    assert url in listing
    # The range is said and set on the field before anything is typed.
    blank = client.get(url).content.decode()
    assert "Entre 3 et 30 contacts." in blank
    assert 'min="3"' in blank and 'max="30"' in blank

    refused = client.post(url, {"ceiling": "2"})
    assert refused.status_code == 400
    assert "Entre 3 et 30 contacts." in refused.content.decode()

    response = client.post(url, {"ceiling": "12"}, follow=True)
    assert "peut désormais garder 12 contacts au plus" in response.content.decode()
    assert ContactCeiling.objects.get(membership=membership).ceiling == 12


def test_a_beneficiary_of_another_organisation_is_a_404_for_a_coordinator(client, people):
    elsewhere = member(Role.BENEFICIARY).memberships.get()
    client.force_login(people["coordinator"])
    url = reverse("coordinator:contact_ceiling", kwargs={"membership_id": elsewhere.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, {"ceiling": "3000"}).status_code == 404
    assert not ContactCeiling.objects.exists()


def test_a_consultant_the_network_is_shared_with_does_not_see_the_import(client, people):
    from tisser.network.services import network_sharing_set

    network_sharing_set(owner=people["beneficiary"], with_consultant=True)
    job = ContactImport.objects.create(
        owner=people["beneficiary"], filename="a.csv", how_known=HowKnown.OTHER
    )
    client.force_login(people["consultant"])

    url = reverse("network:contacts_import_progress", kwargs={"import_id": job.pk})
    assert client.get(url).status_code == 404


def test_an_import_left_by_a_dead_worker_stops_holding_the_person_back(
    client, beneficiary, background, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        upload(client, CSV.encode())
    stale = ContactImport.objects.get()
    ContactImport.objects.update(
        status=ContactImport.Status.RUNNING, created_at=timezone.now() - timedelta(hours=1)
    )
    url = reverse("network:contacts_import_progress", kwargs={"import_id": stale.pk})
    assert "s'est interrompu sans aboutir" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, CSV.encode())

    assert response.status_code == 302
    assert not ContactImport.objects.filter(pk=stale.pk).exists()  # its bytes with it
    assert ContactImport.objects.get().status == ContactImport.Status.DONE


def test_the_daily_prune_erases_what_dead_imports_left_and_old_reports(people):
    from datetime import timedelta

    from django.utils import timezone

    from tisser.network.tasks import contact_imports_prune_task

    owner = people["beneficiary"]
    now = timezone.now()
    stale, recent, old = (
        ContactImport.objects.create(
            owner=owner, filename=name, how_known=HowKnown.OTHER, content=b"Nom\nMartin\n"
        )
        for name in ("stale.csv", "recent.csv", "old.csv")
    )
    ContactImport.objects.filter(pk=stale.pk).update(created_at=now - timedelta(hours=1))
    ContactImport.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=31), status=ContactImport.Status.DONE, content=None
    )

    contact_imports_prune_task.enqueue()

    stale.refresh_from_db()
    assert stale.content is None
    assert stale.status == ContactImport.Status.FAILED
    assert "s'est interrompu" in stale.error
    recent.refresh_from_db()
    assert bytes(recent.content) == b"Nom\nMartin\n"  # still waiting for its worker
    assert not ContactImport.objects.filter(pk=old.pk).exists()


def test_past_5_mb_the_upload_is_dropped_as_it_arrives_and_the_choice_is_kept(
    client, beneficiary, monkeypatch
):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    stored = []
    keep = TemporaryFileUploadHandler.receive_data_chunk

    def counted(self, raw_data, start):
        stored.append(len(raw_data))
        return keep(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counted)

    response = upload(client, b"Nom\n" + b"Martin\n" * (2 * 1024 * 1024))  # 14 MB

    content = response.content.decode()
    assert "Ce fichier pèse 14,0\xa0Mio : 5 Mo au plus." in content
    assert '<option value="alumni" selected>' in content
    assert sum(stored) <= 5 * 1024 * 1024  # not 14 MB on disk


def test_the_import_form_still_checks_its_csrf_token(beneficiary):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(beneficiary)

    response = strict.post(
        reverse("network:contacts_import"),
        {"file": SimpleUploadedFile("a.csv", b"Nom\nMartin\n"), "how_known": HowKnown.OTHER},
    )

    assert response.status_code == 403
    assert not Contact.objects.exists()
