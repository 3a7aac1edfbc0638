"""The network in the person's personal-data export, and its erasure."""

import json
from datetime import date

from django.utils import timezone

from tisser.core.models import AuditEvent
from tisser.network import services
from tisser.network.models import (
    Contact,
    HowKnown,
    InformationalInterview,
    NetworkSharing,
    NetworkSnapshot,
    StageEvent,
)
from tisser.network.services.personal_data import network_erase, network_personal_data


def a_network(owner):
    anne = services.contact_create(
        owner=owner,
        data=services.ContactData(
            first_name="Anne", last_name="Martin", how_known=HowKnown.SCHOOL, notes="Privé"
        ),
    )
    interview = InformationalInterview.objects.create(
        owner=owner, contact=anne, stage_changed_at=timezone.now(), takeaways="Un métier vivant"
    )
    StageEvent.objects.create(interview=interview, stage="to_contact", at=timezone.now())
    NetworkSnapshot.objects.create(
        owner=owner, week=date(2025, 1, 6), contacts=1, interviews_done=0, referrals=0, sectors=0
    )
    NetworkSharing.objects.create(owner=owner, with_consultant=True)
    return anne


def test_the_export_holds_the_whole_network_and_is_json(people):
    owner = people["beneficiary"]
    a_network(owner)

    data = network_personal_data(owner=owner)

    json.dumps(data)
    assert [contact["last_name"] for contact in data["contacts"]] == ["Martin"]
    assert data["contacts"][0]["notes"] == "Privé"
    assert data["informational_interviews"][0]["takeaways"] == "Un métier vivant"
    assert data["informational_interviews"][0]["steps"][0]["stage"] == "to_contact"
    assert data["snapshots"][0]["week"] == "2025-01-06"
    assert data["shared_with_consultant"] is True


def test_the_export_is_the_owners_only(people):
    a_network(people["beneficiary"])

    data = network_personal_data(owner=people["consultant"])

    assert data == {
        "contacts": [],
        "informational_interviews": [],
        "snapshots": [],
        "shared_with_consultant": False,
        "contact_imports": [],
    }


def test_erasure_removes_the_network_and_nothing_else(people, organisation):
    from tests.factories import member
    from tisser.core.enums import Role

    owner = people["beneficiary"]
    a_network(owner)
    someone_else = member(Role.BENEFICIARY, organisation)
    a_network(someone_else)

    deleted = network_erase(owner=owner)

    assert deleted["network.Contact"] == 1
    assert deleted["network.InformationalInterview"] == 1
    assert deleted["network.StageEvent"] == 1
    assert deleted["network.NetworkSnapshot"] == 1
    assert deleted["network.NetworkSharing"] == 1
    assert not Contact.objects.filter(owner=owner).exists()
    assert not NetworkSnapshot.objects.filter(owner=owner).exists()
    assert Contact.objects.filter(owner=someone_else).count() == 1
    event = AuditEvent.objects.get(action="network.erase")
    assert "Martin" not in json.dumps(event.data)
