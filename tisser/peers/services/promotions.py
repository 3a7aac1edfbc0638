"""Promotions (cohorts) and how a newcomer gets a group (ADR 0023).

A group never mixes promotions, so a person is grouped only once she has one shared by
others. The coordination names promotions (`promotion_create`, `promotion_rename`) and places
people in them, one or many at a time (`promotion_place`): a whole page ticked, or every person
a filter finds ("bilan ended this quarter, no promotion yet"). Right after, each person placed
who asks for a group and has none is offered a place (`promotion_offer`): a group of her
promotion with room (3 to 5 members) that suits her, proposed at once, or else the next
formation of groups — and she is told which.

Optimistic locking (ADR 0007): a placement carries the version of every person's preferences
it was shown and writes with one conditional UPDATE; if one of them changed meanwhile
(another coordinator placed her, she edited her preferences), nothing is written. A rename
carries the promotion's version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.bilans.models import Bilan
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.versioning import version_bump
from tisser.notifications.services import channels_for, notification_create
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerProfile, Promotion
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.promotion_notices import waiting_content
from tisser.peers.services.repairs import _placement, board_load, peer_arrival_place, seekers

CURRENT = (PeerGroupMember.Status.PROPOSED, PeerGroupMember.Status.ACCEPTED)
OPEN_GROUPS = (PeerGroup.Status.PROPOSED, PeerGroup.Status.ACTIVE)
NO_PROMOTION = "aucune"

PLACE_STALE_MESSAGE = gettext_lazy(
    "Pendant votre sélection, la promotion ou les préférences de ces personnes ont changé : "
    "%(names)s. Rien n'a été enregistré : vérifiez la liste à jour ci-dessous, puis "
    "recommencez."
)
FILTER_STALE_MESSAGE = gettext_lazy(
    "Les personnes que ce filtre trouve ont changé depuis l'affichage de la page. Rien n'a été "
    "enregistré : vérifiez la liste à jour ci-dessous, puis recommencez."
)
RENAME_STALE_MESSAGE = gettext_lazy(
    "Une autre personne de la coordination a modifié cette promotion pendant que vous la "
    "renommiez. Rien n'a été enregistré : voici son nom actuel."
)


def promotion_name_clean(name: str) -> str:
    return " ".join((name or "").split())


# Reads ------------------------------------------------------------------------------------


def _in_group(organisation: Organisation):
    return PeerGroupMember.objects.filter(
        user=OuterRef("user"),
        status__in=CURRENT,
        group__organisation=organisation,
        group__status__in=OPEN_GROUPS,
    )


@dataclass(frozen=True)
class PeopleFilter:
    """What the promotions page filters on. `promotion` is "" (any), NO_PROMOTION or a
    promotion's name; `ended_from`/`ended_to` bound the day a bilan of the person ended."""

    query: str = ""
    promotion: str = ""
    seeking: bool = False
    ended_from: date | None = None
    ended_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def promotion_people(*, organisation: Organisation, filters: PeopleFilter = PeopleFilter()):
    """The organisation's active beneficiaries who gave peer-group preferences, as
    preferences rows annotated with `last_bilan_end` (their latest ended bilan here) and
    `in_group` (a current member of a proposed or active group), filtered. One query, however
    many people; ordered by name."""
    beneficiary = Membership.objects.filter(
        user=OuterRef("user"), organisation=organisation, role=Role.BENEFICIARY, is_active=True
    )
    ended = Bilan.objects.filter(
        beneficiary=OuterRef("user"), organisation=organisation, closed_at__isnull=False
    )
    people = (
        PeerProfile.objects.filter(Exists(beneficiary), organisation=organisation)
        .filter(user__is_active=True)
        .annotate(
            last_bilan_end=Subquery(ended.order_by("-closed_at").values("closed_at")[:1]),
            in_group=Exists(_in_group(organisation)),
        )
        .select_related("user")
    )
    if filters.query:
        for word in filters.query.split():
            people = people.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
    if filters.promotion == NO_PROMOTION:
        people = people.filter(cohort="")
    elif filters.promotion:
        people = people.filter(cohort=filters.promotion)
    if filters.seeking:
        people = people.filter(seeking=True, in_group=False)
    if filters.ended_from or filters.ended_to:
        window = ended
        if filters.ended_from:
            window = window.filter(closed_at__gte=_day_start(filters.ended_from))
        if filters.ended_to:
            window = window.filter(closed_at__lt=_day_start(filters.ended_to + timedelta(days=1)))
        people = people.filter(Exists(window))
    return people.order_by("user__last_name", "user__first_name", "pk")


def ended_without_preferences(
    *, organisation: Organisation, filters: PeopleFilter = PeopleFilter()
) -> int | None:
    """How many active beneficiaries of the organisation ended a bilan here within the
    period of `filters` without having given peer-group preferences (so that the
    promotions page, which lists only those who did, can say so). None when no period is
    chosen. One query; nobody's preferences are invented."""
    if not (filters.ended_from or filters.ended_to):
        return None
    ended = Bilan.objects.filter(
        beneficiary=OuterRef("user"), organisation=organisation, closed_at__isnull=False
    )
    if filters.ended_from:
        ended = ended.filter(closed_at__gte=_day_start(filters.ended_from))
    if filters.ended_to:
        ended = ended.filter(closed_at__lt=_day_start(filters.ended_to + timedelta(days=1)))
    preferences = PeerProfile.objects.filter(user=OuterRef("user"), organisation=organisation)
    return (
        Membership.objects.filter(
            organisation=organisation,
            role=Role.BENEFICIARY,
            is_active=True,
            user__is_active=True,
        )
        .filter(Exists(ended))
        .exclude(Exists(preferences))
        .values("user")
        .distinct()
        .count()
    )


def people_signature(pairs) -> str:
    """What a filter-wide placement was shown: every (preferences id, version) it found."""
    text = ";".join(f"{pk}:{version}" for pk, version in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def promotions_overview(*, organisation: Organisation) -> list[Promotion]:
    """The organisation's promotions, each with `people` (preferences filed under it) and
    `waiting` (of them, those asking for a group who have none). Two subqueries, one query."""
    profiles = PeerProfile.objects.filter(organisation=organisation, cohort=OuterRef("name"))
    counted = profiles.values("cohort").annotate(count=Count("pk")).values("count")
    waiting = (
        profiles.filter(seeking=True)
        .exclude(Exists(_in_group(organisation)))
        .values("cohort")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        Promotion.objects.filter(organisation=organisation).annotate(
            people=Coalesce(Subquery(counted), 0), waiting=Coalesce(Subquery(waiting), 0)
        )
    )


def seeking_without_promotion(*, organisation: Organisation) -> int:
    """People asking for a group who have no promotion: no formation can group them."""
    return promotion_people(
        organisation=organisation, filters=PeopleFilter(promotion=NO_PROMOTION, seeking=True)
    ).count()


# Writes -----------------------------------------------------------------------------------


def _name_errors(organisation: Organisation, name: str, *, exclude: int | None = None):
    if not name:
        return _("Donnez un nom à la promotion, par exemple « Automne 2026 ».")
    if name.casefold() == NO_PROMOTION:
        return _("Ce nom est réservé : choisissez-en un autre.")
    same = Promotion.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        return _("Une promotion porte déjà ce nom : choisissez-en un autre.")
    return None


@transaction.atomic
def promotion_create(*, organisation: Organisation, name: str, by: User) -> Promotion:
    require_coordinator_of(by, organisation)
    name = promotion_name_clean(name)
    error = _name_errors(organisation, name)
    if error:
        raise ValidationError({"name": error})
    try:
        with transaction.atomic():
            promotion = Promotion.objects.create(
                organisation=organisation, name=name, created_by=by
            )
    except IntegrityError:  # created by someone else at the same moment
        raise ValidationError(
            {"name": _("Une promotion porte déjà ce nom : choisissez-en un autre.")}
        ) from None
    audit_record(
        actor=by,
        action="peer_promotion_create",
        target=promotion,
        organisation=organisation,
        data={"name": name},
    )
    return promotion


@transaction.atomic
def promotion_rename(
    *, promotion: Promotion, name: str, by: User, expected_version: int
) -> Promotion:
    """Rename a promotion everywhere its name is used: the preferences filed under it, its
    groups and its formations (a formation in review keeps finding its people)."""
    require_coordinator_of(by, promotion.organisation)
    name = promotion_name_clean(name)
    error = _name_errors(promotion.organisation, name, exclude=promotion.pk)
    if error:
        raise ValidationError({"name": error})
    old = Promotion.objects.filter(pk=promotion.pk).values_list("name", flat=True).first()
    version_bump(promotion, expected=expected_version, message=RENAME_STALE_MESSAGE, name=name)
    organisation = promotion.organisation
    PeerProfile.objects.filter(organisation=organisation, cohort=old).update(
        cohort=name, version=F("version") + 1
    )
    PeerGroup.objects.filter(organisation=organisation, cohort=old).update(cohort=name)
    GroupFormation.objects.filter(organisation=organisation, cohort=old).update(cohort=name)
    audit_record(
        actor=by,
        action="peer_promotion_rename",
        target=promotion,
        organisation=organisation,
        data={"from": old, "to": name},
    )
    return promotion


@dataclass
class Placed:
    """What a placement did: who changed promotion, who was already in it, who kept theirs
    because they are in a group (changing it would break the group)."""

    promotion: Promotion
    moved: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _full_name(user: User) -> str:
    return user.get_full_name() or user.email


@transaction.atomic
def promotion_place(
    *,
    promotion: Promotion,
    people: dict[int, int],
    by: User,
    signature: str | None = None,
    filters: PeopleFilter | None = None,
) -> Placed:
    """Place people (preferences id → the version the page showed) in `promotion`, or, with
    `filters` and `signature`, every person the filter finds now — refused unless it finds
    exactly what the page showed. People in a current group keep their promotion (a group
    never mixes promotions; the coordination repairs or ends the group first). All or
    nothing: one conditional UPDATE, refused with `StaleVersion` if any row changed."""
    organisation = promotion.organisation
    require_coordinator_of(by, organisation)
    promotion = Promotion.objects.select_for_update().get(pk=promotion.pk)
    if filters is not None:
        found = promotion_people(organisation=organisation, filters=filters)
        pairs = list(found.values_list("pk", "version"))
        if people_signature(pairs) != signature:
            raise StaleVersion(FILTER_STALE_MESSAGE, current=None, version=0)
        people = dict(pairs)
    if not people:
        raise ValidationError(_("Choisissez au moins une personne."), code="empty")
    rows = list(promotion_people(organisation=organisation).filter(pk__in=list(people)))
    if len(rows) != len(people):
        raise ValidationError(
            _("Une des personnes choisies ne fait plus partie de votre organisme."),
            code="unknown",
        )
    placed = Placed(promotion=promotion)
    to_move = []
    for row in rows:
        if row.cohort == promotion.name:
            placed.already.append(row.user_id)
        elif row.in_group:
            placed.kept.append(_full_name(row.user))
        else:
            to_move.append(row)
    if to_move:
        matches = reduce(or_, (Q(pk=row.pk, version=people[row.pk]) for row in to_move))
        updated = PeerProfile.objects.filter(matches).update(
            cohort=promotion.name, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated != len(to_move):
            stale = [_full_name(row.user) for row in to_move if row.version != people[row.pk]]
            raise StaleVersion(
                PLACE_STALE_MESSAGE % {"names": ", ".join(stale) or "—"},
                current=None,
                version=0,
            )
        placed.moved = [row.user_id for row in to_move]
        audit_record(
            actor=by,
            action="peer_promotion_place",
            target=promotion,
            organisation=organisation,
            data={
                "users": placed.moved,
                "from": {str(row.user_id): row.cohort for row in to_move if row.cohort},
            },
        )
    return placed


@dataclass
class Offers:
    offered: list[tuple[str, str]] = field(default_factory=list)  # (person, group)
    waiting: list[str] = field(default_factory=list)


def _tell_waiting(profile: PeerProfile, promotion: Promotion) -> None:
    for channel in channels_for(profile.user):
        content = waiting_content(promotion=promotion.name, recipient=profile.user, channel=channel)
        notification_create(
            recipient=profile.user,
            channel=channel,
            kind=PeerNotice.PEER_PROMOTION_SET,
            idempotency_key=f"peers:promotion:p{promotion.pk}:u{profile.user_id}"
            f":v{profile.version}:{channel}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )


def promotion_offer(*, promotion: Promotion, user_ids: list[int], by: User) -> Offers:
    """For each of `user_ids` (just placed in `promotion`) who asks for a group and has
    none: propose a group of the promotion with room that suits her (`peer_arrival_place`,
    its own transaction: she and the members are told), or tell her that the next formation
    will propose her one. Called after the placement's commit: the engine's work runs in
    short transactions of its own."""
    require_coordinator_of(by, promotion.organisation)
    organisation = promotion.organisation
    offers = Offers()
    waiting = list(seekers(organisation).filter(user_id__in=user_ids, cohort=promotion.name))
    board = board_load(organisation)
    for profile in waiting:
        placement = _placement(board, profile)
        if placement.group is not None:
            try:
                member = peer_arrival_place(actor=by, profile=profile, group_id=placement.group.pk)
            except ValidationError:
                pass  # the group filled meanwhile: she waits for the next formation
            else:
                offers.offered.append((_full_name(profile.user), member.group.name))
                board = board_load(organisation)  # the group has one more member now
                continue
        _tell_waiting(profile, promotion)
        offers.waiting.append(_full_name(profile.user))
    return offers
