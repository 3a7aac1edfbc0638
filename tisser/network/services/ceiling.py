"""How many contacts one person may hold: `settings.TISSER_CONTACT_CEILING` unless a
coordinator of their organisation set another figure for them (docs/adr/0012-bounded-imports.md).

The bound keeps one account from filling the server (900,000 imported contacts made that
person's map and export time out and the server grow to 8.8 GB). Every way a contact comes
in — the form, an import — checks `contact_room_check` inside its write transaction."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.network.models import Contact, ContactCeiling

# How far a coordinator may raise one person's ceiling, as a multiple of the default: beyond,
# a network is no longer one person's to keep up, and its pages were never measured there.
RAISE_FACTOR = 10


def figure(value: int) -> str:
    """2000 as French writes it: "2 000"."""
    return number_format(value, force_grouping=True)


def ceiling_default() -> int:
    return settings.TISSER_CONTACT_CEILING


def ceiling_max() -> int:
    return ceiling_default() * RAISE_FACTOR


def contact_ceiling(membership: Membership) -> int:
    """The most contacts the person of `membership` (a beneficiary) may hold."""
    row = ContactCeiling.objects.filter(membership=membership).only("ceiling").first()
    return row.ceiling if row is not None else ceiling_default()


def contact_room_left(*, owner: User, membership: Membership) -> int:
    """How many more contacts `owner` may add (0 or less: none). A read, for early refusals;
    writes check `contact_room_check` in their transaction."""
    return contact_ceiling(membership) - Contact.objects.owned_by(owner).count()


def contact_room_check(*, owner: User, membership: Membership, adding: int = 1) -> None:
    """ValidationError (one French line) when `adding` more contacts would take `owner` past
    their ceiling. Call inside the write transaction: it locks the membership row, so that two
    writers of one network (two imports, a form and an import) cannot both pass."""
    list(Membership.objects.select_for_update().filter(pk=membership.pk).values_list("pk"))
    ceiling = contact_ceiling(membership)
    held = Contact.objects.owned_by(owner).count()
    if held + adding <= ceiling:
        return
    ask = _("ou demandez à la coordination de votre organisme de relever ce plafond")
    if adding == 1:
        raise ValidationError(
            ngettext(
                "Votre réseau compte déjà %(held)s contact, le plafond de votre compte : "
                "supprimez-le, %(ask)s.",
                "Votre réseau compte déjà %(held)s contacts, le plafond de votre compte : "
                "supprimez-en un, %(ask)s.",
                held,
            )
            % {"held": figure(held), "ask": ask},
            code="contact_ceiling",
        )
    extra = held + adding - ceiling
    raise ValidationError(
        ngettext(
            "Cet import porterait votre réseau à %(total)s contacts, or le plafond de votre "
            "compte est de %(ceiling)s : retirez %(extra)s ligne du fichier, %(ask)s ; aucun "
            "contact n'a été importé.",
            "Cet import porterait votre réseau à %(total)s contacts, or le plafond de votre "
            "compte est de %(ceiling)s : retirez %(extra)s lignes du fichier, %(ask)s ; aucun "
            "contact n'a été importé.",
            extra,
        )
        % {
            "total": figure(held + adding),
            "ceiling": figure(ceiling),
            "extra": figure(extra),
            "ask": ask,
        },
        code="contact_ceiling",
    )


def contact_ceiling_set(*, coordinator: User, membership: Membership, ceiling: int) -> int:
    """Set how many contacts the beneficiary of `membership` may hold, between the default and
    `ceiling_max()`; the default removes the exception. Only an active coordinator of that
    organisation may (PermissionDenied otherwise); audited with the figures before and after."""
    require_coordinator_of(coordinator, membership.organisation_id)
    if membership.role != Role.BENEFICIARY:
        raise PermissionDenied
    if not ceiling_default() <= ceiling <= ceiling_max():
        raise ValidationError(
            {
                "ceiling": _("Entre %(low)s et %(high)s contacts.")
                % {"low": figure(ceiling_default()), "high": figure(ceiling_max())}
            }
        )
    with transaction.atomic():
        before = contact_ceiling(membership)
        if ceiling == ceiling_default():
            ContactCeiling.objects.filter(membership=membership).delete()
        else:
            ContactCeiling.objects.update_or_create(
                membership=membership, defaults={"ceiling": ceiling, "set_by": coordinator}
            )
        audit_record(
            actor=coordinator,
            action="contact.ceiling_set",
            target=membership,
            organisation=membership.organisation,
            data={"before": before, "after": ceiling},
        )
    return ceiling
