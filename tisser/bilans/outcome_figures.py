"""Figures about a bilan that live in higher layers (the person's network), given to the
anonymous `OutcomeRecord` written before the bilan's documents are destroyed. `bilans` cannot
import those apps (ADR 0009): each registers its figure here from its `AppConfig.ready()`.

A figure may also give `many(bilans)` (bilan id → figure), so that a batch of bilans has it
read in one query (ADR 0030)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tisser.bilans.models import Bilan

# Fields of `OutcomeRecord` a higher layer may fill.
FIGURES = ("network_start", "network_end")


@dataclass(frozen=True)
class Figure:
    compute: Callable[[Bilan], int | None]
    many: Callable[[Sequence[Bilan]], dict[int, int | None]] | None = None


_figures: dict[str, Figure] = {}


def register(
    name: str,
    compute: Callable[[Bilan], int | None],
    *,
    many: Callable[[Sequence[Bilan]], dict[int, int | None]] | None = None,
) -> None:
    if name not in FIGURES:
        raise ValueError(f"unknown outcome figure {name!r}")
    _figures[name] = Figure(compute=compute, many=many)


def figures_of(bilan: Bilan) -> dict[str, int | None]:
    return {name: figure.compute(bilan) for name, figure in _figures.items()}


def figures_of_many(bilans: Sequence[Bilan]) -> dict[int, dict[str, int | None]]:
    """The figures of each of `bilans`: one query per figure that gives `many`, the others
    bilan by bilan."""
    figures: dict[int, dict[str, int | None]] = {bilan.pk: {} for bilan in bilans}
    for name, figure in _figures.items():
        if figure.many is not None:
            values = figure.many(bilans)
            for bilan in bilans:
                figures[bilan.pk][name] = values[bilan.pk]
        else:
            for bilan in bilans:
                figures[bilan.pk][name] = figure.compute(bilan)
    return figures
