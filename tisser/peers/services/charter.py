"""The group's charter: written by any member, agreed by each; a change asks everyone to
agree again."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump, version_require
from tisser.peers.models import (
    DEFAULT_MEETINGS_PER_MONTH,
    Charter,
    CharterAgreement,
    PeerGroup,
    PeerGroupMember,
)

DEFAULT_CONFIDENTIALITY = gettext_lazy(
    "Ce qui se dit dans le groupe reste dans le groupe. Chacun·e partage ce qu'il ou elle "
    "veut, et personne ne répète à l'extérieur ce qu'un·e autre a confié."
)
DEFAULT_RECIPROCITY = gettext_lazy("Chacun·e est prêt·e à donner autant qu'à recevoir.")
MAX_MEETINGS_PER_MONTH = 4


@dataclass(frozen=True)
class CharterData:
    shared_goals: str
    meetings_per_month: int = DEFAULT_MEETINGS_PER_MONTH
    confidentiality: str = ""
    reciprocity: str = ""
    rotating_facilitator: bool = True


def charter_defaults() -> dict:
    """What a new charter proposes: twice a month, confidentiality, reciprocity, rotation."""
    return {
        "shared_goals": "",
        "meetings_per_month": DEFAULT_MEETINGS_PER_MONTH,
        "confidentiality": str(DEFAULT_CONFIDENTIALITY),
        "reciprocity": str(DEFAULT_RECIPROCITY),
        "rotating_facilitator": True,
    }


def require_accepted(user: User, group: PeerGroup) -> None:
    if not PeerGroupMember.objects.filter(
        group=group, user=user, status=PeerGroupMember.Status.ACCEPTED
    ).exists():
        raise PermissionDenied


def _require_open(group: PeerGroup) -> None:
    if group.status != PeerGroup.Status.ACTIVE:
        raise ValidationError(_("Ce groupe n'est pas actif : sa charte ne change plus."))


# A charter saved by another member meanwhile (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "La charte a été modifiée entre-temps par un membre du groupe. Rien n'a été "
    "enregistré : vos saisies sont conservées ci-dessous à côté de la version "
    "enregistrée ; enregistrez à nouveau pour la remplacer."
)


@transaction.atomic
def charter_save(
    *, actor: User, group: PeerGroup, data: CharterData, expected_version: int
) -> tuple[Charter, bool]:
    """Write the charter of an active group (an accepted member only). `expected_version` is
    the version read (0 for a new charter); a charter saved since is refused (`StaleVersion`).
    A change clears every agreement given. Returns the charter and whether agreements were
    cleared."""
    require_accepted(actor, group)
    _require_open(group)
    values = {
        "shared_goals": data.shared_goals.strip(),
        "meetings_per_month": data.meetings_per_month,
        "confidentiality": data.confidentiality.strip(),
        "reciprocity": data.reciprocity.strip(),
        "rotating_facilitator": data.rotating_facilitator,
    }
    errors = {}
    for name in ("shared_goals", "confidentiality", "reciprocity"):
        if not values[name]:
            errors[name] = [_("Ce champ est obligatoire.")]
    if not 1 <= data.meetings_per_month <= MAX_MEETINGS_PER_MONTH:
        errors["meetings_per_month"] = [
            _("Entre 1 et %(max)s rencontres par mois.") % {"max": MAX_MEETINGS_PER_MONTH}
        ]
    if errors:
        raise ValidationError(errors)
    charter = Charter.objects.select_for_update().filter(group=group).first()
    version_require(charter, expected=expected_version, message=STALE_MESSAGE)
    cleared = False
    if charter is None:
        charter = Charter.objects.create(group=group, **values)
    else:
        if all(getattr(charter, name) == value for name, value in values.items()):
            return charter, False
        version_bump(charter, expected=expected_version, message=STALE_MESSAGE, **values)
        cleared = charter.agreements.exists()
        charter.agreements.all().delete()
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
    audit_record(
        actor=actor,
        action="charter_save",
        target=charter,
        organisation=group.organisation,
        data={"version": charter.version, "agreements_cleared": cleared},
    )
    return charter, cleared


@transaction.atomic
def charter_agree(*, actor: User, group: PeerGroup, expected_version: int) -> CharterAgreement:
    """An accepted member agrees with the charter as they read it (`expected_version`): a
    charter changed since must be read again."""
    require_accepted(actor, group)
    _require_open(group)
    charter = Charter.objects.select_for_update().filter(group=group).first()
    if charter is None:
        raise ValidationError(_("La charte n'est pas encore écrite."), code="missing")
    # Agreeing does not change the text: the version is checked, not raised.
    version_require(charter, expected=expected_version, message=STALE_MESSAGE)
    agreement, _created = CharterAgreement.objects.update_or_create(
        charter=charter, user=actor, defaults={"version": charter.version}
    )
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
    audit_record(
        actor=actor,
        action="charter_agree",
        target=charter,
        organisation=group.organisation,
        data={"version": charter.version},
    )
    return agreement
