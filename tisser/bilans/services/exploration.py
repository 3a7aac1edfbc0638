"""Exploring métiers: the shortlist of fiches to explore and the fiches not to propose again.

Only the beneficiary writes (their consultant reads); a closed bilan is read-only. Every
write is in the audit log. Notes are free text, so their edits carry a version check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, DismissedFiche, Phase, ShortlistEntry
from tisser.core.audit import audit_record
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump
from tisser.referentiel.models import Metier

# The conflict message of the exploration and project tools (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Cet élément a été modifié pendant que vous l'écriviez (dans un autre onglet ?). "
    "Relisez la version enregistrée avant d'enregistrer la vôtre."
)


def require_beneficiary_writer(actor: User, bilan: Bilan) -> None:
    """The bilan's beneficiary, on a bilan still open: PermissionDenied for anyone else
    (their consultant reads only), ValidationError (code "closed") once the bilan is over."""
    if not (actor.is_authenticated and actor.is_active and actor.pk == bilan.beneficiary_id):
        raise PermissionDenied
    if bilan.status == Phase.CLOSED:
        raise ValidationError(
            _("Ce bilan est terminé : il se consulte mais ne se modifie plus."), code="closed"
        )


def shortlist_add(*, actor: User, bilan: Bilan, metier: Metier, note: str = "") -> ShortlistEntry:
    """Keep `metier` to explore. Adding a fiche already kept returns its entry unchanged; a
    fiche the person had dismissed is proposed again (keeping it says they changed their
    mind)."""
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        existing = ShortlistEntry.objects.filter(bilan=bilan, metier=metier).first()
        if existing is not None:
            return existing
        DismissedFiche.objects.filter(bilan=bilan, metier=metier).delete()
        try:
            with transaction.atomic():
                entry = ShortlistEntry.objects.create(
                    bilan=bilan, metier=metier, note=note.strip(), added_at=now()
                )
        except IntegrityError:  # a double click: the other request added it
            return ShortlistEntry.objects.get(bilan=bilan, metier=metier)
        audit_record(
            actor=actor,
            action="shortlist.add",
            target=entry,
            organisation=bilan.organisation,
            data={"code_rome": metier.code_rome},
        )
    return entry


def shortlist_update(
    *,
    actor: User,
    entry: ShortlistEntry,
    note: str,
    status: ShortlistEntry.Status | str,
    expected_version: int,
) -> ShortlistEntry:
    """Change the note and where the person is with a kept fiche. Refused with
    StaleVersion when the entry changed since `expected_version`."""
    bilan = entry.bilan
    require_beneficiary_writer(actor, bilan)
    if status not in ShortlistEntry.Status.values:
        raise ValidationError({"status": [_("Choisissez où vous en êtes avec ce métier.")]})
    with transaction.atomic():
        try:
            version_bump(
                entry,
                expected=expected_version,
                message=STALE_MESSAGE,
                note=note.strip(),
                status=status,
                updated_at=now(),
            )
        except StaleVersion as stale:
            if stale.current is None:
                raise ValidationError(_("Ce métier n'est plus dans votre sélection.")) from None
            raise
        audit_record(
            actor=actor,
            action="shortlist.update",
            target=entry,
            organisation=bilan.organisation,
            data={"status": str(status), "version": expected_version + 1},
        )
    return entry


def shortlist_remove(*, actor: User, entry: ShortlistEntry) -> None:
    """Take a fiche off the shortlist (its note goes with it)."""
    bilan = entry.bilan
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="shortlist.remove",
            target=entry,
            organisation=bilan.organisation,
            data={"code_rome": entry.metier.code_rome},
        )
        entry.delete()


def fiche_dismiss(*, actor: User, bilan: Bilan, metier: Metier) -> DismissedFiche:
    """Stop proposing `metier` to the person. A fiche they keep in their shortlist is not
    dismissed behind their back: they take it off the shortlist first (ValidationError)."""
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        if ShortlistEntry.objects.filter(bilan=bilan, metier=metier).exists():
            raise ValidationError(
                _(
                    "Ce métier est dans votre sélection : retirez-le de la sélection avant de "
                    "demander à ne plus le voir proposé."
                ),
                code="shortlisted",
            )
        dismissed, created = DismissedFiche.objects.get_or_create(
            bilan=bilan, metier=metier, defaults={"dismissed_at": now()}
        )
        if created:
            audit_record(
                actor=actor,
                action="fiche.dismiss",
                target=dismissed,
                organisation=bilan.organisation,
                data={"code_rome": metier.code_rome},
            )
    return dismissed


def fiche_restore(*, actor: User, bilan: Bilan, metier: Metier) -> None:
    """Propose a dismissed fiche again (nothing happens if it was not dismissed)."""
    require_beneficiary_writer(actor, bilan)
    with transaction.atomic():
        deleted, _rows = DismissedFiche.objects.filter(bilan=bilan, metier=metier).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="fiche.restore",
                target=bilan,
                organisation=bilan.organisation,
                data={"code_rome": metier.code_rome},
            )
