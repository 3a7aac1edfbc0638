"""The import and export pages: what the person sees and downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import member
from tests.network import exchange_files as files
from tisser.core.enums import Role
from tisser.network import services
from tisser.network.exchange.export import CHUNK
from tisser.network.models import Contact, HowKnown


@pytest.fixture
def beneficiary(people, client):
    client.force_login(people["beneficiary"])
    return people["beneficiary"]


def upload(client, raw: bytes, name: str = "contacts.csv", how_known: str = HowKnown.ALUMNI):
    return client.post(
        reverse("network:contacts_import"),
        {"file": SimpleUploadedFile(name, raw, content_type="text/csv"), "how_known": how_known},
    )


def test_the_import_page_offers_the_file_and_the_how_known_choice(client, beneficiary):
    response = client.get(reverse("network:contacts_import"))

    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'accept=".csv,.txt,.vcf' in content
    assert 'name="how_known"' in content


def test_an_import_shows_its_report(client, beneficiary):
    response = upload(client, files.EXCEL_FR_CP1252)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Résultat de l'import" in content
    assert "Windows-1252 (Excel)" in content
    assert '<th scope="row">4</th>' in content
    assert "Léa Dupré" in content
    assert "Cette adresse e-mail n&#x27;est pas valide" in content
    assert Contact.objects.get(owner=beneficiary).how_known == HowKnown.ALUMNI


def test_an_unreadable_file_is_said_next_to_the_field_and_imports_nothing(client, beneficiary):
    response = upload(client, files.XLSX, name="contacts.xlsx")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="id_file_error"' in content
    assert "classeur Excel" in content
    assert not Contact.objects.exists()
    # the choice made is kept
    assert '<option value="alumni" selected>' in content


def test_a_file_over_5_mb_is_refused_with_a_french_message(client, beneficiary):
    response = upload(client, b"Nom\n" + b"Martin\n" * (800 * 1024))

    assert "5 Mo au plus" in response.content.decode()
    assert not Contact.objects.exists()


def test_no_file_chosen(client, beneficiary):
    response = client.post(reverse("network:contacts_import"), {"how_known": HowKnown.OTHER})

    assert "Choisissez le fichier à importer." in response.content.decode()


def downloaded(response) -> bytes:
    """The whole of a streamed download (its queries run as it is read)."""
    assert response.streaming
    return b"".join(response.streaming_content)


@pytest.fixture
def anne(beneficiary):
    return services.contact_create(
        owner=beneficiary,
        data=services.ContactData(
            first_name="Anne",
            last_name="Martin",
            company="Hôpital",
            how_known=HowKnown.LINKEDIN,
            phone="06 12 34 56 78",
        ),
    )


def test_the_csv_export_is_for_french_excel(client, anne, django_assert_max_num_queries):
    other = member(Role.BENEFICIARY)
    services.contact_create(
        owner=other, data=services.ContactData(last_name="Autre", how_known=HowKnown.OTHER)
    )
    for number in range(10):
        services.contact_create(
            owner=anne.owner,
            data=services.ContactData(
                last_name=f"Nom{number}", how_known=HowKnown.INTRODUCED, introduced_by=anne
            ),
        )

    with django_assert_max_num_queries(8):  # session, membership, contacts, audit: no N+1
        response = client.get(reverse("network:contacts_export_csv"))
        raw = downloaded(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="contacts-tisser-')
    assert disposition.endswith('.csv"')
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Prénom;Nom;Fonction;Structure;Secteur;Code ROME;Fiche métier;")
    assert "Anne;Martin;;Hôpital;" in lines[1]
    assert "'+33612345678" in lines[1]  # E.164, kept as text by the spreadsheet
    assert sum("Anne Martin" in line for line in lines) == 10  # "présenté·e par"
    assert "Autre" not in raw.decode("utf-8-sig")


def test_the_vcard_export_holds_every_contact(client, anne):
    response = client.get(reverse("network:contacts_export_vcard"))

    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"].endswith('.vcf"')
    text = downloaded(response).decode()
    assert text.count("BEGIN:VCARD") == 1
    assert "VERSION:3.0" in text
    assert "TEL;TYPE=VOICE:+33612345678" in text


def test_one_contact_as_a_vcard_for_its_owner_only(client, anne, people):
    url = reverse("network:contact_vcard", kwargs={"contact_id": anne.pk})

    response = client.get(url)

    assert response["Content-Disposition"] == (
        'attachment; filename="contact-anne-martin-tisser.vcf"'
    )
    assert "FN:Anne Martin" in downloaded(response).decode()

    client.force_login(people["consultant"])
    assert client.get(url).status_code == 404


def test_the_export_page_counts_the_contacts(client, anne):
    response = client.get(reverse("network:contacts_export"))

    content = response.content.decode()
    assert "Votre réseau compte 1 contact." in content
    assert reverse("network:contacts_export_csv") in content


def export_queries(client, name: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as context:
        raw = downloaded(client.get(reverse(name)))
    return len(context.captured_queries), raw


@pytest.mark.parametrize("name", ["network:contacts_export_csv", "network:contacts_export_vcard"])
def test_an_export_reads_as_many_queries_for_1_contact_as_for_1200(client, anne, name):
    """Streamed in chunks of `CHUNK` rows (ADR 0030): the count stays flat."""
    small, raw = export_queries(client, name)
    Contact.objects.bulk_create(
        Contact(
            owner=anne.owner,
            last_name=f"Nom{number}",
            how_known=HowKnown.INTRODUCED,
            introduced_by=anne,
            organisation_id=anne.organisation_id,
        )
        for number in range(2 * CHUNK + 200)
    )

    grown, raw = export_queries(client, name)

    assert grown == small
    text = raw.decode("utf-8-sig")
    assert text.count("Nom") >= 2 * CHUNK + 200
    assert "Anne Martin" in text
