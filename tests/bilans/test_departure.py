"""A person who leaves: the coordinator erases them. What goes (every app's personal data,
through the registry), what stays (the management data), what blocks it (an open bilan),
who may do it (the coordination of the person's organisation, 404 otherwise)."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.bilans.helpers import closed_bilan, open_bilan
from tests.factories import PASSWORD, member
from tests.network.guides_helpers import contact
from tisser.accounts.models import Membership, User
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Aspirations, Bilan, BilanConsent, SynthesisDocument
from tisser.bilans.services.departure import person_departure_preview, person_erase
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.network.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(people):
    """A beneficiary whose bilan is closed, with working documents, a check, a contact."""
    person = people["beneficiary"]
    bilan = closed_bilan(people["consultant"], person)
    Aspirations.objects.create(bilan=bilan, mobility="Lyon", constraints="Pas de nuit")
    IsolationCheck.objects.create(
        user=person, organisation=bilan.organisation, moment="end", version="v1"
    )
    contact(person, "Durand", email="ines@example.org")
    return person


def _membership(person):
    return person.memberships.get()


def test_the_preview_counts_what_would_go_and_deletes_nothing(people, leaver):
    preview = person_departure_preview(
        coordinator=people["coordinator"], membership=_membership(leaver)
    )

    assert not preview.blockers
    counts = {line.label: line.count for line in preview.lines}
    assert counts["Le réseau : contacts, enquêtes-métiers et leurs notes, imports"] >= 1
    assert any("documents de travail" in label and n >= 2 for label, n in counts.items())
    assert Contact.objects.filter(owner=leaver).exists()
    assert Aspirations.objects.filter(bilan__beneficiary=leaver).exists()


def test_erasing_keeps_only_the_management_data(people, leaver):
    bilan = Bilan.objects.get(beneficiary=leaver)
    name = leaver.get_full_name()

    person_erase(coordinator=people["coordinator"], membership=_membership(leaver))

    leaver.refresh_from_db()
    assert not leaver.is_active and not leaver.has_usable_password()
    assert leaver.get_full_name() == "Personne effacée"
    assert leaver.email.endswith("@tisser.invalid")
    assert authenticate(email=leaver.email, password=PASSWORD) is None
    assert not EmailAddress.objects.filter(user=leaver).exists()
    assert not Membership.objects.filter(user=leaver, is_active=True).exists()
    # What goes.
    assert not Aspirations.objects.filter(bilan=bilan).exists()
    assert not SynthesisDocument.objects.filter(bilan=bilan).exists()
    assert not IsolationCheck.objects.filter(user=leaver).exists()
    assert not Contact.objects.filter(owner=leaver).exists()
    # What stays: the bilan with its dates and hours, the consent record.
    bilan.refresh_from_db()
    assert bilan.closed_at is not None and bilan.opened_at is not None
    assert BilanConsent.objects.filter(bilan=bilan).exists()
    # One audit entry, with counts and no name.
    event = AuditEvent.objects.get(action="person.erase")
    assert event.actor == people["coordinator"]
    assert event.target_id == str(leaver.pk)
    assert name not in str(event.data) and "Lyon" not in str(event.data)
    assert event.data["deleted"]["network.Contact"] == 1


def test_an_open_bilan_blocks_and_says_what_to_do(people):
    open_bilan(people["consultant"], people["beneficiary"])
    membership = _membership(people["beneficiary"])

    preview = person_departure_preview(coordinator=people["coordinator"], membership=membership)
    assert any("bilan en cours" in reason for reason in preview.blockers)
    with pytest.raises(ValidationError, match="Terminez-le"):
        person_erase(coordinator=people["coordinator"], membership=membership)
    assert User.objects.get(pk=people["beneficiary"].pk).is_active
    assert not AuditEvent.objects.filter(action="person.erase").exists()


def test_a_consultant_with_open_bilans_blocks_too(people):
    open_bilan(people["consultant"], people["beneficiary"])

    with pytest.raises(ValidationError, match="accompagne des bilans en cours"):
        person_erase(
            coordinator=people["coordinator"], membership=_membership(people["consultant"])
        )


def test_only_a_coordinator_of_the_organisation(people, leaver):
    other = member(Role.COORDINATOR)
    for actor in (other, people["consultant"]):
        with pytest.raises(PermissionDenied):
            person_erase(coordinator=actor, membership=_membership(leaver))


def test_the_pages_list_confirm_and_erase(client, people, leaver):
    client.force_login(people["coordinator"])
    membership = _membership(leaver)
    url = reverse("coordinator:departure_erase", args=[membership.pk])

    listing = client.get(reverse("coordinator:departures")).content.decode()
    assert url in listing
    page = client.get(url).content.decode()
    assert "Ce qui sera supprimé" in page and "Ce qui reste (données de gestion)" in page

    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Cochez la case pour confirmer" in refused.content.decode()
    assert User.objects.get(pk=leaver.pk).is_active

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=leaver.pk).is_active
    assert url not in client.get(reverse("coordinator:departures")).content.decode()


def test_another_organisation_s_member_is_a_404(client, people):
    stranger = member(Role.BENEFICIARY)
    client.force_login(people["coordinator"])

    url = reverse("coordinator:departure_erase", args=[_membership(stranger).pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert User.objects.get(pk=stranger.pk).is_active


def test_the_page_shows_what_blocks_without_a_form(client, people):
    open_bilan(people["consultant"], people["beneficiary"])
    client.force_login(people["coordinator"])

    url = reverse("coordinator:departure_erase", args=[_membership(people["beneficiary"]).pk])
    page = client.get(url).content.decode()

    assert "L'effacement n'est pas possible pour l'instant" in page
    assert 'name="confirm"' not in page


def test_every_departure_names_real_models_once():
    from django.apps import apps

    from tisser.core.personal_data import departures

    labels = {model._meta.label for model in apps.get_models()}
    covered = [label for departure in departures() for label in departure.covers]
    assert set(covered) <= labels
    assert len(covered) == len(set(covered))
    assert {"network", "bilans", "mentoring", "peers", "assessments"} <= {
        d.key for d in departures()
    }
