"""Figures about a bilan that live in higher layers (the person's network, mentor, peer group),
given to the anonymous `OutcomeRecord` written before the bilan's documents are destroyed, and
to the programme's outcomes that read bilans not recorded yet the same way. `bilans` cannot
import those apps (ADR 0009): each registers its figures here from its `AppConfig.ready()`.

A registration gives `many(bilans)` (bilan id → {figure: value}) for one or several figures,
so that a batch of bilans has them read in a number of queries that does not depend on its size
(ADR 0030)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tisser.bilans.models import Bilan

# Fields of `OutcomeRecord` a higher layer may fill. A figure of a moment that has not come
# yet (3 months after an end that is a month old) is None.
FIGURES = (
    "network_start",
    "network_end",
    "network_plus_3_months",
    "network_plus_6_months",
    "interviews_end",
    "interviews_plus_3_months",
    "interviews_plus_6_months",
    "introductions_end",
    "introductions_plus_3_months",
    "introductions_plus_6_months",
    "had_mentor",
    "had_group",
    "promotion",
)

Value = int | bool | str | None
Many = Callable[[Sequence[Bilan]], dict[int, dict[str, Value]]]


@dataclass(frozen=True)
class Registration:
    names: tuple[str, ...]
    many: Many


_registered: list[Registration] = []


def register(names: Sequence[str], many: Many) -> None:
    """`many(bilans)` gives, for each of `bilans`, the value of each of `names`."""
    unknown = [name for name in names if name not in FIGURES]
    if unknown:
        raise ValueError(f"unknown outcome figures {unknown!r}")
    taken = {name for registration in _registered for name in registration.names}
    if taken & set(names):
        raise ValueError(f"outcome figures registered twice: {sorted(taken & set(names))!r}")
    _registered.append(Registration(tuple(names), many))


def figures_of(bilan: Bilan) -> dict[str, Value]:
    return figures_of_many([bilan])[bilan.pk]


def figures_of_many(bilans: Sequence[Bilan]) -> dict[int, dict[str, Value]]:
    """The figures of each of `bilans`: one call of each registration's `many`."""
    figures: dict[int, dict[str, Value]] = {bilan.pk: {} for bilan in bilans}
    if not bilans:
        return figures
    for registration in _registered:
        values = registration.many(bilans)
        for bilan in bilans:
            found = values[bilan.pk]
            for name in registration.names:
                figures[bilan.pk][name] = found[name]
    return figures


def figure_of_many(bilans: Sequence[Bilan], name: str) -> dict[int, Value]:
    """One figure of each of `bilans` (e.g. their promotion), through the one registration
    that gives it; None for each when nobody registered it."""
    for registration in _registered:
        if name in registration.names:
            values = registration.many(bilans) if bilans else {}
            return {bilan.pk: values[bilan.pk][name] for bilan in bilans}
    return dict.fromkeys((bilan.pk for bilan in bilans), None)
