"""Figures about a bilan that live in higher layers (the person's network), given to the
anonymous `OutcomeRecord` written before the bilan's documents are destroyed. `bilans` cannot
import those apps (ADR 0009): each registers its figure here from its `AppConfig.ready()`."""

from collections.abc import Callable

from tisser.bilans.models import Bilan

# Fields of `OutcomeRecord` a higher layer may fill.
FIGURES = ("network_start", "network_end")

_figures: dict[str, Callable[[Bilan], int | None]] = {}


def register(name: str, compute: Callable[[Bilan], int | None]) -> None:
    if name not in FIGURES:
        raise ValueError(f"unknown outcome figure {name!r}")
    _figures[name] = compute


def figures_of(bilan: Bilan) -> dict[str, int | None]:
    return {name: compute(bilan) for name, compute in _figures.items()}
