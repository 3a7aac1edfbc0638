"""The closed loop, for the coordination: does isolation fall as the network grows? Figures over
the people whose bilan ended in a period (`tisser.outcomes.cohort`), as tables (`tables.py`)
for the page and the CSV (ADR 0032).

- **Paired** change of each measure (the isolation check's overall score, the direct question
  on loneliness, the short loneliness scale) between the start of the bilan and its end, 3 and
  6 months after: only people measured at both moments, mean change with its 95 % confidence
  interval, and how many improved, stayed or worsened by the measure's meaningful margin.
- The network at each moment (contacts, enquêtes-métiers done, introductions received).
- The loop: the isolation change by third of network growth, with and without a mentor, with
  and without a peer group: descriptive figures, correlations and not causes.
- The response rate of each moment, beside each figure, and per promotion.

The small-numbers rule (`tisser.core.small_numbers`, ADR 0013) holds everywhere: every figure
is computed over its people up to their last mark of five (`marked`), withheld under five; the
groups of a breakdown each up to their own mark of five and shown only all together
(`breakdown_shown`); counts of people by `part_of` / `counts_of`. Everything is computed in one
pass over the cohort's rows: no query per person."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache, partial
from operator import attrgetter

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from tisser.assessments.loneliness import (
    MEANINGFUL_FREQUENCY_CHANGE,
    MEANINGFUL_SCALE_CHANGE,
    scale_permitted,
)
from tisser.bilans.models import OutcomeRecord
from tisser.core.small_numbers import (
    breakdown_shown,
    counts_of,
    part_of,
)
from tisser.outcomes.cohort import Cohort, cohort_of, covered_blocks, month_index
from tisser.outcomes.period import Period
from tisser.outcomes.statistics import PairedChange, paired_change, terciles
from tisser.outcomes.tables import Cell, Empty, Row, Table

# The moments after the start, their months after the end, and their label.
MOMENTS: tuple[tuple[str, int, object], ...] = (
    ("end", 0, gettext_lazy("Fin du bilan")),
    ("plus_3_months", 3, gettext_lazy("3 mois après")),
    ("plus_6_months", 6, gettext_lazy("6 mois après")),
)
NETWORK_MOMENTS: tuple[tuple[str, int | None, object], ...] = (
    ("start", None, gettext_lazy("Début du bilan")),
    *MOMENTS,
)


@dataclass(frozen=True)
class Measure:
    """A score asked at each moment, lower being better."""

    key: str  # the table's key, and the OutcomeRecord fields' prefix
    title: object
    scale: object  # what the numbers are
    margin: float  # a meaningful change (ADR 0031, ADR 0032)
    decimals: int


# The isolation check's margin: 10 points out of 100 (ADR 0032). The loneliness measures' come
# from their ADR (0031): one answer category, one point of the 3–9 total.
ISOLATION_MARGIN = 10
MEASURES = (
    Measure(
        "isolation",
        gettext_lazy("Isolement au travail (questionnaire Tisser) : avant, après"),
        gettext_lazy("score de 0 (facteurs absents) à 100"),
        ISOLATION_MARGIN,
        1,
    ),
    Measure(
        "lonely_frequency",
        gettext_lazy("Sentiment de solitude (question directe) : avant, après"),
        gettext_lazy("de 1 (jamais) à 5 (souvent ou toujours)"),
        MEANINGFUL_FREQUENCY_CHANGE,
        2,
    ),
    Measure(
        "loneliness_scale",
        gettext_lazy("Échelle courte de solitude (3 questions) : avant, après"),
        gettext_lazy("total de 3 à 9"),
        MEANINGFUL_SCALE_CHANGE,
        2,
    ),
)


@lru_cache(maxsize=64)
def _field(prefix: str, moment: str) -> Callable[[OutcomeRecord], object]:
    return attrgetter(f"{prefix}_{moment}")


def _value(row: OutcomeRecord, prefix: str, moment: str):
    return _field(prefix, moment)(row)


# A month's people are final for a moment once its answers can no longer arrive: the month
# after the end for the start; for the end, 3 and 6 months after, the month after the
# reminder's window (`bilans.followup.REMINDER_WINDOW`, 30 days) has closed. Only then may a
# month join a figure: a sequence cut into blocks of five must only ever grow at its end.
FINAL_AFTER = {"start": 1, "end": 2, "plus_3_months": 5, "plus_6_months": 8}


def _ended_month(row: OutcomeRecord) -> date:
    return row.ended_month


def _promotion(row: OutcomeRecord) -> str:
    return row.promotion or ""


@dataclass(frozen=True)
class View:
    """The programme's figures for one period, over the rows of the organisation's whole
    history (`cohort`): each figure orders its people by month of the end and by their own
    values (so that the order depends neither on a row's kind, recorded or live, nor on any
    id), cuts them once into blocks of five from the first, and keeps the blocks wholly in the
    period (`whole_blocks`). Two readings of a figure, for any two periods and on any two
    days, are then the same people or five apart at least."""

    cohort: Cohort
    period: Period

    @cached_property
    def this_month(self) -> int:
        return self.cohort.this_month

    @cached_property
    def _month_of(self) -> dict[int, int]:
        return {id(row): month_index(row.ended_month) for row in self.cohort.rows}

    def final(self, row: OutcomeRecord, moment: str) -> bool:
        return self._month_of[id(row)] + FINAL_AFTER[moment] <= self.this_month

    def within(self, row: OutcomeRecord) -> bool:
        return self.period.holds(row.ended_month) and self.period.takes(_promotion(row))

    def covered(
        self, rows: Iterable[OutcomeRecord], key: Callable[[OutcomeRecord], tuple]
    ) -> list[OutcomeRecord]:
        period = self.period
        # Rows after the period, or of another promotion than the one asked, are in no block
        # of the view and cut none: left out before the sort.
        wanted = (
            row
            for row in rows
            if row.ended_month <= period.last_month and period.takes(_promotion(row))
        )
        return covered_blocks(
            wanted,
            month=_ended_month,
            key=key,
            promotion=_promotion,
            within=self.within,
            first_month=period.first_month,
        )

    @cached_property
    def _kept(self) -> dict[tuple, list[OutcomeRecord]]:
        return {}

    def measured(self, prefix: str, moment: str) -> list[OutcomeRecord]:
        """The people of the period measured at the start and at `moment`, in whole blocks
        (read once per view: several tables share them)."""
        cached = self._kept.get(("measured", prefix, moment))
        if cached is None:
            cached = self._kept[("measured", prefix, moment)] = self.covered(
                (
                    row
                    for row in self.cohort.rows
                    if self.final(row, moment)
                    and _value(row, prefix, "start") is not None
                    and _value(row, prefix, moment) is not None
                ),
                key=lambda row: (_value(row, prefix, "start"), _value(row, prefix, moment)),
            )
        return cached

    def due(self, prefix: str, moment: str) -> list[OutcomeRecord]:
        """In whole blocks, the people for whom `moment` has come — after the end, only those
        who agreed to keep their checks for the follow-up, since nobody else's answer can
        reach the programme's figures."""
        cached = self._kept.get(("due", prefix, moment))
        if cached is None:
            cached = self._kept[("due", prefix, moment)] = self.covered(
                (
                    row
                    for row in self.cohort.rows
                    if self.final(row, moment) and (moment == "end" or row.followed_up)
                ),
                key=lambda row: (_value(row, prefix, moment) is not None,),
            )
        return cached

    def response(self, prefix: str, moment: str) -> tuple[int, int]:
        """(answered, due) at `moment` (`due`)."""
        due = self.due(prefix, moment)
        answered = sum(1 for row in due if _value(row, prefix, moment) is not None)
        return answered, len(due)

    def any_in_period(self) -> bool:
        return any(self.within(row) for row in self.cohort.rows)


def _percent(part: int | None, whole: int) -> Cell:
    if part is None:
        return Cell.withheld()
    if not whole:
        return Cell.no_data()
    # A no-break space before the sign, as French sets it (and as the number stays whole).
    return Cell.number(100 * part / whole, unit="\u00a0%")


def _response_cell(answered: int, due: int) -> Cell:
    if not due:
        return Cell.no_data()
    return _percent(part_of(answered, due), due)


def _paired(view: View, prefix: str, moment: str, margin: float) -> PairedChange | None:
    people = view.measured(prefix, moment)
    return paired_change(
        [
            (float(_value(row, prefix, "start")), float(_value(row, prefix, moment)))
            for row in people
        ],
        margin=margin,
    )


def _unmeasured(view: View, prefix: str, moment: str) -> Cell:
    """The cell of a figure nobody counts: withheld when people of the period were measured
    (too few, or not final yet), no data when nobody was."""
    measured = any(
        view.within(row) and _value(row, prefix, moment) is not None for row in view.cohort.rows
    )
    return Cell.withheld() if measured else Cell.no_data()


def _paired_table(view: View, measure: Measure) -> tuple[Table, Table]:
    """The measure's change at each moment, and how many improved, stayed or worsened."""
    rows, spread = [], []
    for moment, _months, label in MOMENTS:
        change = _paired(view, measure.key, moment, measure.margin)
        response = _response_cell(*view.response(measure.key, moment))
        if change is None:
            empty = _unmeasured(view, measure.key, moment)
            rows.append(Row(str(label), (*([empty] * 7), response)))
            spread.append(Row(str(label), (empty, empty, empty)))
            continue
        counts = counts_of(
            {"improved": change.improved, "stable": change.stable, "worse": change.worse}
        )
        rows.append(
            Row(
                str(label),
                (
                    Cell.number(change.people),
                    Cell.number(change.before, decimals=measure.decimals),
                    Cell.number(change.after, decimals=measure.decimals),
                    Cell.number(change.change, decimals=measure.decimals),
                    Cell.number(change.low, decimals=measure.decimals),
                    Cell.number(change.high, decimals=measure.decimals),
                    _percent(counts["improved"], change.people),
                    response,
                ),
            )
        )
        spread.append(
            Row(
                str(label),
                tuple(
                    Cell.withheld() if counts[key] is None else Cell.number(counts[key])
                    for key in ("improved", "stable", "worse")
                ),
            )
        )
    if measure.key == "lonely_frequency":
        margin = ngettext(
            "%(margin)s cran sur l'échelle de réponses",
            "%(margin)s crans sur l'échelle de réponses",
            measure.margin,
        ) % {"margin": measure.margin}
    else:
        margin = ngettext("%(margin)s point", "%(margin)s points", measure.margin) % {
            "margin": measure.margin
        }
    changes = Table(
        key=measure.key,
        title=str(measure.title),
        label_column=_("Moment comparé au début du bilan"),
        columns=(
            _("Personnes mesurées aux deux moments"),
            _("Moyenne au début"),
            _("Moyenne au moment"),
            _("Évolution moyenne"),
            _("Intervalle de confiance à 95 % : borne basse"),
            _("Intervalle de confiance à 95 % : borne haute"),
            _("Part en nette amélioration"),
            _("Taux de réponse"),
        ),
        rows=tuple(rows),
        notes=(
            _("Mesure : %(scale)s ; plus bas, c'est mieux.") % {"scale": measure.scale},
            _(
                "Apparié : seules les personnes mesurées au début et au moment comparé "
                "comptent ; une évolution négative est une baisse."
            ),
            _("Nette amélioration : une baisse d'au moins %(margin)s.") % {"margin": margin},
        ),
        chart_column=6,
        chart_max=100,
    )
    distribution = Table(
        key=f"{measure.key}_spread",
        title=_("%(title)s : qui s'améliore, qui reste stable") % {"title": measure.title},
        label_column=_("Moment comparé au début du bilan"),
        columns=(
            _("En baisse d'au moins %(margin)s") % {"margin": margin},
            _("Stable"),
            _("En hausse d'au moins %(margin)s") % {"margin": margin},
        ),
        rows=tuple(spread),
        notes=(
            _(
                "Un nombre de moins de 5 personnes est masqué, et avec lui le plus petit des "
                "autres quand il suffirait d'une soustraction pour le retrouver."
            ),
        ),
    )
    return changes, distribution


# The network's figures: OutcomeRecord prefix, label.
NETWORK_FIGURES: tuple[tuple[str, object], ...] = (
    ("network", gettext_lazy("Contacts (moyenne)")),
    ("interviews", gettext_lazy("Enquêtes-métiers réalisées (moyenne)")),
    ("introductions", gettext_lazy("Mises en relation reçues (moyenne)")),
)


def _network_key(row: OutcomeRecord, *, moment: str) -> tuple:
    return tuple(
        _value(row, prefix, moment) or 0
        for prefix, _label in NETWORK_FIGURES
        if prefix == "network" or moment != "start"
    )


def _network_table(view: View) -> Table:
    rows = []
    for moment, _months, label in NETWORK_MOMENTS:
        people = view.covered(
            (
                row
                for row in view.cohort.rows
                if view.final(row, moment) and _value(row, "network", moment) is not None
            ),
            key=partial(_network_key, moment=moment),
        )
        if not people:
            empty = _unmeasured(view, "network", moment)
            cells = [empty] * (1 + len(NETWORK_FIGURES))
            if moment == "start":
                cells[2:] = [Cell.no_data()] * (len(NETWORK_FIGURES) - 1)
            rows.append(Row(str(label), tuple(cells)))
            continue
        row_cells: list[Cell] = [Cell.number(len(people))]
        for prefix, _label in NETWORK_FIGURES:
            if prefix != "network" and moment == "start":
                row_cells.append(Cell.no_data())
                continue
            values = [float(_value(row, prefix, moment) or 0) for row in people]
            row_cells.append(Cell.number(sum(values) / len(values), decimals=1))
        rows.append(Row(str(label), tuple(row_cells)))
    return Table(
        key="network",
        title=_("Le réseau qui se tisse : contacts, enquêtes-métiers, mises en relation"),
        label_column=_("Moment"),
        columns=(_("Personnes"), *(str(label) for _prefix, label in NETWORK_FIGURES)),
        rows=tuple(rows),
        notes=(
            _(
                "Le réseau de chaque personne au moment dit : le relevé hebdomadaire pris alors "
                "quand il existe, sinon mesuré d'après les dates des contacts et des enquêtes."
            ),
            _(
                "Mises en relation : contacts présentés par un autre contact (« un contact en "
                "amène un autre »)."
            ),
        ),
        chart_column=1,
    )


@dataclass(frozen=True)
class _Group:
    label: str
    rows: list[OutcomeRecord]


def _apart(one: Sequence[OutcomeRecord], other: Sequence[OutcomeRecord]) -> int:
    """How many people are in one of two sets of rows and not in the other (rows are told
    apart by identity: two records with the same values are two people)."""
    return len({id(row) for row in one} ^ {id(row) for row in other})


def _breakdown_rows(
    groups: Sequence[_Group],
    total: Sequence[OutcomeRecord],
    change: Callable[[OutcomeRecord], float],
    extra: Callable[[OutcomeRecord], float] | None = None,
    *,
    anyone: bool = True,
) -> list[Row]:
    """One row per group: its people and their mean change, shown only when every group
    counts at least five people (`breakdown_shown`) and the groups together are the `total`
    shown elsewhere or five people apart from it at least, so that no subtraction from the
    total gives one to four people back."""
    together = [row for group in groups for row in group.rows]
    apart = _apart(together, total)
    shown = breakdown_shown((len(group.rows) for group in groups), apart=apart)
    result = []
    nobody = not together and not total and not anyone
    for group in groups:
        if not shown:
            width = 3 if extra is not None else 2
            empty = Cell.no_data() if nobody else Cell.withheld()
            result.append(Row(group.label, (empty,) * width))
            continue
        rows = group.rows
        cells = [Cell.number(len(rows))]
        if extra is not None:
            cells.append(Cell.number(sum(extra(row) for row in rows) / len(rows), decimals=1))
        cells.append(Cell.number(sum(change(row) for row in rows) / len(rows), decimals=1))
        result.append(Row(group.label, tuple(cells)))
    return result


NOT_CAUSES = gettext_lazy(
    "Des corrélations, pas des causes : ces groupes diffèrent aussi par bien d'autres choses "
    "que leur réseau, leur mentor ou leur groupe."
)


def _growth_table(view: View) -> Table:
    """The isolation change over the bilan by third of network growth over it, among the
    people of the paired figure at the end (the same people, cut in three)."""
    measured = view.measured("isolation", "end")
    known = [
        row for row in measured if row.network_start is not None and row.network_end is not None
    ]

    def growth_of(row: OutcomeRecord) -> float:
        return float(row.network_end or 0) - float(row.network_start or 0)

    def isolation_change(row: OutcomeRecord) -> float:
        return float(row.isolation_end or 0) - float(row.isolation_start or 0)

    lower, middle, upper = terciles(known, key=growth_of)
    rows = _breakdown_rows(
        [
            _Group(_("Le tiers dont le réseau a le moins grandi"), lower),
            _Group(_("Le tiers du milieu"), middle),
            _Group(_("Le tiers dont le réseau a le plus grandi"), upper),
        ],
        total=measured,
        change=isolation_change,
        extra=growth_of,
        anyone=view.any_in_period(),
    )
    return Table(
        key="loop_network",
        title=_("Isolement et réseau : l'évolution de l'isolement selon la croissance du réseau"),
        label_column=_("Croissance du réseau pendant le bilan"),
        columns=(
            _("Personnes"),
            _("Nouveaux contacts (moyenne)"),
            _("Évolution de l'isolement (points, moyenne)"),
        ),
        rows=tuple(rows),
        notes=(
            _(
                "Personnes mesurées au début et à la fin du bilan, en trois tiers égaux selon "
                "le nombre de contacts ajoutés pendant le bilan."
            ),
            str(NOT_CAUSES),
        ),
    )


def _has(row: OutcomeRecord, *, attribute: str, wanted: bool) -> bool:
    return bool(getattr(row, attribute)) == wanted


def _support_table(view: View) -> Table:
    """The isolation change from the start to 3 and to 6 months after the end, with and
    without a mentor, with and without a peer group: each group in whole blocks of its own."""
    rows: list[Row] = []
    for moment, _months, moment_label in MOMENTS[1:]:
        total = view.measured("isolation", moment)

        def change(row: OutcomeRecord, moment: str = moment) -> float:
            return float(_value(row, "isolation", moment)) - float(row.isolation_start or 0)

        def group(flag: Callable[[OutcomeRecord], bool], moment: str = moment):
            return view.covered(
                (
                    row
                    for row in view.cohort.rows
                    if flag(row)
                    and view.final(row, moment)
                    and row.isolation_start is not None
                    and _value(row, "isolation", moment) is not None
                ),
                key=lambda row: (row.isolation_start, _value(row, "isolation", moment)),
            )

        for with_label, without_label, attribute in (
            (_("Avec un·e mentor"), _("Sans mentor"), "had_mentor"),
            (_("Avec un groupe de pairs"), _("Sans groupe de pairs"), "had_group"),
        ):
            with_it = group(partial(_has, attribute=attribute, wanted=True))
            without = group(partial(_has, attribute=attribute, wanted=False))
            rows += _breakdown_rows(
                [
                    _Group(f"{with_label} — {moment_label}", with_it),
                    _Group(f"{without_label} — {moment_label}", without),
                ],
                total=total,
                change=change,
                anyone=view.any_in_period(),
            )
    return Table(
        key="loop_support",
        title=_("Isolement, mentor et groupe de pairs"),
        label_column=_("Groupe, moment"),
        columns=(_("Personnes"), _("Évolution de l'isolement (points, moyenne)")),
        rows=tuple(rows),
        notes=(
            _("Évolution depuis le début du bilan jusqu'au moment dit, après la fin."),
            str(NOT_CAUSES),
        ),
    )


def _promotion_rates(view: View) -> Table:
    """Who answered the isolation check at each moment, promotion by promotion. Each
    promotion being its own sequence of blocks, a promotion's people are those of the
    all-promotions view that belong to it: read once, shared out."""
    period = view.period
    every = View(view.cohort, Period(period.first_month, period.last_month))
    names = sorted(
        {_promotion(row) for row in view.cohort.rows if every.within(row)},
        key=lambda name: (name == "", name),
    )
    if period.promotion is not None:
        names = [name for name in names if name == period.promotion]
    ended: dict[str, int] = {}
    for row in view.cohort.rows:
        if every.within(row):
            ended[_promotion(row)] = ended.get(_promotion(row), 0) + 1
    due = {moment: every.due("isolation", moment) for moment, _months, _label in MOMENTS}
    columns: list[list[Cell]] = []
    for moment, _months, _label in MOMENTS:
        column = []
        for name in names:
            mine = [row for row in due[moment] if _promotion(row) == name]
            answered = sum(1 for row in mine if _value(row, "isolation", moment) is not None)
            column.append(_response_cell(answered, len(mine)))
        # The promotions add up to the rate shown beside the isolation figure: one of them
        # hidden would be that rate minus the others, so a column shows all or none.
        if any(cell.empty == Empty.WITHHELD for cell in column):
            column = [Cell.withheld() if cell.shown else cell for cell in column]
        columns.append(column)
    rows = [
        Row(
            name or _("Sans promotion"),
            (Cell.number(ended[name]), *(column[index] for column in columns)),
        )
        for index, name in enumerate(names)
    ]
    return Table(
        key="responses",
        title=_("Qui a répondu : le point sur l'isolement, par promotion"),
        label_column=_("Promotion"),
        columns=(
            pgettext("people", "Bilans terminés"),
            *(
                _("Réponses : %(moment)s") % {"moment": str(label).lower()}
                for _moment, _months, label in MOMENTS
            ),
        ),
        rows=tuple(rows),
        notes=(
            _(
                "Part des personnes qui ont répondu, parmi celles pour qui le moment est venu. "
                "Après la fin, les réponses ne comptent que pour les personnes qui ont accepté "
                "par écrit de garder leurs points pour le suivi (un an au plus)."
            ),
            _(
                "Les promotions font ensemble le taux de réponse affiché plus haut : quand "
                "l'une est masquée, toute la colonne l'est, pour qu'aucune ne se déduise des "
                "autres."
            ),
        ),
    )


def loop_tables(organisation, period: Period, *, now: datetime | None = None) -> list[Table]:
    """Every table of the loop for `organisation`'s bilans ended in `period` (of its
    promotion): each figure over the organisation's whole history, cut into blocks once."""
    now = now or timezone.now()
    view = View(cohort_of(organisation.pk, now=now), period)
    tables: list[Table] = []
    for measure in MEASURES:
        if measure.key == "loneliness_scale" and not scale_permitted():
            continue
        tables.extend(_paired_table(view, measure))
    tables.append(_network_table(view))
    tables.append(_growth_table(view))
    tables.append(_support_table(view))
    if period.promotion is None:
        # With one promotion chosen, its response rates are those beside each figure.
        tables.append(_promotion_rates(view))
    return tables
