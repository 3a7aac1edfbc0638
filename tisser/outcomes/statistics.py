"""Paired change and its 95 % confidence interval: the statistics of the programme's outcomes
(ADR 0032). Pure functions over plain numbers; who the numbers belong to, and whether a figure
may be shown, is the callers' business (`tisser.core.small_numbers`).

A paired change compares each person with themself: only people measured at both moments
count, and the change is the mean of their differences (after − before). Its 95 % confidence
interval is Student's: mean ± t(0.975, n − 1) × s / √n, s the differences' sample standard
deviation. With the scores used here (lower is better), a person **improved** when their score
fell by at least the measure's meaningful margin, **worsened** when it rose by that much, and
is **stable** otherwise."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from scipy.stats import t as student_t

CONFIDENCE = 0.95
T = TypeVar("T")


@dataclass(frozen=True)
class PairedChange:
    people: int
    before: float  # mean before
    after: float  # mean after
    change: float  # mean of (after − before)
    low: float | None  # the 95 % interval of `change`; None for a single person
    high: float | None
    improved: int
    stable: int
    worse: int


def paired_change(pairs: Sequence[tuple[float, float]], *, margin: float) -> PairedChange | None:
    """The paired change of `pairs` ((before, after) per person), lower being better, a person
    improving or worsening by at least `margin`; None when there is nobody."""
    n = len(pairs)
    if n == 0:
        return None
    differences = [after - before for before, after in pairs]
    change = sum(differences) / n
    low = high = None
    if n > 1:
        deviation = math.sqrt(sum((d - change) ** 2 for d in differences) / (n - 1))
        half = float(student_t.ppf((1 + CONFIDENCE) / 2, n - 1)) * deviation / math.sqrt(n)
        low, high = change - half, change + half
    return PairedChange(
        people=n,
        before=sum(before for before, _after in pairs) / n,
        after=sum(after for _before, after in pairs) / n,
        change=change,
        low=low,
        high=high,
        improved=sum(1 for d in differences if d <= -margin),
        stable=sum(1 for d in differences if -margin < d < margin),
        worse=sum(1 for d in differences if d >= margin),
    )


def terciles(items: Sequence[T], key: Callable[[T], float]) -> tuple[list[T], list[T], list[T]]:
    """`items` in three groups of (nearly) equal size by increasing `key`, ties kept in their
    given order: the lower, middle and upper thirds, whose sizes differ by one at most."""
    ordered = sorted(items, key=key)
    n = len(ordered)
    first, second = n // 3, n - (n - n // 3) // 2
    return ordered[:first], ordered[first:second], ordered[second:]
