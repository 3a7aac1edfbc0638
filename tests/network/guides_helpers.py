"""Builders for the tests of the guides, notes, comparison and reminders of the enquêtes.
Enquêtes are created directly (their pipeline has its own services and tests)."""

from django.utils import timezone

from tisser.network.models import HowKnown, InformationalInterview, Stage
from tisser.network.services.contacts import ContactData, contact_create
from tisser.referentiel.models import DomaineProfessionnel, GrandDomaine, Metier


def metier(code_rome: str = "M1805", libelle: str = "Études et développement informatique"):
    grand, _ = GrandDomaine.objects.get_or_create(code=code_rome[0], defaults={"libelle": "G"})
    domaine, _ = DomaineProfessionnel.objects.get_or_create(
        code=code_rome[:3], defaults={"libelle": "D", "grand_domaine": grand}
    )
    found, _ = Metier.objects.get_or_create(
        code_rome=code_rome,
        defaults={
            "code_ogr": int(code_rome[1:]) + ord(code_rome[0]),
            "libelle": libelle,
            "domaine": domaine,
        },
    )
    return found


def contact(owner, last_name: str = "Martin", **fields):
    data = {"last_name": last_name, "how_known": HowKnown.LINKEDIN} | fields
    return contact_create(owner=owner, data=ContactData(**data))


def interview(owner, *, stage=Stage.TO_CONTACT, at=None, with_contact=None, **fields):
    return InformationalInterview.objects.create(
        owner=owner,
        contact=with_contact or contact(owner),
        stage=stage,
        stage_changed_at=at or timezone.now(),
        **fields,
    )
