"""Inputs and outputs of the peer-group engine: frozen dataclasses and enums only."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import IntEnum, IntFlag, StrEnum

# Availability: 7 days × 24 one-hour slots; bit ``day * 24 + hour`` (Monday = day 0). One-hour
# resolution is what makes "a common weekly slot of at least 1 h" checkable exactly; coarser
# morning/afternoon/evening slots (as in mentoring) would accept two people free at 9 h and 11 h.
HOURS_PER_DAY = 24
AVAILABILITY_SLOTS = 7 * HOURS_PER_DAY
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def slot(day: int, hour: int) -> int:
    """The bit position of one weekly hour (day 0 = Monday)."""
    if not (0 <= day < 7 and 0 <= hour < HOURS_PER_DAY):
        raise ValueError(f"no weekly slot for day {day}, hour {hour}")
    return day * HOURS_PER_DAY + hour


def hours(day: int, start: int, end: int) -> int:
    """The bitset of the hours ``start..end-1`` of one day."""
    return sum(1 << slot(day, hour) for hour in range(start, end))


def slot_label(position: int) -> tuple[str, int]:
    """``(day, hour)`` of a bit position, e.g. ``("tue", 18)``."""
    return DAYS[position // HOURS_PER_DAY], position % HOURS_PER_DAY


class Stage(IntEnum):
    """Where a participant stands in their project, ordered."""

    EXPLORING = 0
    PROJECT_DEFINED = 1
    IN_TRAINING = 2
    LAUNCHING = 3


class ProjectType(StrEnum):
    RECONVERSION = "reconversion"
    TRAINING = "training"
    CREATION = "creation"
    INTERNAL = "internal"


class Rhythm(StrEnum):
    """How often a participant wants to commit to their peers."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Mode(IntFlag):
    """How a participant accepts to meet; a group meets by video or in person."""

    VIDEO = 1
    IN_PERSON = 2
    EITHER = VIDEO | IN_PERSON


class Factor(StrEnum):
    """The soft criteria of a group's score, in the order of :class:`Weights`."""

    STAGE = "stage"
    RHYTHM = "rhythm"
    DIRECTION = "direction"
    SECTORS = "sectors"


FACTOR_ORDER: tuple[Factor, ...] = tuple(Factor)


class UnplacedReason(StrEnum):
    """Why a participant is in no group, from the most to the least structural cause."""

    COHORT_TOO_SMALL = "cohort_too_small"
    NO_COMMON_LANGUAGE = "no_common_language"
    NO_COMPATIBLE_MODE = "no_compatible_mode"
    NO_COMMON_SLOT = "no_common_slot"
    ATTRIBUTE_ISOLATED = "attribute_isolated"
    NO_ROOM = "no_room"


class Violation(StrEnum):
    """A hard constraint a group breaks (see :func:`matchcore.peers.rules.violations`)."""

    SIZE = "size"
    COHORT = "cohort"
    NO_COMMON_SLOT = "no_common_slot"
    NO_COMMON_LANGUAGE = "no_common_language"
    MODE = "mode"
    ISOLATED_ATTRIBUTE = "isolated_attribute"


@dataclass(frozen=True)
class Participant:
    """A person to place in a peer group.

    ``availability`` is a bitset of :data:`AVAILABILITY_SLOTS` weekly hours (see :func:`slot`);
    ``sectors`` are sector codes (ROME grands domaines, say); ``place`` a département, used when
    the group meets in person; ``languages`` ISO codes; ``attribute`` an optional self-declared
    trait and ``avoid_isolation`` the wish not to be its only holder in the group; participants
    of different ``cohort`` values (``None`` is one value) are never grouped together.
    """

    id: int
    availability: int
    languages: tuple[str, ...]
    stage: Stage = Stage.EXPLORING
    project_type: ProjectType = ProjectType.RECONVERSION
    sectors: frozenset[str] = frozenset()
    rhythm: Rhythm = Rhythm.MONTHLY
    mode: Mode = Mode.EITHER
    place: str = ""
    attribute: str | None = None
    avoid_isolation: bool = False
    cohort: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.id, bool) or not isinstance(self.id, int):
            raise TypeError(f"participant id must be an int, got {self.id!r}")
        if not self.languages:
            raise ValueError(f"participant {self.id}: at least one language is needed")
        if not 0 <= self.availability < (1 << AVAILABILITY_SLOTS):
            raise ValueError(
                f"participant {self.id}: availability must fit {AVAILABILITY_SLOTS} bits"
            )
        if not Mode(self.mode):
            raise ValueError(f"participant {self.id}: a mode (video and/or in person) is needed")
        if Mode(self.mode) is Mode.IN_PERSON and not self.place:
            raise ValueError(f"participant {self.id}: meeting in person needs a place")
        if self.avoid_isolation and not self.attribute:
            raise ValueError(f"participant {self.id}: avoid_isolation needs an attribute")
        object.__setattr__(self, "stage", Stage(self.stage))
        object.__setattr__(self, "project_type", ProjectType(self.project_type))
        object.__setattr__(self, "rhythm", Rhythm(self.rhythm))
        object.__setattr__(self, "mode", Mode(self.mode))
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "sectors", frozenset(self.sectors))


@dataclass(frozen=True)
class Weights:
    """Relative weights of the soft criteria; a group's score is their weighted mean in [0, 1].

    Defaults: a similar stage and a shared direction make the "common dynamic"; the same rhythm
    of commitments matters for accountability; diverse sectors bring other perspectives.
    """

    stage: float = 0.35
    rhythm: float = 0.20
    direction: float = 0.25
    sectors: float = 0.20

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"weight {item.name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"weight {item.name} must be finite, got {value!r}")
            if value < 0:
                raise ValueError(f"weight {item.name} must be >= 0, got {value!r}")
        if self.total() <= 0:
            raise ValueError("at least one weight must be positive")

    def total(self) -> float:
        return sum(float(getattr(self, item.name)) for item in fields(self))

    def normalised(self) -> tuple[float, ...]:
        total = self.total()
        return tuple(float(getattr(self, factor.value)) / total for factor in FACTOR_ORDER)


@dataclass(frozen=True)
class Config:
    """Group sizes, weights and the search budget (in passes, not seconds, so that a seed
    always gives the same groups). ``block_size`` caps the participants one local search sees;
    ``workers`` processes solve blocks in parallel (the result does not depend on it). A chunk
    of at most ``exact_up_to`` people is also solved exactly with CP-SAT, within
    ``exact_time_limit`` units of CP-SAT's deterministic time (about seconds, but the same
    for a seed on any machine); the heuristic's answer is kept when CP-SAT finds no better.
    All the small chunks of one population share ``exact_total_limit`` units (each gets at
    most ``exact_time_limit``), so that a population of many small cohorts stays fast.
    A whole cohort that small — the usual case of one organisme's programme — gets the larger
    ``exact_time_limit_alone`` budget: a few seconds that close the gap to the optimum."""

    min_size: int = 3
    max_size: int = 5
    target_size: int = 4
    weights: Weights = field(default_factory=Weights)
    seed: int = 0
    search_passes: int = 40
    block_size: int = 200
    workers: int = 2
    exact_up_to: int = 30
    exact_time_limit: float = 4.0
    exact_total_limit: float = 40.0
    exact_time_limit_alone: float = 40.0

    def __post_init__(self) -> None:
        for name in ("min_size", "max_size", "target_size", "seed", "search_passes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int, got {value!r}")
        if not 2 <= self.min_size <= self.target_size <= self.max_size:
            raise ValueError(
                "sizes must satisfy 2 <= min_size <= target_size <= max_size, got "
                f"{self.min_size}, {self.target_size}, {self.max_size}"
            )
        if self.search_passes < 0 or self.block_size < 2 * self.max_size or self.workers < 1:
            raise ValueError("search_passes >= 0, block_size >= 2 × max_size, workers >= 1")
        if isinstance(self.exact_up_to, bool) or not isinstance(self.exact_up_to, int):
            raise TypeError(f"exact_up_to must be an int, got {self.exact_up_to!r}")
        if not 0 <= self.exact_up_to <= 30:
            raise ValueError("exact_up_to must be within [0, 30] (0: never solve exactly)")
        for name in ("exact_time_limit", "exact_total_limit", "exact_time_limit_alone"):
            limit = getattr(self, name)
            if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit >= 0:
                raise ValueError(f"{name} must be a number >= 0, got {limit!r}")
        if not isinstance(self.weights, Weights):
            raise TypeError("weights must be a Weights")


@dataclass(frozen=True)
class Contribution:
    """One soft criterion of a group: its value in [0, 1] and its share of the score."""

    factor: Factor
    value: float
    contribution: float


@dataclass(frozen=True)
class Group:
    """A peer group: members (ids, sorted), its score in [0, 1] and why it holds together —
    the weekly hours all members share, how and in which language it meets, and its soft
    criteria from the largest contribution down. ``key`` is stable across repairs."""

    key: int
    members: tuple[int, ...]
    score: float
    common_slots: int
    mode: Mode
    place: str
    language: str
    cohort: str | None
    factors: tuple[Contribution, ...] = ()
    shared_stage: Stage | None = None
    shared_direction: ProjectType | None = None
    shared_rhythm: Rhythm | None = None


@dataclass(frozen=True)
class Unplaced:
    participant_id: int
    reason: UnplacedReason


@dataclass(frozen=True)
class Formation:
    """Groups sorted by key, unplaced participants sorted by id with their reason."""

    groups: tuple[Group, ...]
    unplaced: tuple[Unplaced, ...]
    worst_score: float
    mean_score: float
    stats: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Move:
    """One participant changing group in a repair; ``None`` is outside any group."""

    participant_id: int
    from_group: int | None
    to_group: int | None


@dataclass(frozen=True)
class Repair:
    """The groups after a repair (untouched ones unchanged), the moves that got there and the
    participants still waiting for a group (arrivals without a place, members of a dissolved
    group nobody could take)."""

    groups: tuple[Group, ...]
    moves: tuple[Move, ...]
    waiting: tuple[Unplaced, ...]
