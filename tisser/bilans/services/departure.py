"""A person who leaves the organisme: erase them, keeping only the management data the law
requires (ADR 0019; RGPD art. 17, whose paragraph 3 lets a controller keep what a legal
obligation requires).

`person_departure_preview` says what would go (every app's departure says which rows its
eraser removes; the database counts them) and what blocks; `person_erase` does it: every
registered departure eraser (`tisser.core.personal_data.register_departure`) deletes what its
app holds about the person, then the account is anonymised — deactivated, name and e-mail
replaced, password unusable, e-mail addresses, second factors and invitations deleted, the
membership ended — and one audit entry records who did it and how many rows went, never what
they held.

It lives in `bilans` because the refusal is about bilans (an open bilan must end first) and
what stays is the bilans' management data; the apps above plug their erasers into the
registry, which this module only iterates."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Invitation, Membership, Organisation, User
from tisser.bilans.models import Bilan, Phase
from tisser.core.audit import audit_record
from tisser.core.departure_counts import goings_counted
from tisser.core.personal_data import Departure, departures

ERASED_FIRST_NAME = "Personne"
ERASED_LAST_NAME = "effacée"


def erased_email(user_id: int) -> str:
    # `.invalid` is reserved (RFC 2606): nothing is ever sent there.
    return f"personne-effacee-{user_id}@tisser.invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_email(user.pk)


@dataclass(frozen=True)
class PreviewLine:
    label: str
    count: int


@dataclass(frozen=True)
class DeparturePreview:
    lines: list[PreviewLine]
    blockers: list[str]


def _blockers(person: User, organisation: Organisation, coordinator: User) -> list[str]:
    blockers = []
    if person.pk == coordinator.pk:
        blockers.append(
            _(
                "Vous ne pouvez pas vous effacer vous-même : demandez-le à un·e autre "
                "coordinateur·rice."
            )
        )
    open_bilans = Bilan.objects.filter(Q(beneficiary=person) | Q(consultant=person)).exclude(
        status=Phase.CLOSED
    )
    if open_bilans.filter(beneficiary=person).exists():
        blockers.append(
            _(
                "Cette personne a un bilan en cours. Terminez-le d'abord (clôture, interruption "
                "ou abandon, avec sa date) : ses heures et ses dates doivent être arrêtées "
                "avant l'effacement."
            )
        )
    if open_bilans.filter(consultant=person).exists():
        blockers.append(
            _(
                "Cette personne accompagne des bilans en cours. Confiez-les d'abord à un·e "
                "autre conseiller·ère, ou terminez-les."
            )
        )
    elsewhere = (
        Membership.objects.filter(user=person, is_active=True)
        .exclude(organisation=organisation)
        .exists()
    )
    if elsewhere:
        blockers.append(
            _(
                "Cette personne fait aussi partie d'un autre organisme sur Tisser : son compte ne "
                "peut pas être effacé d'ici, il sert aussi à cet organisme. Convenez-en avec "
                "lui d'abord."
            )
        )
    if is_erased(person):
        blockers.append(_("Cette personne est déjà effacée."))
    return blockers


def _erase_everything(person: User) -> dict[str, dict[str, int]]:
    return {departure.key: departure.erase(user=person) for departure in departures()}


def person_departure_preview(*, coordinator: User, membership: Membership) -> DeparturePreview:
    """What erasing `membership`'s person would delete, app by app, and what stops it. Each
    app says which rows its eraser removes (`register_departure_goings`) and the database
    counts them, cascades included, as the erasers would report them: a few queries per
    model, however much the person holds (ADR 0030)."""
    require_coordinator_of(coordinator, membership.organisation_id)
    person = membership.user
    registered = departures()
    counts = goings_counted([departure_goings(departure, person) for departure in registered])
    lines = [
        PreviewLine(str(departure.label), count)
        for departure, count in zip(registered, counts, strict=True)
    ]
    return DeparturePreview(
        lines=lines, blockers=_blockers(person, membership.organisation, coordinator)
    )


def departure_goings(departure: Departure, person: User) -> list:
    if departure.goings is None:
        raise ImproperlyConfigured(
            f"the departure {departure.key!r} says what it removes (register_departure_goings)"
        )
    return departure.goings(user=person)


def person_erase(*, coordinator: User, membership: Membership) -> dict[str, int]:
    """Erase the person of `membership` (see the module). ValidationError with the reasons
    when something blocks it; PermissionDenied unless `coordinator` coordinates its
    organisation."""
    require_coordinator_of(coordinator, membership.organisation_id)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=membership.user_id)
        blockers = _blockers(person, membership.organisation, coordinator)
        if blockers:
            raise ValidationError(blockers)
        counts: dict[str, int] = {}
        for result in _erase_everything(person).values():
            for label, count in result.items():
                counts[label] = counts.get(label, 0) + count
        for queryset in (
            EmailAddress.objects.filter(user=person),
            Authenticator.objects.filter(user=person),
            Invitation.objects.filter(email__iexact=person.email),
        ):
            for label, count in queryset.delete()[1].items():
                counts[label] = counts.get(label, 0) + count
        Membership.objects.filter(user=person).update(is_active=False)
        person.first_name = ERASED_FIRST_NAME
        person.last_name = ERASED_LAST_NAME
        person.email = erased_email(person.pk)
        person.is_active = False
        person.set_unusable_password()
        person.save()
        audit_record(
            actor=coordinator,
            action="person.erase",
            target=person,
            organisation=membership.organisation,
            data={"deleted": counts, "role": membership.role},
        )
    return counts
