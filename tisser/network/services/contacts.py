"""Writes on contacts. Contacts are third parties' personal data: only their owner writes
them, fields stay minimal, and deleting one is always possible."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import Membership, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump
from tisser.network.models import Channel, Contact, HowKnown
from tisser.network.phones import phone_normalise
from tisser.network.services.ceiling import contact_room_check
from tisser.referentiel.models import Metier

# The fields a person writes; `contact_create` and `contact_update` take them as keywords.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "company",
    "metier",
    "sector",
    "how_known",
    "introduced_by",
    "channel",
    "email",
    "phone",
    "link",
    "notes",
)


# A contact saved elsewhere since the form was opened (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Ce contact a été modifié entre-temps (dans un autre onglet ?). Rien n'a "
    "été enregistré : comparez avec la version enregistrée, dans le tableau."
)


@dataclass(frozen=True)
class ContactData:
    last_name: str
    how_known: str
    first_name: str = ""
    job_title: str = ""
    company: str = ""
    metier: Metier | None = None
    sector: str = ""
    introduced_by: Contact | None = None
    channel: str = ""
    email: str = ""
    phone: str = ""
    link: str = ""
    notes: str = ""
    extra: dict = field(default_factory=dict)


def beneficiary_membership(user: User) -> Membership:
    """The active beneficiary membership a network belongs to; PermissionDenied without one."""
    membership = (
        Membership.objects.filter(user=user, role=Role.BENEFICIARY, is_active=True)
        .order_by("id")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership


def contact_clean(*, owner: User, data: ContactData, instance: Contact | None = None) -> dict:
    """The values to store, checked: a French message per field in a ValidationError dict."""
    errors: dict[str, list[str]] = {}
    email = data.email.strip().lower()
    introducer = data.introduced_by
    values = {
        "first_name": data.first_name.strip(),
        "last_name": data.last_name.strip(),
        "job_title": data.job_title.strip(),
        "company": data.company.strip(),
        "metier": data.metier,
        "sector": data.sector.strip(),
        "how_known": data.how_known,
        "introduced_by": introducer,
        "channel": data.channel,
        "email": email,
        "link": data.link.strip(),
        "notes": data.notes.strip(),
    }
    if not values["last_name"]:
        errors["last_name"] = [_("Indiquez au moins le nom de la personne.")]
    if values["how_known"] not in HowKnown.values:
        errors["how_known"] = [_("Choisissez comment vous connaissez cette personne.")]
    if values["channel"] and values["channel"] not in Channel.values:
        errors["channel"] = [_("Choisissez un moyen de contact de la liste.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                _("Cette adresse e-mail n'est pas valide (exemple : nom@domaine.fr).")
            ]
    try:
        values["phone"] = phone_normalise(data.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if introducer is not None:
        if introducer.owner_id != owner.pk:
            errors["introduced_by"] = [_("Choisissez un de vos contacts.")]
        elif instance is not None and _introduces_itself(instance, introducer):
            errors["introduced_by"] = [
                _("Une personne ne peut pas avoir été présentée par elle-même, même via d'autres.")
            ]
    if introducer is not None and values["how_known"] != HowKnown.INTRODUCED and not errors:
        values["how_known"] = HowKnown.INTRODUCED
    if errors:
        raise ValidationError(errors)
    return values


def _introduces_itself(instance: Contact, introducer: Contact) -> bool:
    """Whether making `introducer` the one who introduced `instance` closes a loop."""
    seen = set()
    current: Contact | None = introducer
    while current is not None and current.pk not in seen:
        if current.pk == instance.pk:
            return True
        seen.add(current.pk)
        current = current.introduced_by
    return False


def contact_create(*, owner: User, data: ContactData) -> Contact:
    """Add a contact to `owner`'s network (a beneficiary), within their ceiling
    (ValidationError past it)."""
    membership = beneficiary_membership(owner)
    values = contact_clean(owner=owner, data=data)
    with transaction.atomic():
        contact_room_check(owner=owner, membership=membership)
        contact = Contact.objects.create(
            owner=owner, organisation_id=membership.organisation_id, **values
        )
        audit_record(
            actor=owner,
            action="contact.create",
            target=contact,
            organisation=membership.organisation,
        )
    return contact


def contact_update(
    *, actor: User, contact: Contact, data: ContactData, expected_version: int
) -> Contact:
    """Save the owner's changes if nobody saved the contact since `expected_version`;
    StaleVersion with the contact as saved otherwise."""
    if actor.pk != contact.owner_id:
        raise PermissionDenied
    values = contact_clean(owner=actor, data=data, instance=contact)
    with transaction.atomic():
        version_bump(contact, expected=expected_version, message=STALE_MESSAGE, **values)
        audit_record(
            actor=actor, action="contact.update", target=contact, organisation=contact.organisation
        )
    contact.refresh_from_db()
    return contact


def contact_delete(*, actor: User, contact: Contact) -> None:
    """Delete a contact and its enquêtes; the contacts it introduced keep existing (their
    "introduced by" becomes empty)."""
    if actor.pk != contact.owner_id:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="contact.delete",
            target=contact,
            organisation=contact.organisation,
        )
        contact.delete()
