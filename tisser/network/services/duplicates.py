"""Duplicate contacts: the same e-mail, or the same name (accents, case, hyphens and spaces
folded) in the same structure. `contact_merge` keeps one and folds the other into it."""

import unicodedata
from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.network.models import Contact, HowKnown, InformationalInterview
from tisser.network.services.contacts import CONTACT_FIELDS, _introduces_itself

SAME_EMAIL = "email"
SAME_NAME = "name"


def text_fold(text: str) -> str:
    """`text` without accents, case, hyphens or repeated spaces:
    "Jean-Éric  DUPÉ" → "jean eric dupe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().replace("-", " ").replace("'", " ").split())


def contact_name_key(contact: Contact) -> tuple[str, str]:
    """(name, structure) folded: two contacts with the same key are likely the same person."""
    return (text_fold(f"{contact.first_name} {contact.last_name}"), text_fold(contact.company))


@dataclass(frozen=True)
class DuplicatePair:
    first: Contact
    second: Contact
    reasons: tuple[str, ...]

    @property
    def contacts(self) -> tuple[Contact, Contact]:
        return (self.first, self.second)

    @property
    def reason_labels(self) -> list[str]:
        labels = {SAME_EMAIL: _("même adresse e-mail"), SAME_NAME: _("même nom et même structure")}
        return [labels[reason] for reason in self.reasons]


def contact_duplicates(owner: User) -> list[DuplicatePair]:
    """The pairs of `owner`'s contacts that are likely the same person, oldest first."""
    contacts = list(Contact.objects.filter(owner=owner).order_by("id"))
    groups: dict[tuple, list[Contact]] = {}
    for contact in contacts:
        if contact.email:
            groups.setdefault((SAME_EMAIL, contact.email.lower()), []).append(contact)
        groups.setdefault((SAME_NAME, *contact_name_key(contact)), []).append(contact)
    reasons: dict[tuple[int, int], list[str]] = {}
    by_id = {contact.pk: contact for contact in contacts}
    for key, members in groups.items():
        for first, second in combinations(members, 2):
            reasons.setdefault((first.pk, second.pk), []).append(key[0])
    return [
        DuplicatePair(by_id[first], by_id[second], tuple(sorted(set(found))))
        for (first, second), found in sorted(reasons.items())
    ]


def contact_duplicate_count(owner: User) -> int:
    """How many pairs `contact_duplicates` finds, reading only the columns it compares (the
    network's home page says how many)."""
    groups: dict[tuple, list[int]] = {}
    rows = Contact.objects.filter(owner=owner).order_by("id")
    for pk, email, first_name, last_name, company in rows.values_list(
        "id", "email", "first_name", "last_name", "company"
    ):
        if email:
            groups.setdefault((SAME_EMAIL, email.lower()), []).append(pk)
        name = (text_fold(f"{first_name} {last_name}"), text_fold(company))
        groups.setdefault((SAME_NAME, *name), []).append(pk)
    return len(
        {
            pair
            for members in groups.values()
            if len(members) > 1
            for pair in combinations(members, 2)
        }
    )


def contact_likely_duplicates(
    *, owner: User, values: dict, exclude: Contact | None = None
) -> list[Contact]:
    """`owner`'s contacts that look like the person described by `values` (cleaned contact
    values): warned about before adding them again."""
    probe = Contact(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        company=values.get("company", ""),
    )
    key = contact_name_key(probe)
    email = (values.get("email") or "").lower()
    candidates = Contact.objects.filter(owner=owner)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return [
        contact
        for contact in candidates
        if (email and contact.email.lower() == email) or contact_name_key(contact) == key
    ]


def contact_merge(*, actor: User, keep: Contact, remove: Contact) -> Contact:
    """Fold `remove` into `keep`: keep's empty fields take remove's values (notes are put
    together), remove's enquêtes and the contacts it introduced move to keep, then remove is
    deleted. Both must be the actor's own contacts."""
    if actor.pk != keep.owner_id or actor.pk != remove.owner_id:
        raise PermissionDenied
    if keep.pk == remove.pk:
        raise ValidationError(_("Choisissez deux contacts différents."))
    with transaction.atomic():
        keep = Contact.objects.select_for_update().get(pk=keep.pk)
        remove = Contact.objects.select_for_update().get(pk=remove.pk)
        for name in CONTACT_FIELDS:
            if name in ("introduced_by", "notes", "how_known"):
                continue
            if not getattr(keep, name) and getattr(remove, name):
                setattr(keep, name, getattr(remove, name))
        if remove.notes and remove.notes not in keep.notes:
            keep.notes = f"{keep.notes}\n\n{remove.notes}".strip()
        if keep.introduced_by_id == remove.pk or keep.introduced_by_id is None:
            candidate = remove.introduced_by
            if candidate is not None and (
                candidate.pk == keep.pk or _introduces_itself(keep, candidate)
            ):
                candidate = None
            if candidate is not None or keep.introduced_by_id == remove.pk:
                keep.introduced_by = candidate
        if keep.introduced_by is None and keep.how_known == HowKnown.INTRODUCED:
            keep.how_known = (
                remove.how_known if remove.how_known != HowKnown.INTRODUCED else HowKnown.OTHER
            )
        # Those remove introduced are now introduced by keep, unless that would close a loop
        # (one of them introduced keep, directly or through others).
        ancestors = _ancestors(keep)
        Contact.objects.filter(introduced_by=remove, pk__in=ancestors).update(introduced_by=None)
        moved = InformationalInterview.objects.filter(contact=remove).update(contact=keep)
        Contact.objects.filter(introduced_by=remove).exclude(pk=keep.pk).update(introduced_by=keep)
        keep.version = F("version") + 1
        keep.save()
        audit_record(
            actor=actor,
            action="contact.merge",
            target=keep,
            organisation=keep.organisation,
            data={"removed": remove.pk, "interviews_moved": moved},
        )
        remove.delete()
    keep.refresh_from_db()
    return keep


def _ancestors(contact: Contact) -> set[int]:
    """The ids of those who introduced `contact`, directly or through others."""
    seen: set[int] = set()
    current = contact.introduced_by
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        current = current.introduced_by
    return seen
