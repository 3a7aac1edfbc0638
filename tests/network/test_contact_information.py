"""RGPD art. 14: a contact the person wrote into their network is owed the information; the
contact's page offers a ready message (who, why, what, how long, rights, how to object or be
erased), and deleting the contact erases them."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, member
from tests.network.guides_helpers import contact
from tisser.accounts.models import Organisation
from tisser.core.enums import Role
from tisser.network.information import contact_information_text
from tisser.network.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    organisation = OrganisationFactory(
        name="Cap Avenir", legal_name="Cap Avenir SAS", dpo_email="dpo@cap-avenir.example"
    )
    return member(Role.BENEFICIARY, organisation, user__first_name="Amandine")


def test_the_message_says_who_why_what_how_long_and_the_rights(owner):
    card = contact(owner, "Durand", first_name="Inès", email="ines@example.org")

    text = contact_information_text(card)

    assert text.startswith("Bonjour Inès,")
    assert "Cap Avenir SAS" in text and "responsable de ces données" in text
    assert "votre adresse e-mail" in text and "votre numéro de téléphone" not in text
    assert "6-1-f" in text
    assert "effacés au plus tard quand mon compte est supprimé" in text
    for right in ("accéder", "corriger", "vous opposer", "effacement", "CNIL"):
        assert right in text
    assert "dpo@cap-avenir.example" in text
    assert text.rstrip().endswith(owner.get_full_name())


def test_without_a_dpo_the_message_names_the_organisme(owner):
    Organisation.objects.update(dpo_email="")
    card = Contact.objects.get(pk=contact(owner, "Leroy").pk)

    text = contact_information_text(card)

    assert text.startswith("Bonjour,")
    assert "ou écrire à Cap Avenir SAS." in text


def test_the_contact_page_offers_the_message_to_copy_and_to_send(client, owner):
    card = contact(owner, "Durand", first_name="Inès", email="ines@example.org")
    client.force_login(owner)

    html = client.get(reverse("network:contact", args=[card.pk])).content.decode()

    assert "Informer cette personne" in html
    assert '<textarea id="information-text" rows="12" readonly>Bonjour Inès,' in html
    mailto = html.split('href="mailto:ines@example.org?', 1)[1].split('"', 1)[0]
    assert "Cap Avenir SAS" in unquote(mailto)
    assert reverse("network:contact_delete", args=[card.pk]) in html


def test_a_contact_who_asks_is_erased_by_deleting_the_card(client, owner):
    card = contact(owner, "Durand", email="ines@example.org", notes="Rencontrée au salon")
    client.force_login(owner)

    client.post(reverse("network:contact_delete", args=[card.pk]))

    assert not Contact.objects.filter(email="ines@example.org").exists()
