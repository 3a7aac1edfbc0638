import json

from django.urls import reverse

from tests.bilans.helpers import advance_to, open_bilan
from tests.factories import member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tests.peers.helpers import peer_group
from tisser.bilans.models import Experience, Phase
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.mentoring import services as mentoring
from tisser.mentoring.models import Mentorship, ProgressUpdate
from tisser.network import services as network
from tisser.network.models import Contact, HowKnown
from tisser.peers.models import Commitment


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


def test_the_archive_holds_the_mentoring_and_the_peer_groups(client, people, organisation):
    person = people["beneficiary"]
    mentee_profile(organisation, user=person, wishes="Comprendre le métier de libraire.")
    mentorship = mentoring.mentorship_start(
        mentee=person,
        mentor=mentor_profile(organisation),
        origin=Mentorship.Origin.ROUND,
        by=people["coordinator"],
    )
    mentoring.progress_update_post(
        actor=person,
        mentorship=mentorship,
        kind=ProgressUpdate.Kind.UPDATE,
        text="J'ai rencontré deux libraires.",
    )
    group = peer_group(
        organisation,
        [person, member(Role.BENEFICIARY, organisation), member(Role.BENEFICIARY, organisation)],
        coordinator=people["coordinator"],
    )
    Commitment.objects.create(
        group=group,
        user=person,
        period_start="2026-12-07",
        period_end="2026-12-13",
        text="Appeler la librairie du quartier",
    )
    client.force_login(person)

    data = json.loads(client.get(reverse("account:data_export")).content)

    assert data["mentoring"]["needs"][0]["wishes"] == "Comprendre le métier de libraire."
    assert data["mentoring"]["mentorships"][0]["my_messages"][0]["text"].startswith("J'ai")
    assert data["peer_groups"]["groups"][0]["group__name"] == group.name
    assert data["peer_groups"]["commitments"][0]["text"] == "Appeler la librairie du quartier"
