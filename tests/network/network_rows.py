"""Rows of a network, created directly (the contact and pipeline pages are other parts):
contacts added on a given day, enquêtes taken through dated steps."""

from datetime import date, datetime, time

from django.utils import timezone

from tisser.network.models import (
    Contact,
    HowKnown,
    InformationalInterview,
    Stage,
    StageEvent,
)
from tisser.referentiel.models import DomaineProfessionnel, GrandDomaine, Metier


def moment(day: date, hour: int = 12) -> datetime:
    """Noon of `day` in Paris — or now, when that noon is still to come: a row dated today
    must not lie in the future in the morning, or the page would not count it yet."""
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())


def add_contact(owner, day: date, last_name: str = "Martin", **fields) -> Contact:
    fields.setdefault(
        "how_known", HowKnown.INTRODUCED if fields.get("introduced_by") else HowKnown.LINKEDIN
    )
    contact = Contact.objects.create(
        owner=owner,
        organisation=owner.memberships.get().organisation,
        last_name=last_name,
        **fields,
    )
    Contact.objects.filter(pk=contact.pk).update(created_at=moment(day))
    contact.refresh_from_db()
    return contact


def add_interview(contact: Contact, steps: list[tuple[Stage, date]]) -> InformationalInterview:
    """An enquête with `contact`, through `steps` (stage, day), each dated."""
    last_stage, last_day = steps[-1]
    interview = InformationalInterview.objects.create(
        owner=contact.owner, contact=contact, stage=last_stage, stage_changed_at=moment(last_day)
    )
    for stage, day in steps:
        StageEvent.objects.create(interview=interview, stage=stage, at=moment(day))
    return interview


def metier(code: str = "M1805", domaine: str = "Systèmes d'information et de télécommunication"):
    grand, _ = GrandDomaine.objects.get_or_create(code=code[0], defaults={"libelle": "Support"})
    domain, _ = DomaineProfessionnel.objects.get_or_create(
        code=code[:3], defaults={"libelle": domaine, "grand_domaine": grand}
    )
    return Metier.objects.create(
        code_rome=code, code_ogr=int(code[1:]), libelle=code, domaine=domain
    )
