import pytest

from tests.network.helpers import a_contact
from tisser.network import services
from tisser.network.messages import LINKEDIN_MAX, approach_message
from tisser.referentiel.models import DomaineProfessionnel, GrandDomaine, Metier


@pytest.fixture
def metier(db):
    return Metier.objects.create(
        code_rome="M1402",
        code_ogr=7,
        libelle="Conseil en organisation et management d'entreprise",
        domaine=DomaineProfessionnel.objects.create(
            code="M14",
            libelle="Organisation",
            grand_domaine=GrandDomaine.objects.create(code="M", libelle="Support"),
        ),
    )


def test_the_message_says_why_this_person_what_for_and_thanks(people, metier):
    owner = people["beneficiary"]
    anne = a_contact(owner, first_name="Anne", last_name="Roux")
    bruno = a_contact(
        owner,
        first_name="Bruno",
        last_name="Lefèvre",
        job_title="Consultant senior",
        company="Acme",
        introduced_by=anne,
    )
    interview = services.interview_start(owner=owner, contact=bruno, metier=metier)

    message = approach_message(bruno, interview, owner)

    assert message.subject == f"Demande d'échange sur le métier de {metier.libelle}"
    assert message.body.startswith("Bonjour Bruno Lefèvre,")
    assert "Anne Roux m'a conseillé de prendre contact avec vous." in message.body
    assert "Votre expérience de Consultant senior chez Acme m'intéresse" in message.body
    assert "20 à 30 minutes" in message.body
    assert "pas pour un emploi" in message.body
    assert "Je vous remercie" in message.body
    assert message.body.rstrip().endswith(owner.get_full_name())
    assert "Anne Roux" in message.short
    assert len(message.short) < LINKEDIN_MAX


@pytest.mark.parametrize(
    ("how_known", "expected"),
    [
        ("former_colleague", "Nous avons travaillé ensemble"),
        ("linkedin", "sur LinkedIn"),
        ("event", "lors d'un événement"),
        ("alumni", "annuaire des anciens"),
    ],
)
def test_why_follows_how_the_person_is_known(people, how_known, expected):
    contact = a_contact(people["beneficiary"], how_known=how_known)
    assert expected in approach_message(contact, None, people["beneficiary"]).body


def test_without_first_name_nor_fiche_the_message_stays_polite(people):
    contact = a_contact(people["beneficiary"], last_name="Durand")
    message = approach_message(contact, None, people["beneficiary"])
    assert message.body.startswith("Bonjour,")
    assert message.subject == "Demande d'échange sur votre métier"
    assert "Votre expérience m'intéresse" in message.body


def test_the_linkedin_note_fits_even_with_long_names(people, metier):
    owner = people["beneficiary"]
    # As long as the fields allow (PostgreSQL enforces the lengths).
    long = ("Très-long-nom-composé " * 8)[:100]
    introducer = a_contact(owner, first_name=long, last_name=long)
    contact = a_contact(
        owner, first_name=long, last_name=long, company=long, introduced_by=introducer
    )
    metier.libelle = (long * 3)[:255]
    interview = services.interview_start(owner=owner, contact=contact, metier=metier)

    message = approach_message(contact, interview, owner)

    assert len(message.short) < LINKEDIN_MAX
    assert "20 minutes" in message.short
