"""The coordination keeps groups alive: a late joiner is placed in a compatible group with
room; a group that lost members is repaired with few moves (a member of a larger group joins
it, or it is dissolved and its members join other groups); a group can be ended.

Plans are computed by the engine (`matchcore.peers.repair`) on the organisation's active
groups, read in a fixed number of queries; applying one computes it again inside the
transaction and refuses when it changed since the coordinator read it. A repair is recorded
in the audit log (`peer_group_repair`) on every group it touched: a member who left before
that entry no longer flags the group."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matchcore.peers.model import Config, Group, Participant, UnplacedReason, Violation
from matchcore.peers.repair import repair
from matchcore.peers.rules import describe, violations
from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.core.audit import audit_record
from tisser.core.dates import french_date
from tisser.core.french import sort_key
from tisser.core.models import AuditEvent
from tisser.meetings.models import MeetingSeries, Occurrence
from tisser.meetings.services import series_end
from tisser.notifications.actions import resolve
from tisser.notifications.models import Channel
from tisser.notifications.services import channels_for, notification_create
from tisser.peers.formation import (
    SECTORS,
    UNPLACED_LABELS,
    explanation_labels,
    explanation_rows,
    participant,
)
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember, PeerProfile
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.repair_notices import ended_content, newcomer_content, proposed_content
from tisser.peers.services.formation import formation_people
from tisser.peers.services.membership import CURRENT, _leave_series, _series_organiser

CONFIG = Config()
# Marks the group to repair as changed for the engine, which only revisits groups someone
# left: the people who left are already out of the stored group.
SENTINEL = -1
REPAIR_ACTION = "peer_group_repair"

VIOLATION_LABELS = {
    Violation.SIZE: gettext_lazy("Taille hors des limites (3 à 5 membres)"),
    Violation.COHORT: gettext_lazy("Des membres de promotions différentes"),
    Violation.NO_COMMON_SLOT: gettext_lazy("Plus de créneau hebdomadaire commun"),
    Violation.NO_COMMON_LANGUAGE: gettext_lazy("Plus de langue commune"),
    Violation.MODE: gettext_lazy("Plus de façon commune de se réunir"),
    # Neither who nor what was declared (ADR 0005, 0013, 0023): only that the group's
    # composition needs a look.
    Violation.ISOLATED_ATTRIBUTE: gettext_lazy("La composition du groupe est à revoir"),
}
NO_GROUP_LABEL = gettext_lazy(
    "Aucun groupe actif de sa promotion n'a de place : sa demande ira à la prochaine "
    "formation de groupes"
)


def full_name(user: User) -> str:
    return user.get_full_name() or user.email


# -- reading the organisation's groups in a fixed number of queries -----------------------------


@dataclass
class Board:
    """The organisation's active groups with their members, and everyone's engine view."""

    groups: list[PeerGroup]
    people: dict[int, Participant]
    users: dict[int, User] = field(default_factory=dict)
    # Each group as the engine describes it, computed once per board (a page reads the
    # board once and asks for the same groups for every person or repair it shows).
    engines: dict[int, Group | None] = field(default_factory=dict)
    _left: dict[int, set[int]] | None = None

    def current(self, group: PeerGroup) -> list[PeerGroupMember]:
        return [m for m in group.members.all() if m.status in CURRENT]

    def engine(self, group: PeerGroup) -> Group | None:
        if group.pk not in self.engines:
            ids = [m.user_id for m in self.current(group) if m.user_id in self.people]
            self.engines[group.pk] = (
                describe(group.pk, [self.people[i] for i in ids], CONFIG.weights) if ids else None
            )
        return self.engines[group.pk]

    def left(self, user_id: int) -> set[int]:
        """The active groups `user_id` left or declined (LEFT: never proposed to them again),
        from the members already read."""
        if self._left is None:
            self._left = {}
            for group in self.groups:
                for member in group.members.all():
                    if member.status == PeerGroupMember.Status.LEFT:
                        self._left.setdefault(member.user_id, set()).add(group.pk)
        return self._left.get(user_id, set())

    def by_id(self) -> dict[int, PeerGroup]:
        return {group.pk: group for group in self.groups}


def board_load(organisation: Organisation, *, lock: bool = False) -> Board:
    groups_query = PeerGroup.objects.filter(
        organisation=organisation, status=PeerGroup.Status.ACTIVE
    )
    if lock:
        # Members change under the same locks (placements and repairs lock the groups first).
        list(groups_query.select_for_update().values_list("pk", flat=True))
    groups = list(
        groups_query.prefetch_related(
            Prefetch(
                "members",
                queryset=PeerGroupMember.objects.select_related("user").order_by("position", "pk"),
            )
        ).order_by("name", "pk")
    )
    user_ids = {m.user_id for group in groups for m in group.members.all() if m.status in CURRENT}
    profiles = (
        PeerProfile.objects.filter(organisation=organisation, user_id__in=user_ids)
        .prefetch_related(SECTORS)
        .order_by("user_id")
    )
    users = {m.user_id: m.user for group in groups for m in group.members.all()}
    return Board(groups=groups, people={p.user_id: participant(p) for p in profiles}, users=users)


# -- late joiners -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    profile: PeerProfile
    group: PeerGroup | None
    explanation: list[str]
    reason: str = ""


def _under_review(organisation: Organisation) -> set[int]:
    """People a formation in review (or computing again) holds: left out with a reason, to be
    decided there."""
    held: set[int] = set()
    for rows in GroupFormation.objects.filter(
        organisation=organisation,
        status__in=[GroupFormation.Status.REVIEW, GroupFormation.Status.RUNNING],
    ).values_list("unplaced", flat=True):
        held.update(row["user"] for row in rows or [] if isinstance(row, dict) and "user" in row)
    return held


def seekers(organisation: Organisation):
    """Beneficiaries seeking a group, in no proposed or active group (the people a formation
    would place), not held by a formation in review."""
    return (
        formation_people(organisation=organisation)
        .exclude(user_id__in=_under_review(organisation))
        .select_related("user")
        .prefetch_related(SECTORS)
    )


def _placement(board: Board, profile: PeerProfile, taken: Iterable[int] = ()) -> Placement:
    """The group the engine finds `profile`'s person among the active groups of their cohort
    with room, except the ones they left or declined and the ones `taken` (filled, on the
    coordination's page, by the proposals made to the people listed before them)."""
    arrival = participant(profile)
    excluded = board.left(profile.user_id) | set(taken)
    candidates = [
        group
        for group in board.groups
        if group.cohort == profile.cohort
        and group.pk not in excluded
        and len(board.current(group)) < CONFIG.max_size
    ]
    engine_groups = [g for g in (board.engine(group) for group in candidates) if g is not None]
    if not engine_groups:
        return Placement(profile=profile, group=None, explanation=[], reason=str(NO_GROUP_LABEL))
    people = [board.people[i] for g in engine_groups for i in g.members]
    result = repair(engine_groups, people, arriving=[arrival], config=CONFIG)
    by_id = board.by_id()
    for move in result.moves:
        if move.participant_id == arrival.id and move.to_group in by_id:
            found = next(g for g in result.groups if g.key == move.to_group)
            return Placement(
                profile=profile,
                group=by_id[move.to_group],
                explanation=explanation_labels(explanation_rows(found)),
            )
    reason = next(
        (w.reason for w in result.waiting if w.participant_id == arrival.id),
        UnplacedReason.NO_ROOM,
    )
    return Placement(
        profile=profile, group=None, explanation=[], reason=str(UNPLACED_LABELS[reason])
    )


def joint_placements(
    board: Board, profiles: Iterable[PeerProfile]
) -> list[tuple[Placement, tuple[int, ...]]]:
    """Each of `profiles` placed in turn, the places left counted jointly: a group proposed
    to a person has one place less for the people after them (five people are not all
    proposed a group's last place). With each placement, the groups of that person's cohort
    the earlier proposals filled (`taken`): `peer_arrival_place` given them finds the same
    group whatever the order the coordinator proposes them in."""
    room = {group.pk: CONFIG.max_size - len(board.current(group)) for group in board.groups}
    filled: set[int] = set()
    by_id = board.by_id()
    rows = []
    for profile in profiles:
        taken = tuple(sorted(pk for pk in filled if by_id[pk].cohort == profile.cohort))
        placement = _placement(board, profile, taken)
        if placement.group is not None:
            room[placement.group.pk] -= 1
            if room[placement.group.pk] <= 0:
                filled.add(placement.group.pk)
        rows.append((placement, taken))
    return rows


def arrivals_compute(organisation: Organisation, profiles=None) -> list[Placement]:
    """For each person waiting for a group (or each of `profiles`, a page of `seekers`),
    the group they would join (and why) or the reason they wait, the places left counted
    jointly (`joint_placements`). Reads only."""
    board = board_load(organisation)
    people = seekers(organisation) if profiles is None else profiles
    return [placement for placement, _taken in joint_placements(board, people)]


def _notify_newcomer(group: PeerGroup, member: PeerGroupMember, *, moved: bool, key: str) -> None:
    for channel in channels_for(member.user):
        content = proposed_content(group=group, recipient=member.user, channel=channel, moved=moved)
        notification_create(
            recipient=member.user,
            channel=channel,
            kind=PeerNotice.PEER_GROUP_PROPOSED,
            idempotency_key=f"peers:{key}:m{member.pk}:{channel}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )
    for other in (
        PeerGroupMember.objects.filter(group=group, status__in=CURRENT)
        .exclude(pk=member.pk)
        .select_related("user")
    ):
        if not other.user.is_active:
            continue
        content = newcomer_content(group=group, newcomer=member.user, recipient=other.user)
        notification_create(
            recipient=other.user,
            channel=Channel.IN_APP,
            kind=PeerNotice.PEER_GROUP_CHANGED,
            idempotency_key=f"peers:{key}:m{member.pk}:u{other.user_id}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )


def _propose(group: PeerGroup, user: User) -> PeerGroupMember:
    last = PeerGroupMember.objects.filter(group=group).aggregate(last=Max("position"))["last"]
    return PeerGroupMember.objects.create(
        group=group,
        user=user,
        status=PeerGroupMember.Status.PROPOSED,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def peer_arrival_place(
    *, actor: User, profile: PeerProfile, group_id: int, taken: Iterable[int] = ()
) -> PeerGroupMember:
    """Propose `profile`'s person the group the engine finds for them now, which must be the
    one the coordinator was shown (`group_id`), still with room and valid with them; `taken`
    are the groups the page kept for the people above them (see `joint_placements`), which
    only narrows the choice. Never a group they left or declined. They
    join as PROPOSED (last in the facilitator rotation) and take part in the meetings once
    they accept. They are told, and the members hear of them (first name only)."""
    require_coordinator_of(actor, profile.organisation)
    board = board_load(profile.organisation, lock=True)
    profile = seekers(profile.organisation).filter(pk=profile.pk).first()
    if profile is None:
        raise ValidationError(
            _("Cette personne ne cherche plus de groupe ou en a déjà un."), code="not_waiting"
        )
    placement = _placement(board, profile, taken)
    if placement.group is None or placement.group.pk != group_id:
        raise ValidationError(
            _(
                "La proposition a changé depuis l'affichage de la page (un groupe s'est rempli "
                "ou des préférences ont changé). Rien n'a été enregistré : vérifiez la nouvelle "
                "proposition."
            ),
            code="changed",
        )
    group = placement.group
    current = board.current(group)
    people = [board.people[m.user_id] for m in current if m.user_id in board.people]
    if len(current) >= CONFIG.max_size or violations([*people, participant(profile)], CONFIG):
        raise ValidationError(_("Ce groupe n'a plus de place compatible."), code="no_room")
    member = _propose(group, profile.user)
    _notify_newcomer(group, member, moved=False, key="placed")
    audit_record(
        actor=actor,
        action="peer_arrival_place",
        target=member,
        organisation=group.organisation,
        data={"group_id": group.pk},
    )
    return member


# -- repairs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMove:
    user_id: int
    from_group: int
    to_group: int | None  # None: waits for another group


@dataclass
class RepairPlan:
    group: PeerGroup
    why: list[str]
    moves: list[PlannedMove]
    dissolved: bool
    sentences: list[str]
    waiting: dict[int, str] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        """Nobody moves and the group goes on: applying only records that it was seen."""
        return not self.moves and not self.dissolved

    @property
    def signature(self) -> str:
        """What the coordinator saw, to refuse applying a plan that changed since."""
        parts = [f"{m.user_id}:{m.from_group}:{m.to_group or 0}" for m in self.moves]
        return ";".join(["d" if self.dissolved else "k", *parts])


def _last_repairs(organisation: Organisation, group_ids) -> dict[int, datetime]:
    rows = (
        AuditEvent.objects.filter(
            organisation=organisation,
            action=REPAIR_ACTION,
            target_type=PeerGroup._meta.label_lower,
            target_id__in=[str(pk) for pk in group_ids],
        )
        .values("target_id")
        .annotate(last=Max("created_at"))
    )
    return {int(row["target_id"]): row["last"] for row in rows}


def _why(board: Board, group: PeerGroup, last_repair: datetime | None) -> list[str]:
    reasons = []
    for member in group.members.all():
        if member.status == PeerGroupMember.Status.LEFT and (
            last_repair is None or (member.left_at and member.left_at > last_repair)
        ):
            reasons.append(
                _("%(name)s a quitté le groupe le %(date)s")
                % {
                    "name": full_name(member.user),
                    "date": french_date(timezone.localtime(member.left_at))
                    if member.left_at
                    else "—",
                }
            )
    current = board.current(group)
    if len(current) < CONFIG.min_size:
        reasons.append(
            ngettext("Plus que %(count)s membre", "Plus que %(count)s membres", len(current))
            % {"count": len(current)}
        )
    people = [board.people[m.user_id] for m in current if m.user_id in board.people]
    for violation in violations(people, CONFIG) if people else []:
        if violation is Violation.SIZE:
            continue  # said above, with the count
        reasons.append(str(VIOLATION_LABELS[violation]))
    return reasons


def _plan(board: Board, group: PeerGroup, why: list[str]) -> RepairPlan:
    by_id = board.by_id()
    target = board.engine(group)
    if target is None:
        return RepairPlan(
            group=group,
            why=why,
            moves=[],
            dissolved=True,
            sentences=[
                _("Le groupe « %(group)s » n'a plus de membre : il se termine.")
                % {"group": group.name}
            ],
        )
    target = replace(target, members=(*target.members, SENTINEL))
    others = [
        engine
        for other in board.groups
        if other.pk != group.pk and other.cohort == group.cohort
        for engine in [board.engine(other)]
        if engine is not None
    ]
    people = [board.people[i] for g in [target, *others] for i in g.members if i != SENTINEL]
    result = repair([target, *others], people, leaving=[SENTINEL], config=CONFIG)
    reasons = {w.participant_id: w.reason for w in result.waiting}
    moves = []
    for move in result.moves:
        if move.participant_id == SENTINEL:
            continue
        if move.from_group is None:
            # Only arrivals come from no group, and this repair has none: the engine broke
            # its contract, and applying the plan would lose track of the person.
            raise RuntimeError(f"Repair moved participant {move.participant_id} from no group")
        to_group = move.to_group if move.to_group in by_id else None
        moves.append(PlannedMove(move.participant_id, move.from_group, to_group))
    dissolved = group.pk not in {g.key for g in result.groups}
    sentences = []
    waiting = {}
    if dissolved:
        sentences.append(
            _(
                "Le groupe « %(group)s » est dissous : trop peu de membres, et aucun autre "
                "groupe ne peut lui en prêter un."
            )
            % {"group": group.name}
        )
    for planned in moves:
        name = full_name(board.users[planned.user_id])
        if planned.to_group is None:
            reason = reasons.get(planned.user_id)
            if reason is not None and reason in UNPLACED_LABELS:
                label = str(UNPLACED_LABELS[reason])
            else:
                label = _("Pas de groupe compatible")
            waiting[planned.user_id] = label
            sentences.append(
                _("%(name)s attend un autre groupe : %(reason)s") % {"name": name, "reason": label}
            )
        elif planned.from_group == group.pk:
            sentences.append(
                _("%(name)s rejoint « %(group)s »")
                % {"name": name, "group": by_id[planned.to_group].name}
            )
        else:
            sentences.append(
                _("%(name)s quitte « %(from)s » et rejoint « %(group)s »")
                % {
                    "name": name,
                    "from": by_id[planned.from_group].name,
                    "group": by_id[planned.to_group].name,
                }
            )
    if not moves and not dissolved:
        sentences.append(
            ngettext(
                "Aucun changement nécessaire : le groupe continue avec %(count)s membre.",
                "Aucun changement nécessaire : le groupe continue avec %(count)s membres.",
                len(board.current(group)),
            )
            % {"count": len(board.current(group))}
        )
    return RepairPlan(
        group=group, why=why, moves=moves, dissolved=dissolved, sentences=sentences, waiting=waiting
    )


def _to_repair(board: Board, organisation: Organisation) -> list[tuple[PeerGroup, list[str]]]:
    last = _last_repairs(organisation, [group.pk for group in board.groups])
    flagged = []
    for group in board.groups:
        why = _why(board, group, last.get(group.pk))
        if why:
            flagged.append((group, why))
    # French order: « Les Éclaireurs » before « Les Tisserands » (the database's is bytewise).
    return sorted(flagged, key=lambda row: (sort_key(row[0].name), row[0].pk))


def repairs_compute(organisation: Organisation) -> list[RepairPlan]:
    """The active groups to repair (a member left since the last repair, fewer than three
    members, a hard constraint broken) with the repair the engine proposes. Reads only. The
    coordination's page reads them a page at a time through `peers.repair_board`."""
    board = board_load(organisation)
    return [_plan(board, group, why) for group, why in _to_repair(board, organisation)]


def meetings_to_cancel(group: PeerGroup):
    """The group's meetings still to come, which ending it cancels (soonest first)."""
    if group.series_id is None:
        return Occurrence.objects.none()
    return (
        Occurrence.objects.scheduled()
        .filter(series_id=group.series_id, start__gt=timezone.now())
        .order_by("start")
    )


def _end_series(group: PeerGroup) -> None:
    series = group.series
    if series is None or series.ended_at is not None:
        return
    organiser = _series_organiser(group)
    if organiser is not None:
        series_end(actor=organiser, series=series)
        return
    # Nobody may organise the series any more: its meetings to come stop all the same.
    meetings_to_cancel(group).update(status=Occurrence.Status.CANCELLED)
    MeetingSeries.objects.filter(pk=series.pk).update(ended_at=timezone.now())


def _end(group: PeerGroup, now: datetime) -> None:
    _end_series(group)
    group.status = PeerGroup.Status.ENDED
    group.ended_at = now
    group.version += 1
    group.save(update_fields=["status", "ended_at", "version"])


def _notify_ended(group: PeerGroup, users: list[User]) -> None:
    for user in users:
        if not user.is_active:
            continue
        content = ended_content(group=group, recipient=user)
        notification_create(
            recipient=user,
            channel=Channel.IN_APP,
            kind=PeerNotice.PEER_GROUP_CHANGED,
            idempotency_key=f"peers:ended:g{group.pk}:u{user.pk}",
            subject=content.subject,
            body=content.body,
            url=content.url,
        )


@transaction.atomic
def peer_group_repair(*, actor: User, group: PeerGroup, expected: str) -> RepairPlan:
    """Apply the repair proposed for `group` (ACTIVE), all or nothing: each person moved is
    LEFT in their old group (and out of its meetings) and PROPOSED in the new one (its
    meetings once they accept); a dissolved group ENDS with its meetings, those nobody could
    take are told. `expected` is the plan's signature the coordinator read: a plan that
    changed since is refused. Recorded on every group touched."""
    require_coordinator_of(actor, group.organisation)
    board = board_load(group.organisation, lock=True)
    stored = board.by_id().get(group.pk)
    if stored is None:
        raise ValidationError(_("Ce groupe n'est plus actif."), code="not_active")
    # This group's plan only (the others are not applied): the write lock is held meanwhile.
    last = _last_repairs(group.organisation, [stored.pk]).get(stored.pk)
    plan = _plan(board, stored, _why(board, stored, last))
    if plan.signature != expected:
        raise ValidationError(
            _(
                "Le réajustement proposé a changé depuis l'affichage de la page. Rien n'a été "
                "modifié : vérifiez la nouvelle proposition."
            ),
            code="changed",
        )
    by_id = board.by_id()
    now = timezone.now()
    touched = {stored.pk}
    members = {(m.group_id, m.user_id): m for g in board.groups for m in board.current(g)}
    for move in plan.moves:
        old = members[(move.from_group, move.user_id)]
        if move.to_group is None:
            continue  # waits, in the group that ends
        old.status = PeerGroupMember.Status.LEFT
        old.left_at = now
        old.save(update_fields=["status", "left_at"])
        _leave_series(by_id[move.from_group], old.user)
        new = _propose(by_id[move.to_group], old.user)
        _notify_newcomer(by_id[move.to_group], new, moved=True, key="moved")
        touched.update({move.from_group, move.to_group})
    if plan.dissolved:
        _end(stored, now)
        _notify_ended(stored, [board.users[m.user_id] for m in plan.moves if m.to_group is None])
    for pk in sorted(touched):
        audit_record(
            actor=actor,
            action=REPAIR_ACTION,
            target=by_id[pk],
            organisation=group.organisation,
            data={
                "repaired": pk == stored.pk,
                "moves": [[m.user_id, m.from_group, m.to_group] for m in plan.moves],
                "dissolved": plan.dissolved and pk == stored.pk,
            },
        )
    # "Groupe de pairs à réajuster" is done, for every coordinator (ADR 0024).
    resolve(stored, PeerNotice.PEER_REPAIR_PROPOSED)
    return plan


@transaction.atomic
def peer_group_end(*, actor: User, group: PeerGroup) -> PeerGroup:
    """ACTIVE → ENDED by the coordination: the meetings to come are cancelled (the series
    ends) and the current members are told. Their history stays."""
    require_coordinator_of(actor, group.organisation)
    group = PeerGroup.objects.select_for_update().get(pk=group.pk)
    if group.status != PeerGroup.Status.ACTIVE:
        raise ValidationError(_("Ce groupe n'est pas actif."), code="not_active")
    users = [
        m.user
        for m in PeerGroupMember.objects.filter(group=group, status__in=CURRENT).select_related(
            "user"
        )
    ]
    _end(group, timezone.now())
    _notify_ended(group, users)
    audit_record(
        actor=actor,
        action="peer_group_end",
        target=group,
        organisation=group.organisation,
        data={"members": len(users)},
    )
    resolve(group, PeerNotice.PEER_REPAIR_PROPOSED)
    return group
