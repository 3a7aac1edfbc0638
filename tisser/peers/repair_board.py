"""The coordination's lists of repairs and arrivals at network size (ADR 0030): the engine's
proposals kept in the shared cache, keyed by the state of the organisation's peer board.

Planning one repair runs the engine over every active group of the cohort (a member may come
from, or go to, any of them), so 25 plans cost seconds with 200 groups. The proposals depend
only on the organisation's groups, their members and their preferences (and on the language
and time zone they are written in): `board_state` reads that state in a few aggregate
queries whose result changes with any write that matters (a row added or removed, a status
moved, a version bumped, a profile saved, a repair recorded). A proposal is computed once for
a state and read from the cache until the state changes: it is never stale, it is the one
`peer_group_repair` / `peer_arrival_place` compute again under lock, and the first page read
after a change pays the engine for the rows it shows (as before). Reads only."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from tisser.accounts.models import Organisation
from tisser.core.models import AuditEvent
from tisser.peers.models import PeerGroup, PeerGroupMember, PeerProfile
from tisser.peers.services.membership import CURRENT
from tisser.peers.services.repairs import (
    CONFIG,
    REPAIR_ACTION,
    Placement,
    PlannedMove,
    RepairPlan,
    _plan,
    _to_repair,
    board_load,
    joint_placements,
    seekers,
)

# Changes when what a stored proposal says changes (its wording, the engine, the config).
LAYOUT = "2"
# Rows a page, on both lists.
PER_PAGE = 25
# A proposal is recomputed after an hour at most: a person renamed is named anew.
TIMEOUT = 60 * 60


def board_state(organisation: Organisation) -> str:
    """A digest of everything the proposals read, in four aggregate queries (constant)."""
    statuses = {
        f"members_{status}": Count("pk", filter=Q(status=status))
        for status in PeerGroupMember.Status.values
    }
    parts = [
        PeerGroup.objects.filter(organisation=organisation).aggregate(
            groups=Count("pk"),
            top=Max("pk"),
            versions=Sum("version"),
            active=Count("pk", filter=Q(status=PeerGroup.Status.ACTIVE)),
        ),
        PeerGroupMember.objects.filter(group__organisation=organisation).aggregate(
            members=Count("pk"),
            top=Max("pk"),
            left=Max("left_at"),
            accepted=Max("accepted_at"),
            **statuses,
        ),
        PeerProfile.objects.filter(organisation=organisation).aggregate(
            profiles=Count("pk"), top=Max("pk"), versions=Sum("version"), saved=Max("updated_at")
        ),
        AuditEvent.objects.filter(
            organisation=organisation,
            target_type=PeerGroup._meta.label_lower,
            action=REPAIR_ACTION,
        ).aggregate(repaired=Max("pk")),
    ]
    written = [LAYOUT, get_language() or "", timezone.get_current_timezone_name(), repr(parts)]
    return hashlib.sha256("|".join(written).encode()).hexdigest()[:32]


# -- repairs ------------------------------------------------------------------------------------


def _stored_plan(plan: RepairPlan) -> dict:
    return {
        "why": plan.why,
        "moves": [(m.user_id, m.from_group, m.to_group) for m in plan.moves],
        "dissolved": plan.dissolved,
        "sentences": plan.sentences,
        "waiting": plan.waiting,
    }


def repairs_page(
    organisation: Organisation, *, page: int | str | None, per_page: int
) -> tuple[Page, list[RepairPlan]]:
    """(the page of groups to repair, their plans), as `repairs_compute` gives them, in a
    constant number of queries whatever the number of groups."""
    state = board_state(organisation)
    prefix = f"peers:repairs:{organisation.pk}:{state}"
    board = None
    flagged = cache.get(prefix)
    if flagged is None:
        board = board_load(organisation)
        flagged = [(group.pk, why) for group, why in _to_repair(board, organisation)]
        cache.set(prefix, flagged, TIMEOUT)
    page_obj = Paginator(flagged, per_page).get_page(page)
    # One entry a page, not one a row: the cache is shared (login throttling lives there).
    key = f"{prefix}:page:{page_obj.number}"
    rows = cache.get(key)
    if rows is None:
        board = board or board_load(organisation)
        by_id = board.by_id()
        rows = [(pk, _stored_plan(_plan(board, by_id[pk], why))) for pk, why in page_obj]
        cache.set(key, rows, TIMEOUT)
    # Read even when the page is empty (0 is no group's key, and keeps the IN list from being
    # empty, which Django would not send): the page costs the same queries whatever the board
    # holds, as the inbox does (ADR 0030).
    groups = {
        group.pk: group
        for group in PeerGroup.objects.filter(
            organisation=organisation, pk__in=[0, *(pk for pk, _ in rows)]
        )
    }
    plans = [
        RepairPlan(
            group=groups[pk],
            why=row["why"],
            moves=[PlannedMove(*move) for move in row["moves"]],
            dissolved=row["dissolved"],
            sentences=row["sentences"],
            waiting=row["waiting"],
        )
        for pk, row in rows
    ]
    return page_obj, plans


def waiting_near(organisation: Organisation, plans: list[RepairPlan]) -> dict[int, int]:
    """For each group of `plans` that goes on with room, the people of its cohort waiting
    for a group (the Arrivées page), except those who left or declined it: in three queries
    whatever the number of groups."""
    groups = {plan.group.pk: plan.group for plan in plans if not plan.dissolved}
    if not groups:
        return {}
    current: dict[int, int] = dict.fromkeys(groups, 0)
    left: dict[int, set[int]] = {pk: set() for pk in groups}
    for group_id, user_id, status in PeerGroupMember.objects.filter(
        group_id__in=groups
    ).values_list("group_id", "user_id", "status"):
        if status in CURRENT:
            current[group_id] += 1
        elif status == PeerGroupMember.Status.LEFT:
            left[group_id].add(user_id)
    cohorts = {group.cohort for group in groups.values()}
    waiting: dict[str, set[int]] = {cohort: set() for cohort in cohorts}
    for user_id, cohort in (
        seekers(organisation).filter(cohort__in=cohorts).values_list("user_id", "cohort")
    ):
        waiting[cohort].add(user_id)
    return {
        pk: len(waiting[group.cohort] - left[pk])
        for pk, group in groups.items()
        if current[pk] < CONFIG.max_size and waiting[group.cohort] - left[pk]
    }


# -- arrivals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _StoredPlacement:
    group_id: int | None
    explanation: list[str]
    reason: str
    taken: tuple[int, ...] = ()


def arrivals_page(
    organisation: Organisation, profiles: list[PeerProfile]
) -> list[tuple[Placement, tuple[int, ...]]]:
    """The placement of each of `profiles` (a page of `seekers`), as `arrivals_compute`
    gives it (places counted jointly), with the groups the people above filled (`taken`,
    for `peer_arrival_place`), in a constant number of queries whatever the number of
    groups."""
    state = board_state(organisation)
    shown = "|".join(f"{p.pk}:{p.version}:{p.updated_at.isoformat()}" for p in profiles)
    key = (
        f"peers:arrivals:{organisation.pk}:{state}:"
        f"{hashlib.sha256(shown.encode()).hexdigest()[:32]}"
    )
    rows = cache.get(key)
    if rows is None:
        board = board_load(organisation)
        rows = [
            _StoredPlacement(
                group_id=placement.group.pk if placement.group else None,
                explanation=placement.explanation,
                reason=placement.reason,
                taken=taken,
            )
            for placement, taken in joint_placements(board, profiles)
        ]
        cache.set(key, rows, TIMEOUT)
    groups = PeerGroup.objects.in_bulk([row.group_id for row in rows if row.group_id])
    return [
        (
            Placement(
                profile=profile,
                group=groups[row.group_id] if row.group_id else None,
                explanation=row.explanation,
                reason=row.reason,
            ),
            row.taken,
        )
        for profile, row in zip(profiles, rows, strict=True)
    ]
