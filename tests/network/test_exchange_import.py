"""Importing contacts files: the same checks as the form, a report of every bad row, duplicates
skipped, nothing stored from an unreadable file, and export → import giving the same contacts."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.network import exchange_files as files
from tisser.core.models import AuditEvent
from tisser.network import services
from tisser.network.exchange import UnreadableFile, contacts_export, contacts_import
from tisser.network.exchange.importer import name_split
from tisser.network.models import Channel, Contact, HowKnown
from tisser.referentiel.models import DomaineProfessionnel, GrandDomaine, Metier


@pytest.fixture
def metier(db):
    return Metier.objects.create(
        code_rome="M1402",
        code_ogr=1,
        libelle="Conseil en organisation et management d'entreprise",
        domaine=DomaineProfessionnel.objects.create(
            code="M14",
            libelle="Organisation et études",
            grand_domaine=GrandDomaine.objects.create(code="M", libelle="Support à l'entreprise"),
        ),
    )


def test_good_rows_come_in_and_bad_rows_are_reported_with_their_line(people):
    owner = people["beneficiary"]

    report = contacts_import(owner=owner, raw=files.EXCEL_FR_CP1252, how_known=HowKnown.SCHOOL)

    assert report.imported == 1
    eloise = Contact.objects.get(owner=owner)
    assert (eloise.first_name, eloise.last_name, eloise.company) == ("Éloïse", "Bœuf", "L’Atelier")
    assert eloise.phone == "+33612345678"
    assert eloise.how_known == HowKnown.SCHOOL
    assert eloise.organisation == people["beneficiary"].memberships.get().organisation
    (problem,) = report.errors
    assert problem.position == 4
    assert problem.name == "Léa Dupré"
    assert len(problem.reasons) == 2
    assert problem.reasons[0].startswith("E-mail : Cette adresse e-mail n'est pas valide")
    assert problem.reasons[1].startswith("Téléphone : Ce numéro de téléphone n'est pas valide")
    assert report.encoding == "Windows-1252 (Excel)"
    assert AuditEvent.objects.get(action="contact.import").data["imported"] == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (files.EXCEL_FR_BOM, {("Anne", "Martin"), ("Bruno", "Lefèvre")}),
        (files.GOOGLE, {("Chloé", "Roux")}),
        (files.OUTLOOK, {("Denis", "Garnier")}),
        (files.LINKEDIN, {("Farid", "Benali")}),
        (files.VCARD_3, {("Hélène", "Moreau"), ("Yannick", "Le Gall")}),
    ],
)
def test_every_real_world_file_comes_in_whole(people, raw, expected):
    owner = people["beneficiary"]

    report = contacts_import(owner=owner, raw=raw)

    assert report.errors == []
    assert set(Contact.objects.filter(owner=owner).values_list("first_name", "last_name")) == (
        expected
    )
    assert not Contact.objects.exclude(how_known=HowKnown.OTHER).exists()


def test_vcard_4_reports_the_broken_card_and_the_bad_email_by_card_number(people):
    report = contacts_import(owner=people["beneficiary"], raw=files.VCARD_4)

    assert report.imported == 1
    assert Contact.objects.get().phone == "+33655443322"
    assert [(problem.position, problem.name) for problem in report.errors] == [
        (2, ""),
        (3, "Jules Sans-Mail"),
    ]
    assert "illisible" in report.errors[0].reasons[0]
    assert report.errors[1].reasons[0].startswith("E-mail :")


@pytest.mark.parametrize("raw", [b"", files.XLSX, b"Ville\nLyon\n", b'Nom\n"Martin\n'])
def test_an_unreadable_file_imports_nothing(people, raw):
    with pytest.raises(UnreadableFile):
        contacts_import(owner=people["beneficiary"], raw=raw)

    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action="contact.import").exists()


def test_duplicates_of_the_network_or_of_a_line_above_are_skipped_and_said(people):
    owner = people["beneficiary"]
    services.contact_create(
        owner=owner,
        data=services.ContactData(
            last_name="Martin", first_name="Anne", how_known=HowKnown.LINKEDIN, email="a@x.fr"
        ),
    )
    services.contact_create(
        owner=owner,
        data=services.ContactData(last_name="Petit", company="ACME", how_known=HowKnown.EVENT),
    )
    raw = (
        "Prénom;Nom;Société;E-mail\n"
        "Anne-Laure;Martin;;A@X.FR\n"  # same e-mail as a contact, another name
        ";PETIT;Acme;\n"  # same name and organisation, another case
        "Zoé;Roy;Lumen;zoe@lumen.fr\n"
        "Zoé;Roy;Ailleurs;zoe@lumen.fr\n"  # same e-mail as line 4
        "Zoe;ROY;LUMEN;\n"  # same name and organisation as line 4
    ).encode()

    report = contacts_import(owner=owner, raw=raw)

    assert report.imported == 1
    assert [(problem.position, problem.reasons[0]) for problem in report.duplicates] == [
        (2, "Même e-mail qu'un contact de votre réseau (Anne Martin)."),
        (3, "Même nom et même structure qu'un contact de votre réseau (Petit)."),
        (5, "Même e-mail que la ligne 4."),
        (6, "Même nom et même structure que la ligne 4."),
    ]
    assert Contact.objects.filter(owner=owner).count() == 3


def test_importing_the_same_file_twice_adds_nobody_the_second_time(people):
    owner = people["beneficiary"]
    contacts_import(owner=owner, raw=files.EXCEL_FR_BOM)

    report = contacts_import(owner=owner, raw=files.EXCEL_FR_BOM)

    assert report.imported == 0
    assert len(report.duplicates) == 2
    assert Contact.objects.filter(owner=owner).count() == 2


def test_too_long_cells_and_unknown_fiches_are_bad_rows_not_crashes(people, metier):
    raw = (
        f"Nom;Fonction;Code ROME\nMartin;{'x' * 250};\nDurand;;Z9999\nPetit;;M1402 — Conseil\n"
    ).encode()

    report = contacts_import(owner=people["beneficiary"], raw=raw)

    assert [problem.position for problem in report.errors] == [2, 3]
    assert "200 caractères au plus (ce texte en a 250)" in report.errors[0].reasons[0]
    assert report.errors[1].reasons[0].startswith("Fiche métier : « Z9999 »")
    assert Contact.objects.get().metier == metier


def test_a_bad_import_level_choice_fails_every_row(people):
    report = contacts_import(owner=people["beneficiary"], raw=files.GOOGLE, how_known="x")

    assert report.imported == 0
    assert "Comment je connais cette personne" in report.errors[0].reasons[0]


def test_only_a_beneficiary_imports(people):
    with pytest.raises(PermissionDenied):
        contacts_import(owner=people["consultant"], raw=files.GOOGLE)


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Anne Martin", "Anne", "Martin"),
        ("Anne-Sophie de la Tour", "Anne-Sophie", "de la Tour"),
        ("MARTIN Anne", "Anne", "MARTIN"),
        ("LE GALL Yannick", "Yannick", "LE GALL"),
        ("Martin", "", "Martin"),
        ("ACME SA", "ACME", "SA"),
    ],
)
def test_full_names_are_split(full, first, last):
    assert name_split(full) == (first, last)


def test_a_crash_while_writing_leaves_nothing(people, monkeypatch):
    from tisser.network.exchange import importer

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "audit_record", broken)

    with pytest.raises(RuntimeError):
        contacts_import(owner=people["beneficiary"], raw=files.EXCEL_FR_BOM)

    assert not Contact.objects.exists()


def _network(owner) -> list[tuple]:
    return sorted(
        (
            contact.first_name,
            contact.last_name,
            contact.job_title,
            contact.company,
            contact.metier_id,
            contact.sector,
            contact.how_known,
            str(contact.introduced_by or ""),
            contact.channel,
            contact.email,
            contact.phone,
            contact.link,
            contact.notes,
        )
        for contact in Contact.objects.filter(owner=owner).select_related("introduced_by")
    )


@pytest.fixture
def network(people, metier):
    owner = people["beneficiary"]
    anne = services.contact_create(
        owner=owner,
        data=services.ContactData(
            first_name="Anne",
            last_name="Martin",
            job_title="Consultante",
            company="Cabinet « Œ », Conseil; RH",
            metier=metier,
            sector="Conseil",
            how_known=HowKnown.FORMER_MANAGER,
            channel=Channel.EMAIL,
            email="anne@exemple.fr",
            phone="06 12 34 56 78",
            link="https://www.linkedin.com/in/anne",
            notes="Première ligne\nSeconde ligne ; « citée »\n=SOMME(A1:A2)",
        ),
    )
    services.contact_create(
        owner=owner,
        data=services.ContactData(
            first_name="Bruno",
            last_name="Lefèvre",
            how_known=HowKnown.INTRODUCED,
            introduced_by=anne,
            phone="+44 20 7946 0958",
            channel=Channel.PHONE,
        ),
    )
    services.contact_create(
        owner=owner, data=services.ContactData(last_name="Seule", how_known=HowKnown.EVENT)
    )
    return owner


@pytest.mark.parametrize("format", ["csv", "vcard"])
def test_export_then_import_gives_the_same_contacts(people, network, format):
    # the export is written as it is read (streamed): its bytes are taken before the delete
    exported = contacts_export(owner=network, format=format).content
    before = _network(network)
    Contact.objects.filter(owner=network).delete()

    report = contacts_import(owner=network, raw=exported)

    assert report.errors == [] and report.duplicates == []
    assert _network(network) == before
