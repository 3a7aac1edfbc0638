import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tisser.core.errors import StaleVersion
from tisser.core.models import AuditEvent
from tisser.network import services
from tisser.network.models import Contact, HowKnown
from tisser.network.phones import phone_display, phone_normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["06 12", "bonjour", "+33 1"])
def test_an_invalid_phone_number_gets_a_french_message(typed):
    with pytest.raises(ValidationError) as error:
        phone_normalise(typed)
    assert "n'est pas valide" in error.value.messages[0]


def test_french_numbers_read_the_french_way():
    assert phone_display("+33612345678") == "06 12 34 56 78"
    assert phone_display("+442079460958").startswith("+44 20")


def data(**overrides):
    return services.ContactData(
        **{"last_name": "Martin", "how_known": HowKnown.LINKEDIN} | overrides
    )


def test_a_beneficiary_adds_a_contact_and_it_is_audited(people):
    contact = services.contact_create(
        owner=people["beneficiary"], data=data(email=" Anne.Martin@Exemple.FR ", phone="0612345678")
    )
    assert contact.email == "anne.martin@exemple.fr"
    assert contact.phone == "+33612345678"
    assert AuditEvent.objects.filter(action="contact.create").count() == 1


def test_bad_fields_are_reported_each_next_to_their_field(people):
    with pytest.raises(ValidationError) as error:
        services.contact_create(
            owner=people["beneficiary"],
            data=data(last_name=" ", email="pas-un-mail", phone="12", how_known="x"),
        )
    assert set(error.value.message_dict) == {"last_name", "email", "phone", "how_known"}
    assert not Contact.objects.exists()


def test_only_beneficiaries_have_a_network(people):
    with pytest.raises(PermissionDenied):
        services.contact_create(owner=people["mentor"], data=data())


def test_an_introduction_builds_the_referral_chain_without_loops(people):
    owner = people["beneficiary"]
    anne = services.contact_create(owner=owner, data=data(last_name="Anne"))
    bruno = services.contact_create(owner=owner, data=data(last_name="Bruno", introduced_by=anne))
    assert bruno.how_known == HowKnown.INTRODUCED

    with pytest.raises(ValidationError) as error:
        services.contact_update(
            actor=owner,
            contact=anne,
            data=data(last_name="Anne", introduced_by=bruno),
            expected_version=anne.version,
        )
    assert "introduced_by" in error.value.message_dict


def test_a_stale_edit_never_overwrites(people):
    owner = people["beneficiary"]
    contact = services.contact_create(owner=owner, data=data())
    services.contact_update(
        actor=owner, contact=contact, data=data(notes="Premier"), expected_version=1
    )
    with pytest.raises(StaleVersion) as conflict:
        services.contact_update(
            actor=owner, contact=contact, data=data(notes="Second"), expected_version=1
        )
    assert conflict.value.current.notes == "Premier"
    contact.refresh_from_db()
    assert contact.notes == "Premier"


def test_deleting_a_contact_keeps_those_it_introduced(people):
    owner = people["beneficiary"]
    anne = services.contact_create(owner=owner, data=data(last_name="Anne"))
    bruno = services.contact_create(owner=owner, data=data(last_name="Bruno", introduced_by=anne))
    with pytest.raises(PermissionDenied):
        services.contact_delete(actor=people["consultant"], contact=anne)

    services.contact_delete(actor=owner, contact=anne)

    bruno.refresh_from_db()
    assert bruno.introduced_by is None


def test_the_consultant_sees_contacts_only_when_shared(people):
    from tisser.network.models import NetworkSharing

    services.contact_create(owner=people["beneficiary"], data=data())
    assert not Contact.objects.visible_to(people["consultant"]).exists()
    assert not Contact.objects.visible_to(people["coordinator"]).exists()

    NetworkSharing.objects.create(owner=people["beneficiary"], with_consultant=True)

    assert Contact.objects.visible_to(people["consultant"]).count() == 1
    assert not Contact.objects.visible_to(people["coordinator"]).exists()
