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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tisser.bilans.models import OutcomeRecord
from tisser.core.small_numbers import breakdown_shown, counts_of, marked, part_of
from tisser.outcomes.cohort import Cohort, cohort_of, month_index
from tisser.outcomes.period import Period
from tisser.outcomes.statistics import PairedChange, paired_change, terciles
from tisser.outcomes.tables import Cell, Row, Table

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
        1,
        2,
    ),
    Measure(
        "loneliness_scale",
        gettext_lazy("Échelle courte de solitude (3 questions) : avant, après"),
        gettext_lazy("total de 3 à 9"),
        1,
        2,
    ),
)


def _value(row: OutcomeRecord, prefix: str, moment: str):
    return getattr(row, f"{prefix}_{moment}")


def _moment_came(row: OutcomeRecord, months: int, this_month: int) -> bool:
    """Whether `months` after the end of `row`'s bilan has passed for sure: records know only
    the month of the end, so a moment has come once the month after its month has begun."""
    return month_index(row.ended_month) + months + 1 <= this_month


def _percent(part: int | None, whole: int) -> Cell:
    if part is None:
        return Cell.withheld()
    if not whole:
        return Cell.no_data()
    # A no-break space before the sign, as French sets it (and as the number stays whole).
    return Cell.number(100 * part / whole, unit="\u00a0%")


def _response(cohort: Cohort, prefix: str, moment: str, months: int) -> tuple[int, int]:
    """(answered, due) at `moment`: the people for whom it has come — after the end, only those
    who agreed to keep their checks for the follow-up, since nobody else's answer can reach
    the programme's figures — and those who answered."""
    this_month = cohort.this_month
    due = [
        row
        for row in cohort.rows
        if _moment_came(row, months, this_month) and (months == 0 or row.followed_up)
    ]
    answered = sum(1 for row in due if _value(row, prefix, moment) is not None)
    return answered, len(due)


def _response_cell(answered: int, due: int) -> Cell:
    if not due:
        return Cell.no_data()
    return _percent(part_of(answered, due), due)


def _paired(
    cohort: Cohort, prefix: str, moment: str, margin: float
) -> tuple[PairedChange | None, int]:
    """The paired change start → `moment` over its people up to their last mark of five, and
    how many people were measured at both moments in all."""
    pairs = [
        (float(_value(row, prefix, "start")), float(_value(row, prefix, moment)))
        for row in cohort.rows
        if _value(row, prefix, "start") is not None and _value(row, prefix, moment) is not None
    ]
    return paired_change(marked(pairs), margin=margin), len(pairs)


def _paired_table(cohort: Cohort, measure: Measure) -> tuple[Table, Table]:
    """The measure's change at each moment, and how many improved, stayed or worsened."""
    rows, spread = [], []
    for moment, months, label in MOMENTS:
        change, measured = _paired(cohort, measure.key, moment, measure.margin)
        response = _response_cell(*_response(cohort, measure.key, moment, months))
        if change is None:
            empty = Cell.withheld() if measured else Cell.no_data()
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
    margin = _("%(margin)s points") % {"margin": measure.margin}
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
            _("Score : %(scale)s ; plus bas, c'est mieux.") % {"scale": measure.scale},
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


def _mean(values: Sequence[float]) -> float | None:
    covered = marked(list(values))
    return sum(covered) / len(covered) if covered else None


def _network_table(cohort: Cohort) -> Table:
    rows = []
    this_month = cohort.this_month
    for moment, months, label in NETWORK_MOMENTS:
        due = [
            row for row in cohort.rows if months is None or _moment_came(row, months, this_month)
        ]
        cells: list[Cell] = [Cell.number(len(due))]
        for prefix, _label in NETWORK_FIGURES:
            if prefix != "network" and moment == "start":
                cells.append(Cell.no_data())
                continue
            values = [
                float(_value(row, prefix, moment))
                for row in due
                if _value(row, prefix, moment) is not None
            ]
            mean = _mean(values)
            if mean is None:
                cells.append(Cell.withheld() if values else Cell.no_data())
            else:
                cells.append(Cell.number(mean, decimals=1))
        rows.append(Row(str(label), tuple(cells)))
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


def _latest(row: OutcomeRecord, prefix: str) -> float | None:
    """The last measure of `prefix` after the start: at 6 months, 3 months or the end."""
    for moment in ("plus_6_months", "plus_3_months", "end"):
        value = _value(row, prefix, moment)
        if value is not None:
            return float(value)
    return None


def _breakdown_rows(
    groups: Sequence[_Group], change: Callable[[OutcomeRecord], float], extra=None
) -> list[Row]:
    """One row per group: its people (up to their last mark of five) and their mean change,
    shown only when every group holds at least five people so counted."""
    covered = [marked(group.rows) for group in groups]
    shown = breakdown_shown(len(rows) for rows in covered)
    result = []
    for group, rows in zip(groups, covered, strict=True):
        if not shown:
            cells = [Cell.withheld(), Cell.withheld()]
            if extra is not None:
                cells.append(Cell.withheld())
            result.append(Row(group.label, tuple(cells)))
            continue
        cells = [Cell.number(len(rows))]
        if extra is not None:
            cells.append(Cell.number(sum(extra(row) for row in rows) / len(rows), decimals=1))
        cells.append(Cell.number(sum(change(row) for row in rows) / len(rows), decimals=1))
        result.append(Row(group.label, tuple(cells)))
    return result


def _loop_tables(cohort: Cohort) -> list[Table]:
    # Measured at the start and at the end of the bilan, isolation and network: the third of
    # network growth over the bilan, and the isolation change over it.
    paired = marked(
        [
            row
            for row in cohort.rows
            if row.isolation_start is not None
            and row.isolation_end is not None
            and row.network_start is not None
            and row.network_end is not None
        ]
    )

    def growth_of(row: OutcomeRecord) -> float:
        return float(row.network_end or 0) - float(row.network_start or 0)

    def isolation_change(row: OutcomeRecord) -> float:
        return float(row.isolation_end or 0) - float(row.isolation_start or 0)

    lower, middle, upper = terciles(paired, key=growth_of)
    by_growth = _breakdown_rows(
        [
            _Group(_("Le tiers dont le réseau a le moins grandi"), lower),
            _Group(_("Le tiers du milieu"), middle),
            _Group(_("Le tiers dont le réseau a le plus grandi"), upper),
        ],
        change=isolation_change,
        extra=growth_of,
    )
    not_causes = _(
        "Des corrélations, pas des causes : ces groupes diffèrent aussi par bien d'autres "
        "choses que leur réseau, leur mentor ou leur groupe."
    )
    growth = Table(
        key="loop_network",
        title=_("Isolement et réseau : l'évolution de l'isolement selon la croissance du réseau"),
        label_column=_("Croissance du réseau pendant le bilan"),
        columns=(
            _("Personnes"),
            _("Nouveaux contacts (moyenne)"),
            _("Évolution de l'isolement (points, moyenne)"),
        ),
        rows=tuple(by_growth),
        notes=(
            _(
                "Personnes mesurées au début et à la fin du bilan, en trois tiers égaux selon "
                "le nombre de contacts ajoutés pendant le bilan."
            ),
            not_causes,
        ),
    )
    # After the bilan: from the start to the last measure (6 months, 3 months or the end).
    measured = [
        row
        for row in cohort.rows
        if row.isolation_start is not None and _latest(row, "isolation") is not None
    ]

    def change(row: OutcomeRecord) -> float:
        latest = _latest(row, "isolation")
        assert latest is not None and row.isolation_start is not None
        return latest - row.isolation_start

    support_rows = _breakdown_rows(
        [
            _Group(_("Avec un·e mentor"), [row for row in measured if row.had_mentor]),
            _Group(_("Sans mentor"), [row for row in measured if not row.had_mentor]),
        ],
        change=change,
    ) + _breakdown_rows(
        [
            _Group(_("Avec un groupe de pairs"), [row for row in measured if row.had_group]),
            _Group(_("Sans groupe de pairs"), [row for row in measured if not row.had_group]),
        ],
        change=change,
    )
    support = Table(
        key="loop_support",
        title=_("Isolement, mentor et groupe de pairs"),
        label_column=_("Personnes"),
        columns=(_("Personnes"), _("Évolution de l'isolement (points, moyenne)")),
        rows=tuple(support_rows),
        notes=(
            _(
                "Du début du bilan à la dernière mesure : 6 mois après la fin, sinon 3 mois "
                "après, sinon la fin."
            ),
            not_causes,
        ),
    )
    return [growth, support]


def _promotion_rates(every: Cohort) -> Table:
    """Who answered the isolation check at each moment, promotion by promotion."""
    now = every.now
    names = sorted({row.promotion for row in every.rows}, key=lambda name: (name == "", name))
    rows = []
    for name in names:
        of_promotion = Cohort(
            rows=tuple(row for row in every.rows if row.promotion == name),
            recorded=0,
            now=now,
        )
        cells: list[Cell] = [Cell.number(len(of_promotion.rows))]
        for moment, months, _label in MOMENTS:
            answered, due = _response(of_promotion, "isolation", moment, months)
            cells.append(_response_cell(answered, due))
        rows.append(Row(name or _("Sans promotion"), tuple(cells)))
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
        ),
    )


def loop_tables(organisation, period: Period, *, now: datetime | None = None) -> list[Table]:
    """Every table of the loop for `organisation`'s bilans ended in `period`."""
    now = now or timezone.now()
    every = cohort_of(organisation.pk, Period(period.first_month, period.last_month), now=now)
    if period.promotion is None:
        cohort = every
    else:
        of_promotion = tuple(row for row in every.rows if row.promotion == period.promotion)
        cohort = Cohort(rows=of_promotion, recorded=0, now=now)
    tables: list[Table] = []
    for measure in MEASURES:
        tables.extend(_paired_table(cohort, measure))
    tables.append(_network_table(cohort))
    tables.extend(_loop_tables(cohort))
    tables.append(_promotion_rates(every))
    return tables
