import pytest
from django.core.exceptions import PermissionDenied

from tests.network.helpers import a_contact
from tisser.core.models import AuditEvent
from tisser.network import services
from tisser.network.models import Contact, NetworkSharing


def test_same_email_or_same_folded_name_and_company_are_duplicates(people):
    owner = people["beneficiary"]
    anne = a_contact(owner, first_name="Anne", last_name="Lévêque", company="Acme")
    same_name = a_contact(owner, first_name="anne", last_name="LEVEQUE", company=" acme ")
    same_email_a = a_contact(owner, last_name="Roux", email="p.roux@exemple.fr")
    same_email_b = a_contact(owner, last_name="Rousse", email="P.Roux@exemple.fr")
    a_contact(owner, first_name="Anne", last_name="Lévêque", company="Autre structure")
    a_contact(owner, last_name="Seul")

    pairs = services.contact_duplicates(owner)

    assert [(pair.first, pair.second, pair.reasons) for pair in pairs] == [
        (anne, same_name, ("name",)),
        (same_email_a, same_email_b, ("email",)),
    ]


def test_other_people_s_contacts_are_never_duplicates(people, organisation):
    from tests.factories import member
    from tisser.core.enums import Role

    other = member(Role.BENEFICIARY, organisation)
    a_contact(people["beneficiary"], last_name="Martin")
    a_contact(other, last_name="Martin")
    assert services.contact_duplicates(people["beneficiary"]) == []


def test_a_likely_duplicate_is_found_before_adding(people):
    owner = people["beneficiary"]
    anne = a_contact(owner, first_name="Anne", last_name="Martin-Durand")
    values = {"first_name": "ANNE", "last_name": "martin durand", "company": "", "email": ""}
    assert services.contact_likely_duplicates(owner=owner, values=values) == [anne]
    assert services.contact_likely_duplicates(owner=owner, values=values, exclude=anne) == []


def test_merge_fills_empty_fields_moves_everything_and_deletes_the_other(people):
    owner = people["beneficiary"]
    boss = a_contact(owner, last_name="Chef")
    keep = a_contact(owner, last_name="Martin", job_title="Cheffe de projet", notes="Rencontrée")
    remove = a_contact(
        owner,
        last_name="Martin",
        job_title="Autre titre",
        phone="0612345678",
        notes="Aime le vélo",
        introduced_by=boss,
    )
    introduced = a_contact(owner, last_name="Filleul", introduced_by=remove)
    interview = services.interview_start(owner=owner, contact=remove)

    merged = services.contact_merge(actor=owner, keep=keep, remove=remove)

    assert merged.job_title == "Cheffe de projet"
    assert merged.phone == "+33612345678"
    assert merged.introduced_by == boss
    assert "Rencontrée" in merged.notes and "Aime le vélo" in merged.notes
    assert not Contact.objects.filter(pk=remove.pk).exists()
    interview.refresh_from_db()
    introduced.refresh_from_db()
    assert interview.contact == keep
    assert introduced.introduced_by == keep
    assert AuditEvent.objects.filter(action="contact.merge").count() == 1


def test_merge_never_closes_a_referral_loop(people):
    owner = people["beneficiary"]
    remove = a_contact(owner, last_name="Martin")
    middle = a_contact(owner, last_name="Milieu", introduced_by=remove)
    keep = a_contact(owner, last_name="Martin", introduced_by=middle)

    services.contact_merge(actor=owner, keep=keep, remove=remove)

    middle.refresh_from_db()
    keep.refresh_from_db()
    assert keep.introduced_by == middle
    assert middle.introduced_by is None


def test_only_the_owner_merges(people):
    owner = people["beneficiary"]
    keep, remove = a_contact(owner), a_contact(owner)
    NetworkSharing.objects.create(owner=owner, with_consultant=True)
    with pytest.raises(PermissionDenied):
        services.contact_merge(actor=people["consultant"], keep=keep, remove=remove)
    assert Contact.objects.count() == 2


def test_sharing_is_the_owner_s_choice_and_audited(people):
    owner = people["beneficiary"]
    services.network_sharing_set(owner=owner, with_consultant=True)
    assert services.network_is_shared(owner)
    services.network_sharing_set(owner=owner, with_consultant=False)
    assert not services.network_is_shared(owner)
    assert AuditEvent.objects.filter(action="network.sharing").count() == 2
    with pytest.raises(PermissionDenied):
        services.network_sharing_set(owner=people["consultant"], with_consultant=True)
