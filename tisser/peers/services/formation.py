"""Group formations: the coordination asks for groups for a cohort, the engine computes them
in the background (`formation_compute`, run by the task worker: a hard cohort takes up to a
minute), then the coordination reviews the proposed groups (moves a person, locks a group,
re-forms the rest) and publishes them: each group becomes ACTIVE with its meetings and its
members are told.

Every write checks that `by` coordinates the formation's organisation, locks the formation row
and compares its `version` with the one the coordinator's page was built from: two
coordinators reviewing the same formation never overwrite each other (`StaleVersion`)."""

from __future__ import annotations

import logging
import time
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matchcore.peers.model import Config, Formation, Violation
from matchcore.peers.rules import violations
from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Membership, Organisation, User
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.core.versioning import version_bump, version_require
from tisser.notifications.services import channels_for, notification_create
from tisser.peers import formation as adapter
from tisser.peers.formation_notices import group_proposed_content
from tisser.peers.models import (
    GroupFormation,
    PeerGroup,
    PeerGroupMember,
    PeerProfile,
    Promotion,
    Rhythm,
)
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.services.groups import peer_group_activate

logger = logging.getLogger(__name__)

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
    # Neutral: neither the situation nor whose it is (ADR 0013), only that a preference
    # someone declared is at stake.
    Violation.ISOLATED_ATTRIBUTE: gettext_lazy(
        "une préférence déclarée par une personne du groupe"
    ),
}
CURRENT = (PeerGroupMember.Status.PROPOSED, PeerGroupMember.Status.ACCEPTED)
OPEN_GROUPS = (PeerGroup.Status.PROPOSED, PeerGroup.Status.ACTIVE)


# A formation changed by another coordinator since the page was built (StaleVersion,
# ADR 0007).
FORMATION_STALE_MESSAGE = gettext_lazy(
    "Une autre personne de la coordination a modifié cette formation pendant votre "
    "relecture. Rien n'a été enregistré : relisez l'état à jour ci-dessous, puis "
    "recommencez."
)


# Reads ------------------------------------------------------------------------------------


def formation_people(
    *, organisation: Organisation, cohort: str = "", regrouping: GroupFormation | None = None
):
    """Who a formation would place: the organisation's active beneficiaries who seek a group
    and are not a current member (proposed or accepted) of a proposed or active group; only
    those of `cohort` when it is not empty. With `regrouping`, the members of its unlocked
    proposed groups count as placeable too (a re-run forms them again)."""
    in_group = PeerGroupMember.objects.filter(
        user=OuterRef("user"),
        status__in=CURRENT,
        group__organisation=organisation,
        group__status__in=OPEN_GROUPS,
    )
    if regrouping is not None:
        in_group = in_group.exclude(
            group__formation=regrouping,
            group__locked=False,
            group__status=PeerGroup.Status.PROPOSED,
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


# The engine runs in the background: a cohort of at most 30 people alone gets the engine's
# budget for an exact solve (`TISSER_PEERS_EXACT_BUDGET`, 40 units of CP-SAT's deterministic
# time by default: up to about a minute on a hard cohort, see bench/group_formation.py), and
# the small cohorts of a larger formation share 16 units (issue #16: 300 people in a dozen
# promotions took 48 s with 200 units, three quarters of it in CP-SAT; the heuristic's groups
# stand wherever CP-SAT has too little time, see bench/group_formation_db.py). Since CP-SAT
# starts from the heuristic's whole groups (ADR 0005, 2026-12-07), 16 units give groups at
# least as good as before on every instance measured, in about three quarters of the CPU; 8
# units would save more but gave a lower mean on one of them.
EXACT_TOTAL = 16.0


def _engine_config(target_size: int) -> Config:
    return Config(
        min_size=MIN_SIZE,
        max_size=MAX_SIZE,
        target_size=target_size,
        exact_total_limit=EXACT_TOTAL,
        exact_time_limit_alone=float(settings.TISSER_PEERS_EXACT_BUDGET),
    )


def _config(formation: GroupFormation) -> Config:
    return _engine_config((formation.config or {}).get("target_size", DEFAULT_TARGET))


# Why a computation gave no groups (`GroupFormation.error`); the pages show these labels.
COMPUTE_ERRORS = {
    "too_few": gettext_lazy(
        "Moins de 3 personnes cherchent encore un groupe ici : il en faut au moins 3 pour "
        "former un groupe."
    ),
    "moving": gettext_lazy(
        "Les personnes qui cherchent un groupe ont changé trois fois pendant le calcul : "
        "relancez-le."
    ),
    "crashed": gettext_lazy(
        "Le calcul des groupes a échoué. Rien n'a été modifié : relancez-le, et prévenez "
        "l'équipe technique si cela se reproduit."
    ),
}


# Writes -----------------------------------------------------------------------------------


def _locked(
    *, formation: GroupFormation, by: User, expected_version: int, running: bool = False
) -> GroupFormation:
    """The formation row, locked, after the permission, state and version checks (in review,
    or also while the engine computes when `running`)."""
    require_coordinator_of(by, formation.organisation)
    locked = GroupFormation.objects.select_for_update().get(pk=formation.pk)
    allowed = {GroupFormation.Status.REVIEW} | (
        {GroupFormation.Status.RUNNING} if running else set()
    )
    if locked.status == GroupFormation.Status.RUNNING and not running:
        raise ValidationError(
            _(
                "Les groupes sont en cours de calcul : attendez la fin du calcul, la page se "
                "met à jour toute seule."
            ),
            code="running",
        )
    if locked.status not in allowed:
        raise ValidationError(
            _("Cette formation n'est plus en relecture : elle a été publiée ou abandonnée."),
            code="not_in_review",
        )
    version_require(locked, expected=expected_version, message=FORMATION_STALE_MESSAGE)
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
    groups = PeerGroup.objects.bulk_create(
        [
            PeerGroup(
                organisation=formation.organisation,
                formation=formation,
                name=next(names),
                cohort=engine_group.cohort or formation.cohort,
                rhythm=_rhythm(engine_group, by_user),
                score=round(engine_group.score, 4),
                explanation=adapter.explanation_rows(engine_group),
            )
            for engine_group in result.groups
        ]
    )
    PeerGroupMember.objects.bulk_create(
        [
            PeerGroupMember(group=group, user_id=user_id, position=position)
            for group, engine_group in zip(groups, result.groups, strict=True)
            for position, user_id in enumerate(engine_group.members)
        ],
        batch_size=1_000,
    )
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
    version_bump(formation, expected=formation.version, message=FORMATION_STALE_MESSAGE)
    formation.save(
        update_fields=[
            "stats",
            "unplaced",
            "version",
            "status",
            "published_at",
            "running_since",
            "error",
        ]
    )


def _set_status(formation: GroupFormation, status: str, *, error: str = "") -> None:
    """RUNNING (since now) or back to REVIEW with the computation's `error`, if any; a new
    version either way."""
    running = status == GroupFormation.Status.RUNNING
    formation.status = status
    formation.running_since = timezone.now() if running else None
    formation.error = error
    formation.stage = GroupFormation.Stage.QUEUED if running else ""
    formation.progress = 0
    version_bump(formation, expected=formation.version, message=FORMATION_STALE_MESSAGE)
    formation.save(
        update_fields=["status", "running_since", "error", "stage", "progress", "version"]
    )


def _too_few(count: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "Une seule personne cherche un groupe ici : il en faut au moins %(min)d pour "
            "former un groupe. Invitez d'autres personnes à donner leurs préférences.",
            "%(count)d personnes cherchent un groupe ici : il en faut au moins %(min)d "
            "pour former un groupe. Invitez d'autres personnes à donner leurs préférences.",
            count,
        )
        % {"count": count, "min": MIN_SIZE},
        code="too_few",
    )


def _compute_soon(formation: GroupFormation) -> None:
    """After the commit, queue the engine's run for this version of the formation."""
    formation_id, version = formation.pk, formation.version

    def enqueue():
        # Imported here: the task module imports this one (the task calls `formation_compute`).
        from tisser.peers.tasks import peers_formation_compute

        peers_formation_compute.enqueue(formation_id=formation_id, version=version)

    transaction.on_commit(enqueue)


@transaction.atomic
def formation_run(
    *, organisation: Organisation, cohort: str, target_size: int, by: User
) -> GroupFormation:
    """Ask for groups for `cohort` ("" for everyone seeking a group) of about `target_size`
    people (3 to 5): the formation is created RUNNING and the engine's run is queued
    (`formation_compute` stores its groups as PROPOSED, with the people left out and their
    reason, for review).

    Refused while another formation of the organisation is computing or in review, and with
    fewer than three people to place."""
    require_coordinator_of(by, organisation)
    if target_size not in TARGET_SIZES:
        raise ValidationError({"target_size": _("Choisissez 3, 4 ou 5 personnes.")})
    # One formation at a time per organisation: the organisation row serialises two
    # coordinators starting one at the same moment.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if GroupFormation.objects.filter(
        organisation=organisation,
        status__in=[GroupFormation.Status.RUNNING, GroupFormation.Status.REVIEW],
    ).exists():
        raise ValidationError(
            _(
                "Une formation est déjà en cours : publiez-la ou abandonnez-la avant d'en "
                "lancer une nouvelle."
            ),
            code="review_exists",
        )
    count = formation_people(organisation=organisation, cohort=cohort).count()
    if count < MIN_SIZE:
        raise _too_few(count)
    formation = GroupFormation.objects.create(
        organisation=organisation,
        cohort=cohort,
        status=GroupFormation.Status.RUNNING,
        running_since=timezone.now(),
        stage=GroupFormation.Stage.QUEUED,
        config={"target_size": target_size, "min_size": MIN_SIZE, "max_size": MAX_SIZE},
        stats={"people": count},
        created_by=by,
    )
    audit_record(
        actor=by,
        action="group_formation.run",
        target=formation,
        organisation=organisation,
        data={"cohort": cohort, "target_size": target_size, "people": count},
    )
    _compute_soon(formation)
    return formation


def _progress(formation_id: int, version: int, stage: str, percent: float) -> None:
    """What the computation is doing, for the page's poll: one UPDATE in its own autocommit
    (never inside the transaction that stores the groups), only while this version runs."""
    GroupFormation.objects.filter(
        pk=formation_id, version=version, status=GroupFormation.Status.RUNNING
    ).update(stage=stage, progress=max(0, min(100, int(percent))))


def _placeable(formation: GroupFormation) -> list[PeerProfile]:
    return list(
        formation_people(
            organisation=formation.organisation, cohort=formation.cohort, regrouping=formation
        )
        .select_related("user")
        .prefetch_related(adapter.SECTORS)
    )


def formation_compute(*, formation_id: int, version: int, attempts: int = 3) -> str:
    """The engine's run for a RUNNING formation (the task `peers_formation_compute`): it
    computes outside any transaction, then stores the groups — the unlocked proposed groups
    replaced, the locked ones kept — and the formation goes to review. Nothing is stored
    when the formation was discarded or changed meanwhile ("skipped"); when the people to
    place changed during the computation it computes again, up to `attempts` times. When it
    gives no groups, the formation goes back to review with the reason (`error`) and nothing
    else changes. Returns "done", "skipped" or the error code."""
    formation = (
        GroupFormation.objects.select_related("organisation").filter(pk=formation_id).first()
    )
    if formation is None or formation.status != GroupFormation.Status.RUNNING:
        return "skipped"
    if formation.version != version:
        return "skipped"
    config = _config(formation)
    error = "moving"
    for _attempt in range(attempts):
        _progress(formation_id, version, GroupFormation.Stage.READING, 0)
        profiles = _placeable(formation)
        result = None
        if len(profiles) < MIN_SIZE:
            error = "too_few"
        else:
            started = time.perf_counter()
            _progress(formation_id, version, GroupFormation.Stage.COMPUTING, 5)
            try:
                result = adapter.formation_compute(
                    profiles,
                    config,
                    progress=lambda share: _progress(
                        formation_id, version, GroupFormation.Stage.COMPUTING, 5 + 90 * share
                    ),
                )
            except Exception:
                logger.exception("peer group formation %s failed", formation_id)
                error = "crashed"
            seconds = round(time.perf_counter() - started, 3)
            _progress(formation_id, version, GroupFormation.Stage.STORING, 95)
        with transaction.atomic():
            locked = GroupFormation.objects.select_for_update().get(pk=formation_id)
            if locked.status != GroupFormation.Status.RUNNING or locked.version != version:
                return "skipped"
            if result is not None:
                now = {profile.pk for profile in _placeable(locked)}
                if now != {profile.pk for profile in profiles}:
                    continue
                kept = list(locked.groups.filter(locked=True))
                locked.groups.filter(locked=False, status=PeerGroup.Status.PROPOSED).delete()
                locked.unplaced = []
                _store(locked, result, profiles, taken={group.name for group in kept})
                locked.status = GroupFormation.Status.REVIEW
                locked.running_since = None
                locked.error = ""
                _bump(locked, seconds=seconds)
                audit_record(
                    actor=None,
                    action="group_formation.computed",
                    target=locked,
                    organisation=locked.organisation,
                    data={"kept": [group.pk for group in kept], **locked.stats},
                )
                return "done"
            break
    with transaction.atomic():
        locked = GroupFormation.objects.select_for_update().get(pk=formation_id)
        if locked.status != GroupFormation.Status.RUNNING or locked.version != version:
            return "skipped"
        _set_status(locked, GroupFormation.Status.REVIEW, error=error)
        audit_record(
            actor=None,
            action="group_formation.failed",
            target=locked,
            organisation=locked.organisation,
            data={"error": error},
        )
    return error


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
    if current is not None and source is not None:  # both or neither (see `source`)
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
    """Form again everyone not in a locked group: the formation goes back to RUNNING and the
    engine is queued over the members of its unlocked groups, the people left out and anyone
    of the cohort who started seeking since; locked groups are kept as they are. The current
    groups stay until the new ones are stored."""
    locked = _locked(formation=formation, by=by, expected_version=expected_version)
    _set_status(locked, GroupFormation.Status.RUNNING)
    audit_record(
        actor=by,
        action="group_formation.rerun",
        target=locked,
        organisation=locked.organisation,
        data={"kept": list(locked.groups.filter(locked=True).values_list("pk", flat=True))},
    )
    _compute_soon(locked)
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
                kind=PeerNotice.PEER_GROUP_PROPOSED,
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
    """Abandon a formation in review or still computing (a computation that ends later is
    dropped): its proposed groups are deleted (nobody has seen them), its figures stay in
    the history and its people can be placed by another formation."""
    locked = _locked(formation=formation, by=by, expected_version=expected_version, running=True)
    locked.stats = _stats(locked)
    locked.groups.filter(status=PeerGroup.Status.PROPOSED).delete()
    locked.status = GroupFormation.Status.DISCARDED
    version_bump(locked, expected=locked.version, message=FORMATION_STALE_MESSAGE)
    locked.save(update_fields=["stats", "status", "version"])
    audit_record(
        actor=by,
        action="group_formation.discard",
        target=locked,
        organisation=locked.organisation,
    )


def peer_cohort_set(*, coordinator: User, profile: PeerProfile, cohort: str) -> PeerProfile:
    """The coordination files a person's preferences under a cohort ("" for none)."""
    require_coordinator_of(coordinator, profile.organisation)
    cohort = " ".join(cohort.split())[:100]
    if cohort:
        # Every name in use is one of the organisation's promotions (ADR 0023).
        Promotion.objects.get_or_create(
            organisation=profile.organisation, name=cohort, defaults={"created_by": coordinator}
        )
    PeerProfile.objects.filter(pk=profile.pk).update(cohort=cohort, version=F("version") + 1)
    profile.cohort = cohort
    audit_record(
        actor=coordinator,
        action="peer_cohort_set",
        target=profile,
        organisation=profile.organisation,
        data={"cohort": cohort},
    )
    return profile
