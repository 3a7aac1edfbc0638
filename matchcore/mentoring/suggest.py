"""Suggestions for one mentee: the ``k`` most compatible mentors with room, explained."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .candidates import MentorIndex, exclusion_map, score_block, top_k
from .compatibility import top_factors
from .model import SCORE_SCALE, Contribution, Exclusion, MenteeNeeds, Weights

DEFAULT_SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    score: float
    top_factors: tuple[Contribution, ...]


def suggest_mentors(
    mentee: MenteeNeeds,
    index: MentorIndex,
    weights: Weights,
    k: int = DEFAULT_SUGGESTIONS,
    exclusions: Iterable[Exclusion] = (),
    room: np.ndarray | None = None,
) -> tuple[Suggestion, ...]:
    """The ``k`` best mentors meeting every hard constraint and having room (``room``,
    default the capacities), best first, ties to the earlier mentor in the index."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    scores = score_block([mentee], index, weights, exclusion_map(index, exclusions))
    has_room = (index.capacity if room is None else room) > 0
    best, best_scores = top_k(scores, k, has_room)
    return tuple(
        Suggestion(
            mentor_id=index.mentors[j].id,
            score=int(s) / SCORE_SCALE,
            top_factors=top_factors(mentee, index.mentors[j], weights),
        )
        for j, s in zip(best[0].tolist(), best_scores[0].tolist(), strict=True)
        if j >= 0
    )
