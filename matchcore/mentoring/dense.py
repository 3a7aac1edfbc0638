"""The exact reference: every pair scored, capacities expanded into columns, SciPy's
Hungarian solver (``linear_sum_assignment``). Quadratic memory: for tests and benches on
instances up to a few thousand mentees, never for a real round."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from .candidates import MentorIndex, exclusion_map, score_block
from .model import SCORE_SCALE, Exclusion, MenteeNeeds, Weights


def full_scores(
    mentees: Sequence[MenteeNeeds],
    index: MentorIndex,
    weights: Weights,
    exclusions: Iterable[Exclusion] = (),
) -> np.ndarray:
    """Every integer score, -1 for incompatible pairs, shape (mentees, mentors)."""
    if not mentees:
        return np.empty((0, len(index)), np.int32)
    return score_block(mentees, index, weights, exclusion_map(index, exclusions))


def dense_assignment(scores: np.ndarray, capacity: np.ndarray) -> tuple[int, int]:
    """(pairs matched, sum of integer scores) of the lexicographic optimum: most pairs, then
    best total, with each mentor's column repeated ``capacity`` times."""
    columns = np.repeat(np.arange(scores.shape[1]), capacity)
    if scores.shape[0] == 0 or len(columns) == 0:
        return 0, 0
    bonus = min(scores.shape[0], len(columns)) * SCORE_SCALE + 1
    expanded = scores[:, columns].astype(np.float64)
    value = np.where(expanded >= 0, bonus + expanded, 0.0)
    rows, cols = linear_sum_assignment(value, maximize=True)
    picked = expanded[rows, cols]
    kept = picked >= 0
    return int(kept.sum()), int(picked[kept].sum())
