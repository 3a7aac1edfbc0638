"""What the two self-inventories of the bilan (interests, values) share: items answered on a
five-point scale, grouped by dimension, scored 0–100 per dimension, and shown in a fixed
interleaved order so that the items of one dimension never follow each other.

Pure functions and frozen dataclasses, no Django model: the questionnaires are data."""

from dataclasses import dataclass

from django.utils.functional import Promise

SCALE_MIN, SCALE_MAX = 1, 5


@dataclass(frozen=True)
class Item:
    """One statement, answered from 1 (not at all) to 5 (very much). `dimension` is the id of
    what it measures (a RIASEC letter, a value id)."""

    id: str
    dimension: str
    text: Promise


def check_answer(item_id: str, answer: int) -> int:
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise TypeError(f"{item_id}: {answer!r} is not an integer")
    if not SCALE_MIN <= answer <= SCALE_MAX:
        raise ValueError(f"{item_id}: {answer} is outside {SCALE_MIN}–{SCALE_MAX}")
    return answer


def percent(answers: list[int]) -> int:
    """The mean of `answers` on the 1–5 scale, as 0–100: all 1 → 0, all 5 → 100. Rounded half
    up, in integers, so that the same answers give the same score on every machine."""
    points = sum(answer - SCALE_MIN for answer in answers)
    most = len(answers) * (SCALE_MAX - SCALE_MIN)
    return (200 * points + most) // (2 * most)


def dimension_scores(
    items: tuple[Item, ...], dimension_ids: tuple[str, ...], answers: dict[str, int]
) -> dict[str, int]:
    """0–100 per dimension, in `dimension_ids` order: the mean of its items' answers.

    Precondition: `answers` holds every item id with an integer from 1 to 5 (the services
    check, with messages for the person); otherwise KeyError, TypeError or ValueError."""
    by_dimension: dict[str, list[int]] = {dimension: [] for dimension in dimension_ids}
    for item in items:
        by_dimension[item.dimension].append(check_answer(item.id, answers[item.id]))
    return {dimension: percent(values) for dimension, values in by_dimension.items()}


def interleave(
    items: tuple[Item, ...], block_orders: tuple[str, ...], separator: str = " "
) -> tuple[tuple[Item, ...], ...]:
    """The presentation blocks: block n takes the n-th item of each dimension, in the order
    `block_orders[n]` gives (dimension ids separated by `separator`)."""
    by_dimension: dict[str, list[Item]] = {}
    for item in items:
        by_dimension.setdefault(item.dimension, []).append(item)
    return tuple(
        tuple(by_dimension[dimension][n] for dimension in order.split(separator))
        for n, order in enumerate(block_orders)
    )


def ranked(scores: dict[str, int], order: tuple[str, ...]) -> list[tuple[str, int]]:
    """(dimension, score) from the highest score to the lowest; equal scores keep `order`."""
    return sorted(
        ((dimension, scores[dimension]) for dimension in order if dimension in scores),
        key=lambda pair: (-pair[1], order.index(pair[0])),
    )
