"""What people keep of the compétences suggested for their réussites (ADR 0040), for the
coordination: per rank of the suggestion (the 1st, the 2nd…), how many first decisions were
made from one day to another (both included) and the share of them kept (« La garder »), and
over all ranks.

The figures read `bilans.SuggestionDecision` only: no text, no label, no bilan; its
`contributor` (a keyed hash per bilan) counts the people behind each figure. Under the
small-numbers rule (`tisser.core.small_numbers`, ADR 0013) a row is shown only when its
decisions come from at least 5 people (`count_of`), and no hidden row can be read back as the
total minus the others: the ranks from the first one under five people are grouped into one
row (« 3e suggestion et les suivantes »); when even that row counts fewer than five people,
the rank before it joins it. The rows shown then always add up to the total shown.

Everything comes from one aggregate query, whatever the number of decisions."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.bilans.models import SuggestionDecision
from tisser.bilans.suggestions import SUGGESTION_LIMIT
from tisser.core.french import ordinal
from tisser.core.small_numbers import count_of
from tisser.outcomes.tables import Cell, Row, Table

PERCENT = "\u00a0%"
DECISION_NOTE = gettext_lazy(
    "Une décision : la première réponse d'une personne à une suggestion, la garder ou "
    "l'écarter ; un changement d'avis ensuite n'est pas compté."
)
GROUPED_NOTE = gettext_lazy(
    "Les rangs suivis par moins de 5 personnes sont regroupés avec les suivants, pour "
    "préserver l'anonymat : aucun chiffre masqué ne se retrouve par soustraction."
)


@dataclass(frozen=True)
class Figures:
    decisions: int
    kept: int
    people: int


def _figures(rows: dict, prefix: str) -> Figures:
    return Figures(rows[f"{prefix}_decisions"], rows[f"{prefix}_kept"], rows[f"{prefix}_people"])


def decision_figures(
    organisation, first_day: date, last_day: date
) -> tuple[dict[int, Figures], dict[int, Figures]]:
    """For each rank 1..SUGGESTION_LIMIT (the last one taking any rank beyond it): the
    decisions at that rank, and those from that rank on (rank 1 on: all of them), made from
    `first_day` to `last_day` included. One query."""
    aggregates = {}
    for rank in range(1, SUGGESTION_LIMIT + 1):
        at = Q(rank=rank) if rank < SUGGESTION_LIMIT else Q(rank__gte=rank)
        for prefix, where in ((f"at{rank}", at), (f"from{rank}", Q(rank__gte=rank))):
            aggregates[f"{prefix}_decisions"] = Count("id", filter=where)
            aggregates[f"{prefix}_kept"] = Count("id", filter=where & Q(accepted=True))
            aggregates[f"{prefix}_people"] = Count("contributor", filter=where, distinct=True)
    rows = SuggestionDecision.objects.filter(
        organisation=organisation, decided_on__gte=first_day, decided_on__lte=last_day
    ).aggregate(**aggregates)
    ranks = range(1, SUGGESTION_LIMIT + 1)
    return (
        {rank: _figures(rows, f"at{rank}") for rank in ranks},
        {rank: _figures(rows, f"from{rank}") for rank in ranks},
    )


def _shown(figures: Figures) -> bool:
    return count_of(figures.people) is not None


def _cells(figures: Figures) -> tuple[Cell, Cell]:
    if not _shown(figures):
        return (Cell.withheld(), Cell.withheld())
    return (
        Cell.number(figures.decisions),
        Cell.number(100 * figures.kept / figures.decisions, unit=PERCENT),
    )


def _rank_label(rank: int, *, and_after: bool = False) -> str:
    number = ordinal(rank, feminine=True)
    if and_after:
        return _("%(ordinal)s suggestion et les suivantes") % {"ordinal": number}
    return _("%(ordinal)s suggestion") % {"ordinal": number}


def grouped_ranks(at: dict[int, Figures], since: dict[int, Figures]) -> tuple[list[int], int]:
    """The ranks shown one by one, and the rank from which the others are grouped into one row
    (0: none). Every row then counts at least 5 people, or there is no row at all."""
    present = [rank for rank, figures in at.items() if figures.decisions]
    if not present:
        return [], 0
    top = max(present)
    first_hidden = next((rank for rank in range(1, top + 1) if not _shown(at[rank])), None)
    if first_hidden is None:
        return list(range(1, top + 1)), 0
    start = first_hidden
    if not _shown(since[start]) and start > 1:
        # The group alone would count one to four people: the rank before it joins it.
        start -= 1
    if start == 1:
        return [], 1 if _shown(since[1]) else 0
    return list(range(1, start)), start


def acceptance_table(organisation, first_day: date, last_day: date) -> Table:
    """The table of the page and of its CSV."""
    at, since = decision_figures(organisation, first_day, last_day)
    alone, grouped_from = grouped_ranks(at, since)
    rows = [Row(_rank_label(rank), _cells(at[rank])) for rank in alone]
    notes = [str(DECISION_NOTE)]
    if grouped_from:
        top = max(rank for rank, figures in at.items() if figures.decisions)
        if alone:
            rows.append(
                Row(
                    _rank_label(grouped_from, and_after=grouped_from < top),
                    _cells(since[grouped_from]),
                )
            )
        notes.append(str(GROUPED_NOTE))
    total = since[1]
    if total.decisions:
        rows.append(Row(_("Toutes les suggestions"), _cells(total)))
    return Table(
        key="suggestions",
        title=_("Suggestions gardées, selon leur rang"),
        label_column=_("Rang de la suggestion"),
        columns=(_("Décisions"), _("Part gardée")),
        rows=tuple(rows),
        notes=tuple(notes),
    )
