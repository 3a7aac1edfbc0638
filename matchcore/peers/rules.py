"""The hard constraints and the score of one group.

A group's score is the mean, over its pairs of members, of a pair score: the weighted mean of
stage similarity (``1 - |Δstage| / 3``), same rhythm (0/1), same direction — project type —
(0/1) and sector diversity (``1 - Jaccard`` of the sector sets, 0.5 when both are empty). The
pair form keeps the score in [0, 1], lets the search update it in O(1) per move, and lets the
exact solver write it linearly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from .model import (
    AVAILABILITY_SLOTS,
    FACTOR_ORDER,
    Config,
    Contribution,
    Group,
    Mode,
    Participant,
    Violation,
    Weights,
)

STAGE_SPAN = 3.0
UNKNOWN_SECTORS = 0.5


def common_slots(people: Sequence[Participant]) -> int:
    common = (1 << AVAILABILITY_SLOTS) - 1
    for person in people:
        common &= person.availability
    return common


def common_languages(people: Sequence[Participant]) -> set[str]:
    languages = set(people[0].languages) if people else set()
    for person in people[1:]:
        languages &= set(person.languages)
    return languages


def meeting(people: Sequence[Participant]) -> tuple[Mode, str] | None:
    """How the group can meet: in person when all accept it in one place (preferred: it
    weaves stronger ties), else by video when all accept video; ``None`` when neither."""
    places = {p.place for p in people}
    if all(Mode.IN_PERSON in p.mode for p in people) and len(places) == 1 and all(places):
        return Mode.IN_PERSON, people[0].place
    if all(Mode.VIDEO in p.mode for p in people):
        return Mode.VIDEO, ""
    return None


def isolated(people: Sequence[Participant]) -> list[Participant]:
    """Members who asked not to be the only holder of their attribute and are."""
    holders = Counter(p.attribute for p in people if p.attribute)
    return [p for p in people if p.avoid_isolation and p.attribute and holders[p.attribute] < 2]


def violations(people: Sequence[Participant], config: Config) -> list[Violation]:
    """Every hard constraint the group of ``people`` breaks (empty when it is valid)."""
    found = []
    if not config.min_size <= len(people) <= config.max_size:
        found.append(Violation.SIZE)
    if not people:
        return found
    if len({p.cohort for p in people}) > 1:
        found.append(Violation.COHORT)
    if not common_slots(people):
        found.append(Violation.NO_COMMON_SLOT)
    if not common_languages(people):
        found.append(Violation.NO_COMMON_LANGUAGE)
    if meeting(people) is None:
        found.append(Violation.MODE)
    if isolated(people):
        found.append(Violation.ISOLATED_ATTRIBUTE)
    return found


def pair_factors(people: Sequence[Participant]) -> np.ndarray:
    """``(4, n, n)`` values in [0, 1] of each soft criterion for every pair, in FACTOR_ORDER."""
    stage = np.array([int(p.stage) for p in people], dtype=np.float64)
    rhythm = np.array([p.rhythm.value for p in people])
    direction = np.array([p.project_type.value for p in people])
    vocabulary = sorted({code for p in people for code in p.sectors})
    column = {code: j for j, code in enumerate(vocabulary)}
    sectors = np.zeros((len(people), len(vocabulary)), dtype=np.float64)
    for i, person in enumerate(people):
        for code in person.sectors:
            sectors[i, column[code]] = 1.0
    shared = sectors @ sectors.T
    sizes = sectors.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        diversity = np.where(union > 0, 1.0 - shared / union, UNKNOWN_SECTORS)
    return np.stack(
        [
            1.0 - np.abs(stage[:, None] - stage[None, :]) / STAGE_SPAN,
            (rhythm[:, None] == rhythm[None, :]).astype(np.float64),
            (direction[:, None] == direction[None, :]).astype(np.float64),
            diversity,
        ]
    )


def pair_scores(people: Sequence[Participant], weights: Weights) -> np.ndarray:
    """``(n, n)`` pair scores in [0, 1] (the diagonal is meaningless)."""
    factors = pair_factors(people)
    return np.tensordot(np.array(weights.normalised()), factors, axes=1)


def group_factors(people: Sequence[Participant]) -> np.ndarray:
    """Mean over the group's pairs of each soft criterion, in FACTOR_ORDER."""
    n = len(people)
    if n < 2:
        return np.zeros(len(FACTOR_ORDER))
    factors = pair_factors(people)
    upper = np.triu_indices(n, 1)
    return factors[:, upper[0], upper[1]].mean(axis=1)


def group_score(people: Sequence[Participant], weights: Weights) -> float:
    return float(np.dot(weights.normalised(), group_factors(people)))


def describe(key: int, people: Sequence[Participant], weights: Weights) -> Group:
    """The :class:`Group` of ``people`` with its explanation (preconditions: a valid group)."""
    values = group_factors(people)
    shares = np.array(weights.normalised()) * values
    factors = tuple(
        sorted(
            (
                Contribution(factor, round(float(value), 4), round(float(share), 4))
                for factor, value, share in zip(FACTOR_ORDER, values, shares, strict=True)
            ),
            key=lambda item: -item.contribution,
        )
    )
    how = meeting(people) or (Mode.VIDEO, "")
    languages = common_languages(people)
    # The language most members list first, then alphabetical: a stable, sensible choice.
    firsts = Counter(p.languages[0] for p in people)
    language = min(languages, key=lambda code: (-firsts[code], code)) if languages else ""
    return Group(
        key=key,
        members=tuple(sorted(p.id for p in people)),
        score=round(float(shares.sum()), 6),
        common_slots=common_slots(people),
        mode=how[0],
        place=how[1],
        language=language,
        cohort=people[0].cohort if people else None,
        factors=factors,
        shared_stage=_shared(p.stage for p in people),
        shared_direction=_shared(p.project_type for p in people),
        shared_rhythm=_shared(p.rhythm for p in people),
    )


def _shared(values):
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None
