"""The small-numbers rule: what a figure about people may show to the coordination.

The rule, in one sentence: **a figure about people is computed over the answers given up to
the arrival of the 5th, 10th, 15th… person (the last such mark reached) and withheld before
the 5th, and a part of a total is shown only when the part and the rest each count at least
5 people.**

Why marks of five rather than "at least 5 answers": a mean shown with its count lets anyone
subtract two readings of it. The isolation statistics showed 49.0 over 5 people one day and
50.5 over 6 the next: 6 × 50.5 − 5 × 49.0 is the sixth person's exact score. Computed up to
the last mark of five, two published figures of one measure are either the same or differ by
at least five people's answers, whatever moments or pages they are read on; a person who
answers again is counted with the next five newcomers, never alone.

It applies to every figure derived from what people answered, rated or declared (means,
rates, shares): `mean_of` and `ratio_of` for values, `part_of` for a part shown with its
total. One kind of figure cannot wait for newcomers: a rate the same few people feed week
after week (a peer group's kept commitments); `followed_rate` shows it only from 5 people and
to the nearest ten percent, so that it never says whose check-in moved it. Counts of the
organisation's own work that the coordination already sees by name (bilans by phase,
mentorships, groups, mentors' places) are management figures, not answers, and are not
concerned.

The functions are pure: callers pass the answers in the order they were given (oldest
first), each with who gave it."""

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

MIN_PEOPLE = 5
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
WITHHELD = gettext_lazy("Masqué : moins de 5 personnes, pour préserver l'anonymat")
# In a table cell or beside a label, where the page says WITHHELD's reason once.
MASKED = gettext_lazy("masqué")


@dataclass(frozen=True)
class Figure:
    """A value over `over` people (a multiple of MIN_PEOPLE), out of `count` people who
    answered in all; `value` is None (withheld) while `count` is below MIN_PEOPLE."""

    value: float | None
    over: int
    count: int

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def people(self) -> int:
        """The number of people behind what is shown: those the value covers, or all who
        answered when it is withheld."""
        return self.over if self.shown else self.count

    @property
    def text(self) -> str:
        if self.value is None:
            return str(WITHHELD)
        return number_format(round(self.value, 1), decimal_pos=1)

    @property
    def short(self) -> str:
        """The value, or « masqué » where the page gives the reason once (a table's cells)."""
        return self.text if self.shown else str(MASKED)


def _covered(answers: Iterable[tuple[Hashable, float]]) -> tuple[list[float], int, int]:
    """The values given up to (and with) the first answer of the last person whose arrival
    made the number of people a multiple of MIN_PEOPLE, that number of people, and how many
    people answered in all."""
    seen: set[Hashable] = set()
    values: list[float] = []
    covered: list[float] = []
    for person, value in answers:
        values.append(value)
        if person not in seen:
            seen.add(person)
            if len(seen) % MIN_PEOPLE == 0:
                covered = list(values)
        # A later answer of someone already counted waits for the next five newcomers.
    over = len(seen) - len(seen) % MIN_PEOPLE
    return covered, over, len(seen)


def mean_of(answers: Iterable[tuple[Hashable, float]]) -> Figure:
    """The mean of `answers` ((person, value) pairs, oldest first) under the rule above."""
    covered, over, count = _covered(answers)
    if over < MIN_PEOPLE:
        return Figure(value=None, over=0, count=count)
    return Figure(value=sum(covered) / len(covered), over=over, count=count)


def ratio_of(answers: Iterable[tuple[Hashable, float, float]]) -> Figure:
    """Σ part / Σ whole of `answers` ((person, part, whole) triples, oldest first), as a
    fraction (0–1), under the rule above: e.g. the commitments kept out of those checked."""
    answers = list(answers)
    parts, over, count = _covered((person, part) for person, part, _whole in answers)
    if over < MIN_PEOPLE:
        return Figure(value=None, over=0, count=count)
    wholes = [whole for _person, _part, whole in answers[: len(parts)]]
    total = sum(wholes)
    return Figure(value=sum(parts) / total if total else None, over=over, count=count)


def followed_rate(*, people: int, part: float, whole: float) -> int | None:
    """`part` out of `whole` as a percentage rounded to the nearest ten, or None when it may
    not be shown: fewer than MIN_PEOPLE people fed it, or there is nothing to count."""
    if people < MIN_PEOPLE or not whole:
        return None
    return 10 * math.floor(10 * part / whole + 0.5)


def count_of(people: int) -> int | None:
    """A number of people standing alone (not a part of a total shown beside it), or None
    when it counts fewer than MIN_PEOPLE people."""
    return people if people >= MIN_PEOPLE else None


def part_of(part: int, total: int) -> int | None:
    """`part` people out of `total`, or None when it may not be shown: the part, or the rest
    (which the reader gets by subtraction), counts fewer than MIN_PEOPLE people."""
    if part < MIN_PEOPLE or total - part < MIN_PEOPLE:
        return None
    return part


# --- Populations, breakdowns and distributions (the programme's outcomes, issue #17) ---------
# A page of figures about one population (people whose bilan ended in a period) reads them all
# over the same people: `marked`, the population up to its last mark of five, in the order
# people arrived. Then:
# - a breakdown of it into groups (with / without a mentor, terciles) is shown whole or not at
#   all (`breakdown_shown`): with the total shown, any one group hidden alone would be the
#   total minus the others;
# - a distribution of people into categories (improved, stable, worse) hides every count under
#   five and, when what is hidden adds up to fewer than five people, the next smallest counts
#   too, so that no hidden count is the total minus the shown ones (`counts_of`).
# - a view of one sequence (a period, a promotion) keeps the blocks of five, cut once along the
#   whole sequence, that lie wholly inside it (`whole_blocks`): two views then differ by whole
#   blocks, never by one person out and one in.


def marked(people: list[T]) -> list[T]:
    """`people` (one entry per person, in the order they arrived) up to the last mark of
    MIN_PEOPLE: empty under five people. Two populations read at different times are then the
    same or differ by at least five people."""
    return people[: len(people) - len(people) % MIN_PEOPLE]


def breakdown_shown(sizes: Iterable[int], *, apart: int = 0) -> bool:
    """Whether the groups of a breakdown of a population, of these `sizes`, may be shown: each
    counts at least MIN_PEOPLE people (a group may be empty only if it is not shown at all),
    and, when a total of that population is shown elsewhere, the groups together are its very
    people or `apart` from them by at least MIN_PEOPLE people (those in one and not the other):
    otherwise the total minus the groups would give one to four people back."""
    sizes = list(sizes)
    return bool(sizes) and all(size >= MIN_PEOPLE for size in sizes) and not 0 < apart < MIN_PEOPLE


def counts_of(counts: dict[K, int]) -> dict[K, int | None]:
    """The counts of a distribution of people into categories, None where one may not be shown:
    each under `part_of`'s rule (a count under MIN_PEOPLE, or whose rest counts under
    MIN_PEOPLE, is hidden), then, while what is hidden adds up to one to four people, the
    smallest count still shown too, so that no hidden count is the total minus the others."""
    total = sum(counts.values())
    shown: dict[K, int | None] = {key: part_of(count, total) for key, count in counts.items()}
    while True:
        hidden_total = sum(counts[key] for key, value in shown.items() if value is None)
        if hidden_total == 0 or hidden_total >= MIN_PEOPLE:
            break
        candidates = [key for key, value in shown.items() if value]
        if not candidates:
            break
        smallest = min(candidates, key=lambda key: counts[key])
        shown[smallest] = None
    return shown


def whole_blocks(people: list[T], within: Callable[[T], bool], *, offset: int = 0) -> list[T]:
    """The people of a view (a period, a promotion) of one sequence: `people` is the whole
    sequence of one measure (one entry per person, in the order their answers arrived, later
    arrivals only ever appended), cut once for all into blocks of MIN_PEOPLE; the view keeps
    the blocks whose people are all `within` it. Any two views, read at any time, are then
    unions of whole blocks: the same people, or at least five apart (`marked` on each view's
    own people lets two overlapping views differ by one person out and one in). `offset`:
    how many people of the sequence come before `people` (left out, being outside the view,
    but counted where the blocks are cut)."""
    kept: list[T] = []
    for index in range(-offset % MIN_PEOPLE, len(people) - MIN_PEOPLE + 1, MIN_PEOPLE):
        block = people[index : index + MIN_PEOPLE]
        if all(within(person) for person in block):
            kept.extend(block)
    return kept


def blocks_view(
    items: Iterable[T],
    *,
    sequence: Callable[[T], Hashable],
    order: Callable[[T], tuple],
    within: Callable[[T], bool],
    before: Callable[[T], bool] | None = None,
) -> list[T]:
    """`whole_blocks` for a figure read on several pages and by several filters: `items` is its
    whole history, each `sequence` (a promotion, no promotion being one too) ordered by `order`
    — an order that only ever grows at its end — and cut once into blocks of MIN_PEOPLE; a view
    keeps the blocks wholly `within` it. Every view of the figure (any period, any promotion,
    all of them, another page's) is then a union of the same blocks. Items `before` the view
    (coming, in `order`, before any item within it) are only counted, not sorted."""
    sequences: dict[Hashable, list[T]] = {}
    ahead: dict[Hashable, int] = {}
    for item in items:
        name = sequence(item)
        if before is not None and before(item):
            ahead[name] = ahead.get(name, 0) + 1
        else:
            sequences.setdefault(name, []).append(item)
    kept: list[T] = []
    for name in sorted(sequences, key=str):
        kept += whole_blocks(sorted(sequences[name], key=order), within, offset=ahead.get(name, 0))
    return kept
