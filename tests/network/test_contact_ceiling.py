"""A person holds at most so many contacts (docs/adr/0012-bounded-imports.md): the form and
imports respect it; a coordinator of the person's organisation, and only they, raise it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import member
from tisser.core.audit import AuditEvent
from tisser.core.enums import Role
from tisser.network.exchange import UnreadableFile, contacts_import
from tisser.network.models import Contact, ContactCeiling, HowKnown
from tisser.network.services import (
    ContactData,
    contact_ceiling,
    contact_ceiling_set,
    contact_create,
)


@pytest.fixture
def small_ceiling(settings):
    settings.TISSER_CONTACT_CEILING = 3
    return 3


def add(owner, name: str):
    return contact_create(owner=owner, data=ContactData(last_name=name, how_known=HowKnown.OTHER))


def membership_of(user):
    return user.memberships.get(role=Role.BENEFICIARY)


def test_the_form_stops_at_the_default_ceiling(people, small_ceiling):
    owner = people["beneficiary"]
    for name in ("A", "B", "C"):
        add(owner, name)

    with pytest.raises(ValidationError) as error:
        add(owner, "D")

    assert error.value.messages == [
        "Votre réseau compte déjà 3 contacts, le plafond de votre compte : supprimez-en un, "
        "ou demandez à la coordination de votre organisme de relever ce plafond."
    ]
    assert Contact.objects.filter(owner=owner).count() == 3


def test_an_import_past_the_ceiling_imports_nothing_and_says_how_many_lines_to_remove(
    people, small_ceiling
):
    owner = people["beneficiary"]
    add(owner, "A")
    add(owner, "B")

    with pytest.raises(UnreadableFile) as error:
        contacts_import(owner=owner, raw=b"Nom\nC\nD\nA\n")  # A is a duplicate: 2 new

    assert error.value.message.startswith(
        "Cet import porterait votre réseau à 4 contacts, or le plafond de votre compte est de "
        "3 : retirez 1 ligne du fichier,"
    )
    assert Contact.objects.filter(owner=owner).count() == 2


def test_a_full_network_refuses_an_import_before_reading_it(people, small_ceiling):
    owner = people["beneficiary"]
    for name in ("A", "B", "C"):
        add(owner, name)

    with pytest.raises(UnreadableFile) as error:
        contacts_import(owner=owner, raw=b"\x00 not even read")

    assert "a atteint le plafond de contacts" in error.value.message


def test_a_coordinator_of_the_organisation_raises_the_ceiling_and_it_is_audited(
    people, small_ceiling
):
    owner = people["beneficiary"]
    for name in ("A", "B", "C"):
        add(owner, name)
    membership = membership_of(owner)

    contact_ceiling_set(coordinator=people["coordinator"], membership=membership, ceiling=5)

    assert contact_ceiling(membership) == 5
    report = contacts_import(owner=owner, raw=b"Nom\nD\nE\n")
    assert report.imported == 2
    event = AuditEvent.objects.get(action="contact.ceiling_set")
    assert event.actor == people["coordinator"]
    assert event.data == {"before": 3, "after": 5}


def test_back_to_the_default_removes_the_exception(people, small_ceiling):
    membership = membership_of(people["beneficiary"])
    contact_ceiling_set(coordinator=people["coordinator"], membership=membership, ceiling=5)

    contact_ceiling_set(coordinator=people["coordinator"], membership=membership, ceiling=3)

    assert not ContactCeiling.objects.exists()


@pytest.mark.parametrize("who", ["consultant", "mentor", "beneficiary", "other_coordinator"])
def test_only_a_coordinator_of_that_organisation_may_raise_it(people, small_ceiling, who):
    actor = member(Role.COORDINATOR) if who == "other_coordinator" else people[who]

    with pytest.raises(PermissionDenied):
        contact_ceiling_set(
            coordinator=actor, membership=membership_of(people["beneficiary"]), ceiling=5
        )

    assert not ContactCeiling.objects.exists()


@pytest.mark.parametrize("ceiling", [2, 31])
def test_the_ceiling_stays_between_the_default_and_ten_times_it(people, small_ceiling, ceiling):
    with pytest.raises(ValidationError) as error:
        contact_ceiling_set(
            coordinator=people["coordinator"],
            membership=membership_of(people["beneficiary"]),
            ceiling=ceiling,
        )

    assert error.value.message_dict == {"ceiling": ["Entre 3 et 30 contacts."]}
