"""Group formations: the coordination runs the engine over a cohort, reviews the proposed
groups (moves a person, locks a group, re-forms the rest), then publishes them: each group
becomes ACTIVE with its meetings and its members are told.

Every write checks that `by` coordinates the formation's organisation, locks the formation row
and compares its `version` with the one the coordinator's page was built from: two
coordinators reviewing the same formation never overwrite each other (`FormationChanged`)."""

from __future__ import annotations

import time
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matchcore.peers.model import Config, Formation, Violation
from matchcore.peers.rules import violations
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.notifications.models import NotificationKind
from tisser.notifications.services import channels_for, notification_create
from tisser.peers import formation as adapter
from tisser.peers.formation_notices import group_proposed_content
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerProfile, Rhythm
from tisser.peers.services.groups import peer_group_activate

MIN_SIZE, MAX_SIZE = 3, 5
TARGET_SIZES = (3, 4, 5)
DEFAULT_TARGET = 4
# Put aside by the coordination during the review (not an engine reason).
SET_ASIDE = "set_aside"
GROUP_NAMES = (
    "Les Tisserands",
    "Les Passerelles",
    "Les Boussoles",
    "Les Cordées",
    "Les Éclaireurs",
    "Les Horizons",
    "Les Ricochets",
    "Les Sentiers",
    "Les Lucioles",
    "Les Racines",
)
VIOLATION_LABELS = {
    Violation.SIZE: gettext_lazy("de 3 à 5 personnes"),
    Violation.COHORT: gettext_lazy("une seule promotion"),
    Violation.NO_COMMON_SLOT: gettext_lazy("un créneau hebdomadaire commun à tous"),
    Violation.NO_COMMON_LANGUAGE: gettext_lazy("une langue commune"),
    Violation.MODE: gettext_lazy(
        "une façon de se réunir acceptée par tous (visio, ou sur place dans un même département)"
    ),
    Violation.ISOLATED_ATTRIBUTE: gettext_lazy(
        "personne seule dans sa situation alors qu'elle a demandé à ne pas l'être"
    ),
}
CURRENT = (PeerGroupMember.Status.PROPOSED, PeerGroupMember.Status.ACCEPTED)
OPEN_GROUPS = (PeerGroup.Status.PROPOSED, PeerGroup.Status.ACTIVE)


class FormationChanged(ValidationError):
    """Someone changed the formation since this page was opened: nothing was written."""

    def __init__(self):
        super().__init__(
            _(
                "Une autre personne de la coordination a modifié cette formation pendant votre "
                "relecture. Rien n'a été enregistré : relisez l'état à jour ci-dessous, puis "
                "recommencez."
            ),
            code="formation_changed",
        )


# Reads ------------------------------------------------------------------------------------


def coordinator_check(*, user: User, organisation: Organisation) -> None:
    """PermissionDenied unless `user` is an active coordinator of `organisation`."""
    if not Membership.objects.filter(
        user=user, organisation=organisation, role=Role.COORDINATOR, is_active=True
    ).exists():
        raise PermissionDenied


def formation_people(*, organisation: Organisation, cohort: str = ""):
    """Who a formation would place: the organisation's active beneficiaries who seek a group
    and are not a current member (proposed or accepted) of a proposed or active group; only
    those of `cohort` when it is not empty."""
    in_group = PeerGroupMember.objects.filter(
        user=OuterRef("user"),
        status__in=CURRENT,
        group__organisation=organisation,
        group__status__in=OPEN_GROUPS,
    )
    beneficiary = Membership.objects.filter(
        user=OuterRef("user"),
        organisation=organisation,
        role=Role.BENEFICIARY,
        is_active=True,
    )
    people = PeerProfile.objects.filter(
        Exists(beneficiary),
        ~Exists(in_group),
        organisation=organisation,
        seeking=True,
        user__is_active=True,
    )
    if cohort:
        people = people.filter(cohort=cohort)
    return people.order_by("user_id")


def formation_cohorts(*, organisation: Organisation) -> list[tuple[str, int]]:
    """The distinct non-empty cohorts of the organisation's preferences, each with the number
    of people a formation would place in it now."""
    counted = Counter(
        formation_people(organisation=organisation)
        .exclude(cohort="")
        .values_list("cohort", flat=True)
    )
    names = (
        PeerProfile.objects.filter(organisation=organisation)
        .exclude(cohort="")
        .order_by("cohort")
        .values_list("cohort", flat=True)
        .distinct()
    )
    return [(name, counted.get(name, 0)) for name in names]


def formation_figures(*, organisation: Organisation) -> dict[str, int]:
    """People seeking a group (a formation would place them), people in an active group, and
    active groups."""
    return {
        "seeking": formation_people(organisation=organisation).count(),
        "in_group": PeerGroupMember.objects.filter(
            group__organisation=organisation,
            group__status=PeerGroup.Status.ACTIVE,
            status__in=CURRENT,
        )
        .values("user_id")
        .distinct()
        .count(),
        "active_groups": PeerGroup.objects.filter(
            organisation=organisation, status=PeerGroup.Status.ACTIVE
        ).count(),
    }


# The coordinator waits for the page: a cohort of at most 30 people gets 8 units of CP-SAT's
# deterministic time (a few seconds) instead of the engine's default 40, which reaches the
# optimum on more cohorts but can take about 40 s on a hard one (bench/group_formation.py).
PAGE_EXACT_BUDGET = 8.0


def _engine_config(target_size: int) -> Config:
    return Config(
        min_size=MIN_SIZE,
        max_size=MAX_SIZE,
        target_size=target_size,
        exact_time_limit_alone=PAGE_EXACT_BUDGET,
    )


def _config(formation: GroupFormation) -> Config:
    return _engine_config((formation.config or {}).get("target_size", DEFAULT_TARGET))


# Writes -----------------------------------------------------------------------------------


def _locked(*, formation: GroupFormation, by: User, expected_version: int) -> GroupFormation:
    """The formation row, locked, after the permission, state and version checks."""
    coordinator_check(user=by, organisation=formation.organisation)
    locked = GroupFormation.objects.select_for_update().get(pk=formation.pk)
    if locked.status != GroupFormation.Status.REVIEW:
        raise ValidationError(
            _("Cette formation n'est plus en relecture : elle a été publiée ou abandonnée."),
            code="not_in_review",
        )
    if locked.version != expected_version:
        raise FormationChanged()
    return locked


def _names(taken: set[str]):
    """Friendly group names not yet used in the formation; numbered once the list runs out."""
    for name in GROUP_NAMES:
        if name not in taken:
            yield name
    number = 1
    while True:
        name = _("Groupe %(number)d") % {"number": number}
        if name not in taken:
            yield name
        number += 1


def _rhythm(engine_group, profiles: dict[int, PeerProfile]) -> str:
    if engine_group.shared_rhythm is not None:
        return engine_group.shared_rhythm.value
    counts = Counter(profiles[user_id].rhythm for user_id in engine_group.members)
    return max(Rhythm.values, key=lambda value: (counts[value], value == Rhythm.MONTHLY))


def _store(
    formation: GroupFormation,
    result: Formation,
    profiles: list[PeerProfile],
    *,
    taken: set[str],
) -> list[PeerGroup]:
    """One PROPOSED group per engine group (members proposed in the engine's order, score and
    explanation); the unplaced with their reason code."""
    by_user = {profile.user_id: profile for profile in profiles}
    names = _names(taken)
    groups = []
    for engine_group in result.groups:
        group = PeerGroup.objects.create(
            organisation=formation.organisation,
            formation=formation,
            name=next(names),
            cohort=engine_group.cohort or formation.cohort,
            rhythm=_rhythm(engine_group, by_user),
            score=round(engine_group.score, 4),
            explanation=adapter.explanation_rows(engine_group),
        )
        PeerGroupMember.objects.bulk_create(
            PeerGroupMember(group=group, user_id=user_id, position=position)
            for position, user_id in enumerate(engine_group.members)
        )
        groups.append(group)
    formation.unplaced = [
        {"user": item.participant_id, "reason": item.reason.value} for item in result.unplaced
    ]
    return groups


def _stats(formation: GroupFormation, **extra) -> dict:
    """The formation's figures from what is stored now (after moves, locks, re-runs)."""
    groups = list(formation.groups.exclude(status=PeerGroup.Status.ENDED))
    placed = PeerGroupMember.objects.filter(group__in=groups, status__in=CURRENT).count()
    scores = [group.score for group in groups if group.score is not None]
    unplaced = Counter(item["reason"] for item in formation.unplaced)
    return {
        **(formation.stats or {}),
        **extra,
        "people": placed + len(formation.unplaced),
        "groups": len(groups),
        "placed": placed,
        "unplaced": dict(sorted(unplaced.items())),
        "worst_score": round(min(scores), 4) if scores else None,
        "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
    }


def _bump(formation: GroupFormation, **extra) -> None:
    formation.stats = _stats(formation, **extra)
    formation.version += 1
    formation.save(update_fields=["stats", "unplaced", "version", "status", "published_at"])


def _compute(organisation: Organisation, cohort: str, config: Config):
    profiles = list(
        formation_people(organisation=organisation, cohort=cohort)
        .select_related("user")
        .prefetch_related("sectors")
    )
    if len(profiles) < MIN_SIZE:
        raise ValidationError(
            ngettext(
                "Une seule personne cherche un groupe ici : il en faut au moins %(min)d pour "
                "former un groupe. Invitez d'autres personnes à donner leurs préférences.",
                "%(count)d personnes cherchent un groupe ici : il en faut au moins %(min)d "
                "pour former un groupe. Invitez d'autres personnes à donner leurs préférences.",
                len(profiles),
            )
            % {"count": len(profiles), "min": MIN_SIZE},
            code="too_few",
        )
    started = time.perf_counter()
    result = adapter.formation_compute(profiles, config)
    return profiles, result, round(time.perf_counter() - started, 3)


@transaction.atomic
def formation_run(
    *, organisation: Organisation, cohort: str, target_size: int, by: User
) -> GroupFormation:
    """Form groups for `cohort` ("" for everyone seeking a group) of about `target_size`
    people (3 to 5): the engine's groups are stored as PROPOSED groups with their members,
    score and explanation, the people left out with their reason, for review.

    Refused while another formation of the organisation is in review, and with fewer than
    three people to place."""
    coordinator_check(user=by, organisation=organisation)
    if target_size not in TARGET_SIZES:
        raise ValidationError({"target_size": _("Choisissez 3, 4 ou 5 personnes.")})
    # One formation in review per organisation: the organisation row serialises two
    # coordinators starting one at the same moment.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if GroupFormation.objects.filter(
        organisation=organisation, status=GroupFormation.Status.REVIEW
    ).exists():
        raise ValidationError(
            _(
                "Une formation est déjà en relecture : publiez-la ou abandonnez-la avant d'en "
                "lancer une nouvelle."
            ),
            code="review_exists",
        )
    config = _engine_config(target_size)
    profiles, result, seconds = _compute(organisation, cohort, config)
    formation = GroupFormation.objects.create(
        organisation=organisation,
        cohort=cohort,
        config={"target_size": target_size, "min_size": MIN_SIZE, "max_size": MAX_SIZE},
        created_by=by,
    )
    _store(formation, result, profiles, taken=set())
    formation.stats = _stats(formation, seconds=seconds)
    formation.save(update_fields=["stats", "unplaced"])
    audit_record(
        actor=by,
        action="group_formation.run",
        target=formation,
        organisation=organisation,
        data={"cohort": cohort, "target_size": target_size, **formation.stats},
    )
    return formation


def _participants(organisation, user_ids) -> list:
    return adapter.participants(adapter.profiles_of(organisation, user_ids))


def _members(group: PeerGroup) -> list[int]:
    return list(
        group.members.filter(status__in=CURRENT)
        .order_by("position", "pk")
        .values_list("user_id", flat=True)
    )


def _broken(organisation, user_ids, config: Config) -> list[str]:
    return [
        str(VIOLATION_LABELS.get(v, v))
        for v in violations(_participants(organisation, user_ids), config)
    ]


def _describe(group: PeerGroup, config: Config) -> None:
    """Score and explanation of `group` after a change of its members."""
    if not group.members.filter(status__in=CURRENT).exists():
        return
    described = adapter.engine_group(group, config)
    group.score = round(described.score, 4)
    group.explanation = adapter.explanation_rows(described)
    group.version += 1
    group.save(update_fields=["score", "explanation", "version"])


@transaction.atomic
def formation_move(
    *,
    formation: GroupFormation,
    user: User,
    to_group: PeerGroup | None,
    by: User,
    expected_version: int,
) -> GroupFormation:
    """Move `user` (in a group of the formation, or left out) to `to_group` (another group
    of the formation) or out of every group. Refused when the group they leave or join is
    locked, or when either group would break a hard constraint (checked with the engine's
    rules on the new member sets before anything is written)."""
    locked = _locked(formation=formation, by=by, expected_version=expected_version)
    config = _config(locked)
    groups = {group.pk: group for group in locked.groups.select_for_update()}
    current = (
        PeerGroupMember.objects.filter(group__in=groups.values(), user=user, status__in=CURRENT)
        .select_related("group")
        .first()
    )
    left_out = next((item for item in locked.unplaced if item["user"] == user.pk), None)
    if current is None and left_out is None:
        raise ValidationError(_("Cette personne ne fait pas partie de cette formation."))
    target = groups.get(to_group.pk) if to_group is not None else None
    if to_group is not None and target is None:
        raise ValidationError({"to_group": _("Choisissez un groupe de cette formation.")})
    source = groups[current.group_id] if current else None
    if source == target:
        raise ValidationError({"to_group": _("Cette personne est déjà dans ce groupe.")})
    for group in (source, target):
        if group is not None and group.locked:
            raise ValidationError(
                {
                    "to_group": _(
                        "Le groupe « %(name)s » est verrouillé : déverrouillez-le pour le modifier."
                    )
                    % {"name": group.name}
                }
            )
    errors = []
    if source is not None:
        remaining = [member for member in _members(source) if member != user.pk]
        broken = _broken(locked.organisation, remaining, config)
        if broken:
            errors.append(
                _("Sans cette personne, « %(name)s » ne respecterait plus : %(why)s.")
                % {"name": source.name, "why": ", ".join(broken)}
            )
    if target is not None:
        broken = _broken(locked.organisation, [*_members(target), user.pk], config)
        if broken:
            errors.append(
                _("Avec cette personne, « %(name)s » ne respecterait plus : %(why)s.")
                % {"name": target.name, "why": ", ".join(broken)}
            )
    if errors:
        raise ValidationError({"to_group": errors}, code="breaks")
    if current is not None:
        current.delete()
        _describe(source, config)
    else:
        locked.unplaced = [item for item in locked.unplaced if item["user"] != user.pk]
    if target is not None:
        last = max((m.position for m in target.members.all()), default=-1)
        PeerGroupMember.objects.create(group=target, user=user, position=last + 1)
        _describe(target, config)
    else:
        locked.unplaced = [*locked.unplaced, {"user": user.pk, "reason": SET_ASIDE}]
    _bump(locked)
    audit_record(
        actor=by,
        action="group_formation.move",
        target=locked,
        organisation=locked.organisation,
        data={
            "user": user.pk,
            "from": source.pk if source else None,
            "to": target.pk if target else None,
        },
    )
    return locked


@transaction.atomic
def formation_lock(
    *, formation: GroupFormation, group: PeerGroup, locked: bool, by: User, expected_version: int
) -> PeerGroup:
    """Lock a group (kept as it is by moves and re-runs) or unlock it."""
    row = _locked(formation=formation, by=by, expected_version=expected_version)
    group = PeerGroup.objects.select_for_update().get(pk=group.pk, formation=row)
    group.locked = locked
    group.version += 1
    group.save(update_fields=["locked", "version"])
    _bump(row)
    audit_record(
        actor=by,
        action="group_formation.lock" if locked else "group_formation.unlock",
        target=group,
        organisation=row.organisation,
        data={"formation": row.pk},
    )
    return group


@transaction.atomic
def formation_rerun(
    *, formation: GroupFormation, by: User, expected_version: int
) -> GroupFormation:
    """Form again everyone not in a locked group: the unlocked groups are dissolved and the
    engine runs over their members, the people left out and anyone of the cohort who started
    seeking since; locked groups are kept as they are."""
    locked = _locked(formation=formation, by=by, expected_version=expected_version)
    kept = list(locked.groups.filter(locked=True))
    locked.groups.filter(locked=False).delete()
    locked.unplaced = []
    profiles, result, seconds = _compute(locked.organisation, locked.cohort, _config(locked))
    _store(locked, result, profiles, taken={group.name for group in kept})
    _bump(locked, seconds=seconds)
    audit_record(
        actor=by,
        action="group_formation.rerun",
        target=locked,
        organisation=locked.organisation,
        data={"kept": [group.pk for group in kept], **locked.stats},
    )
    return locked


def _notify_proposed(group: PeerGroup) -> None:
    path = reverse("peers:group", args=[group.pk])
    for member in group.members.filter(status__in=CURRENT).select_related("user"):
        recipient = member.user
        if not recipient.is_active:
            continue
        for channel in channels_for(recipient):
            content = group_proposed_content(
                group=group, recipient=recipient, channel=channel, path=path
            )
            notification_create(
                recipient=recipient,
                channel=channel,
                kind=NotificationKind.PEER_GROUP_PROPOSED,
                idempotency_key=f"peers:proposed:g{group.pk}:u{recipient.pk}:{channel}",
                subject=content.subject,
                body=content.body,
                url=content.url,
            )


@transaction.atomic
def formation_publish(
    *, formation: GroupFormation, by: User, expected_version: int
) -> list[PeerGroup]:
    """Publish every group of the formation: each becomes ACTIVE with its twice-monthly
    meetings (`peer_group_activate`) and its members are invited to join it. Refused while a
    group breaks a hard constraint (a preference changed since the run, say)."""
    locked = _locked(formation=formation, by=by, expected_version=expected_version)
    config = _config(locked)
    groups = list(locked.groups.filter(status=PeerGroup.Status.PROPOSED).order_by("name", "pk"))
    broken = [
        group.name
        for group in groups
        if violations(_participants(locked.organisation, _members(group)), config)
    ]
    if broken:
        raise ValidationError(
            _(
                "Ces groupes ne respectent plus une condition indispensable : %(names)s. "
                "Déplacez une personne ou refaites la formation avant de publier."
            )
            % {"names": ", ".join(f"« {name} »" for name in broken)},
            code="broken",
        )
    if not groups:
        raise ValidationError(_("Aucun groupe à publier."), code="empty")
    published = []
    for group in groups:
        group = peer_group_activate(group=group, by=by)
        _notify_proposed(group)
        published.append(group)
    locked.status = GroupFormation.Status.PUBLISHED
    locked.published_at = timezone.now()
    _bump(locked, published=len(published))
    audit_record(
        actor=by,
        action="group_formation.publish",
        target=locked,
        organisation=locked.organisation,
        data={"groups": [group.pk for group in published]},
    )
    return published


@transaction.atomic
def formation_discard(*, formation: GroupFormation, by: User, expected_version: int) -> None:
    """Abandon a formation in review: its proposed groups are deleted (nobody has seen them),
    its figures stay in the history and its people can be placed by another formation."""
    locked = _locked(formation=formation, by=by, expected_version=expected_version)
    locked.stats = _stats(locked)
    locked.groups.filter(status=PeerGroup.Status.PROPOSED).delete()
    locked.status = GroupFormation.Status.DISCARDED
    locked.version += 1
    locked.save(update_fields=["stats", "status", "version"])
    audit_record(
        actor=by,
        action="group_formation.discard",
        target=locked,
        organisation=locked.organisation,
    )


def peer_cohort_set(*, coordinator: User, profile: PeerProfile, cohort: str) -> PeerProfile:
    """The coordination files a person's preferences under a cohort ("" for none)."""
    coordinator_check(user=coordinator, organisation=profile.organisation)
    cohort = " ".join(cohort.split())[:100]
    PeerProfile.objects.filter(pk=profile.pk).update(cohort=cohort)
    profile.cohort = cohort
    audit_record(
        actor=coordinator,
        action="peer_cohort_set",
        target=profile,
        organisation=profile.organisation,
        data={"cohort": cohort},
    )
    return profile
