import json

from django.urls import reverse

from tests.bilans.helpers import advance_to, open_bilan
from tisser.bilans.models import Experience, Phase
from tisser.core.models import AuditEvent
from tisser.network import services as network
from tisser.network.models import Contact, HowKnown


def test_the_archive_holds_the_account_the_bilan_tools_and_the_network(client, people):
    person = people["beneficiary"]
    bilan = advance_to(open_bilan(people["consultant"], person), Phase.INVESTIGATION)
    Experience.objects.create(
        bilan=bilan, kind=Experience.Kind.JOB, title="Comptable", started_on="2015-01-01"
    )
    network.contact_create(
        owner=person, data=network.ContactData(last_name="Martin", how_known=HowKnown.ALUMNI)
    )
    client.force_login(person)

    response = client.get(reverse("account:data_export"))

    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-tisser-')
    data = json.loads(response.content)
    assert data["account"]["email"] == person.email
    assert data["bilans"][0]["experiences"][0]["title"] == "Comptable"
    assert data["bilans"][0]["consent"]["text_version"]
    assert data["network"]["contacts"][0]["last_name"] == "Martin"
    assert AuditEvent.objects.filter(action="personal_data.export").exists()


def test_the_network_is_erased_only_once_confirmed(client, people):
    person = people["beneficiary"]
    network.contact_create(
        owner=person, data=network.ContactData(last_name="Martin", how_known=HowKnown.ALUMNI)
    )
    client.force_login(person)
    assert (
        "Effacer mon réseau professionnel"
        in client.get(reverse("account:profile")).content.decode()
    )

    client.post(reverse("account:network_erase"))
    assert Contact.objects.count() == 1

    response = client.post(reverse("account:network_erase"), {"confirm": "1"}, follow=True)

    assert Contact.objects.count() == 0
    assert "Votre réseau professionnel est effacé (1 contact(s))." in response.content.decode()
