"""Figures about a bilan that live in higher layers (the person's network), given to the
anonymous `OutcomeRecord` written before the bilan's documents are destroyed. `bilans` cannot
import those apps (ADR 0009): each registers its figure here from its `AppConfig.ready()`.

A figure may also give an `annotation`: an expression over the `Bilan` row (a subquery on
`OuterRef`), so that a batch of bilans has its figures read in one query (ADR 0030)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Expression

from tisser.bilans.models import Bilan

# Fields of `OutcomeRecord` a higher layer may fill.
FIGURES = ("network_start", "network_end")


@dataclass(frozen=True)
class Figure:
    compute: Callable[[Bilan], int | None]
    annotation: Callable[[], Expression] | None = None


_figures: dict[str, Figure] = {}


def register(
    name: str,
    compute: Callable[[Bilan], int | None],
    *,
    annotation: Callable[[], Expression] | None = None,
) -> None:
    if name not in FIGURES:
        raise ValueError(f"unknown outcome figure {name!r}")
    _figures[name] = Figure(compute=compute, annotation=annotation)


def figures_of(bilan: Bilan) -> dict[str, int | None]:
    return {name: figure.compute(bilan) for name, figure in _figures.items()}


def figures_of_many(bilans: Sequence[Bilan]) -> dict[int, dict[str, int | None]]:
    """The figures of each of `bilans`: one query for those with an annotation, the others
    bilan by bilan."""
    figures: dict[int, dict[str, int | None]] = {bilan.pk: {} for bilan in bilans}
    annotated = {name: f.annotation() for name, f in _figures.items() if f.annotation}
    if annotated and bilans:
        rows = (
            Bilan.objects.filter(pk__in=[bilan.pk for bilan in bilans])
            .annotate(**{f"figure_{name}": expression for name, expression in annotated.items()})
            .values("pk", *(f"figure_{name}" for name in annotated))
        )
        for row in rows:
            figures[row["pk"]] = {name: row[f"figure_{name}"] for name in annotated}
    for bilan in bilans:
        for name, figure in _figures.items():
            if name not in annotated:
                figures[bilan.pk][name] = figure.compute(bilan)
    return figures
