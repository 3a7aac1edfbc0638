"""Inputs and outputs of the mentoring engine: frozen dataclasses and enums only."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import IntFlag, StrEnum

# Integer resolution of a compatibility score: scores in [0, 1] become integers in
# [0, SCORE_SCALE] before the exact solver sees them (see assignment.py).
SCORE_SCALE = 10_000


class Mode(IntFlag):
    """How a pair may meet; a person may accept both."""

    REMOTE = 1
    IN_PERSON = 2
    EITHER = REMOTE | IN_PERSON


class HelpKind(StrEnum):
    """What a mentee wants help with / what a mentor offers."""

    NETWORK = "network"
    CV = "cv"
    INTERVIEWS = "interviews"
    JOB_DISCOVERY = "job_discovery"
    CAREER_CHANGE = "career_change"
    ENTREPRENEURSHIP = "entrepreneurship"
    CONFIDENCE = "confidence"
    TRAINING = "training"


HELP_ORDER: tuple[HelpKind, ...] = tuple(HelpKind)
HELP_BIT = {kind: 1 << position for position, kind in enumerate(HELP_ORDER)}


class Factor(StrEnum):
    """The signals of a compatibility score, in the order of :class:`Weights`."""

    FICHE = "fiche"
    SKILLS = "skills"
    HELP = "help"
    AVAILABILITY = "availability"
    MODE_PLACE = "mode_place"
    LANGUAGE = "language"


FACTOR_ORDER: tuple[Factor, ...] = tuple(Factor)


class ExclusionReason(StrEnum):
    SAME_EMPLOYER = "same_employer"
    REPORTING_LINE = "reporting_line"
    DECLARED_CONFLICT = "declared_conflict"
    PREVIOUS_MENTORSHIP = "previous_mentorship"


class Incompatibility(StrEnum):
    """Why a pair breaks a hard constraint (capacity is checked by the round, not the pair)."""

    EXCLUDED = "excluded"
    SAME_EMPLOYER = "same_employer"
    NO_COMMON_LANGUAGE = "no_common_language"
    MODE_MISMATCH = "mode_mismatch"


class UnmatchedReason(StrEnum):
    NO_COMPATIBLE_MENTOR = "no_compatible_mentor"
    CAPACITY_EXHAUSTED = "capacity_exhausted"


# Availability: 7 days × 3 slots (morning, afternoon, evening) = bits 0..20.
AVAILABILITY_SLOTS = 21


@dataclass(frozen=True)
class MenteeNeeds:
    """A mentee as the engine sees them.

    ``target_fiche`` is a ROME code (``"M1805"``): its first three characters are the domaine
    professionnel, its first letter the grand domaine; ``mobility_fiches`` are the fiches the
    référentiel links to the target by a mobility (the adapter reads them). ``skill_gap`` are
    the OGR codes the mentee lacks for the target; ``availability`` a bitset of
    :data:`AVAILABILITY_SLOTS` weekly slots; ``languages`` ISO codes, the first preferred;
    ``place`` a département (or any place code) for in-person meetings.
    """

    id: int
    target_fiche: str
    languages: tuple[str, ...]
    mobility_fiches: frozenset[str] = frozenset()
    skill_gap: frozenset[int] = frozenset()
    help_wanted: frozenset[HelpKind] = frozenset()
    availability: int = 0
    mode: Mode = Mode.EITHER
    place: str = ""
    employer: str | None = None

    def __post_init__(self) -> None:
        _check_common(self.id, self.languages, self.availability, self.mode)
        object.__setattr__(self, "help_wanted", frozenset(map(HelpKind, self.help_wanted)))


@dataclass(frozen=True)
class MentorOffer:
    """A mentor: the fiches they hold or held, the compétences they can pass on (OGR codes),
    the help they offer, and ``capacity``, how many mentees they take this round (>= 0)."""

    id: int
    fiches: tuple[str, ...]
    languages: tuple[str, ...]
    capacity: int
    transmissible_skills: frozenset[int] = frozenset()
    help_offered: frozenset[HelpKind] = frozenset()
    availability: int = 0
    mode: Mode = Mode.EITHER
    place: str = ""
    employer: str | None = None

    def __post_init__(self) -> None:
        _check_common(self.id, self.languages, self.availability, self.mode)
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int):
            raise TypeError(f"mentor {self.id}: capacity must be an int, got {self.capacity!r}")
        if self.capacity < 0:
            raise ValueError(f"mentor {self.id}: capacity must be >= 0, got {self.capacity}")
        object.__setattr__(self, "help_offered", frozenset(map(HelpKind, self.help_offered)))


def _check_common(person_id: int, languages: tuple[str, ...], availability: int, mode) -> None:
    if not languages:
        raise ValueError(f"person {person_id}: at least one language is needed")
    if not 0 <= availability < (1 << AVAILABILITY_SLOTS):
        raise ValueError(f"person {person_id}: availability must fit {AVAILABILITY_SLOTS} bits")
    if not Mode(mode):
        raise ValueError(f"person {person_id}: a mode (remote and/or in person) is needed")


@dataclass(frozen=True)
class Exclusion:
    """A pair that must never be matched (reporting line, declared conflict, a mentorship
    that already ended...). Same employer is also detected from ``employer`` fields."""

    mentee_id: int
    mentor_id: int
    reason: ExclusionReason


@dataclass(frozen=True)
class Weights:
    """Relative weights of the six factors; a score is their weighted mean, in [0, 1].

    Defaults: the target métier and what the mentor can pass on matter most; help, slots and
    meeting logistics refine; language is mostly a hard constraint already.
    """

    fiche: float = 0.30
    skills: float = 0.25
    help: float = 0.20
    availability: float = 0.10
    mode_place: float = 0.10
    language: float = 0.05

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

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, factor.value)) for factor in FACTOR_ORDER)

    def total(self) -> float:
        return sum(float(getattr(self, item.name)) for item in fields(self))

    def normalised(self) -> tuple[float, ...]:
        total = self.total()
        return tuple(value / total for value in self.as_tuple())


@dataclass(frozen=True)
class Contribution:
    """One factor of a pair's score: its value in [0, 1] and its share of the score."""

    factor: Factor
    value: float
    contribution: float


@dataclass(frozen=True)
class Match:
    mentee_id: int
    mentor_id: int
    score: float
    top_factors: tuple[Contribution, ...]


@dataclass(frozen=True)
class Unmatched:
    mentee_id: int
    reason: UnmatchedReason


@dataclass(frozen=True)
class RoundResult:
    """A matching round: pairs sorted by mentee id, unmatched mentees with their reason.
    ``objective`` is the sum of the integer-scaled scores of the pairs (see assignment.py).

    ``pruned``: the instance was too large to solve whole and each mentee kept only its best
    candidates. Then the optimum over every pair matches at most ``more_pairs_at_most`` more
    mentees and, when that is 0, has an objective at most ``more_objective_at_most`` higher
    (with more pairs, it is the bound on ``BONUS × pairs + objective`` minus the round's);
    both are None when not computed. Not pruned, both are 0: the round is the optimum."""

    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    objective: int
    candidate_arcs: int = 0
    pruned: bool = False
    more_pairs_at_most: int | None = 0
    more_objective_at_most: int | None = 0
    stats: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def exact(self) -> bool:
        """The round is the optimum over every pair: solved whole, or proven by its bound."""
        return self.more_pairs_at_most == 0 and self.more_objective_at_most == 0
