"""The programme's activity, for the coordinator's outcomes page (issue #17): mentorships still
alive 3 and 6 months after they started, peer groups that met in the last 6 weeks, commitments
kept, the enquête-métier funnel, how the bilans ended and the satisfaction, for a period and a
promotion (`Period`).

Who is counted, each figure cut once into blocks of five along the organisation's whole
history, each promotion in its own sequence, a period keeping the blocks wholly inside it
(`outcomes.cohort.covered_blocks`, ADR 0032), so that two periods are never one person apart:
- the bilans ended (by month of the end, once the month is over): the funnel (the stages each
  person reached by the end of their bilan, so that a figure once shown does not move) and how
  the bilans ended;
- the satisfaction answers, in the order they arrived, of the bilans ended in the period;
- mentorships, by month of their start, once 3 (or 6) months have passed;
- peer groups (of the promotion) active at the end of the period, or today when it has not
  ended, and commitments of the periods that started in it: groups of 3 to 5 and rates
  rounded to tens (`followed_rate`).

Every figure about people goes through `tisser.core.small_numbers`: a part is shown only when
it and the rest count 5 or more (`part_of`, `counts_of`), a rate from 5 people
(`followed_rate`). A funnel's stage is a part of the stage before it too: two stages one to
four people apart would say how few stopped between them.

Each table is one query (five in all: the funnel and the outcomes share theirs), whatever the
number of people, read in one pass."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import Organisation
from tisser.bilans import satisfaction
from tisser.bilans.models import Bilan, Outcome, Phase, SatisfactionMoment, SatisfactionResponse
from tisser.core.dates import french_date
from tisser.core.small_numbers import (
    counts_of,
    followed_rate,
    part_of,
)
from tisser.meetings.models import Occurrence
from tisser.mentoring.models import Mentorship
from tisser.network.models import STAGE_ORDER, Contact, HowKnown, InformationalInterview, Stage
from tisser.outcomes.cohort import covered_blocks, month_index
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Cell, Row, Table
from tisser.peers.models import Commitment, PeerGroup, PeerProfile

PERCENT = "\u00a0%"
MENTORSHIP_AGES = (3, 6)  # months
GROUP_MEETING_DAYS = 42


def _moment(day: date) -> datetime:
    """Midnight at the start of `day`, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": _moment(period.first_month), f"{field}__lt": _moment(period.end)})


def _share(part: int | None, total: int) -> Cell:
    if part is None:
        return Cell.withheld()
    return Cell.number(100 * part / total, unit=PERCENT)


def _count(value: int | None) -> Cell:
    return Cell.withheld() if value is None else Cell.number(value)


def _total_row(label: str, count: int, over: int) -> Row:
    """The row of a table's population and its 100 %."""
    cell = _population(count, over)
    return Row(label, (cell, Cell.number(100, unit=PERCENT) if cell.shown else cell))


def _population(count: int, over: int) -> Cell:
    """How many people a table is over: nobody (no data), fewer than five (withheld), or the
    people up to the last mark of five."""
    if count == 0:
        return Cell.no_data()
    if not over:  # `marked`: nobody under five
        return Cell.withheld()
    return Cell.number(over)


# --- The period's people: the funnel and the bilans' outcomes -------------------------------

# Stages an enquête has reached when its current stage, or one of its dated steps, is one of them.
ASKED = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.MESSAGE_SENT) :])
MEETING = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.MEETING_SET) :])
DONE = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.INTERVIEW_DONE) :])


def _promotion_of(user_field: str, organisation_field: str = "organisation") -> Subquery:
    """The promotion's name of the person `user_field` names, in the row's organisation."""
    return Subquery(
        PeerProfile.objects.filter(
            user=OuterRef(user_field), organisation=OuterRef(organisation_field)
        ).values("cohort")[:1]
    )


def ended_bilans(organisation: Organisation):
    """Every bilan `organisation` ended, with its person's promotion: the whole history each
    figure is cut from (`covered_blocks`)."""
    return Bilan.objects.filter(
        organisation=organisation, status=Phase.CLOSED, closed_at__isnull=False
    ).annotate(promotion=Coalesce(_promotion_of("beneficiary"), Value("")))


@dataclass(frozen=True)
class _Blocks:
    """One period's view of figures cut once along the organisation's history: `month` of an
    item (its bilan's end, a mentorship's start…) must be final (its figure can no longer
    change) `final_after` months on; the view keeps the whole blocks in the period and its
    promotion."""

    period: Period
    this_month: int

    def cover(self, items, *, month, key, promotion, final_after: int) -> list:
        def within(item) -> bool:
            return self.period.holds(month(item)) and self.period.takes(promotion(item))

        final = [
            item for item in items if month_index(month(item)) + final_after <= self.this_month
        ]
        return covered_blocks(final, month=month, key=key, promotion=promotion, within=within)

    def known(self, items, *, month, promotion) -> int:
        """How many items the period holds, final or not: tells « masqué » from « pas de
        donnée »."""
        return sum(
            1
            for item in items
            if self.period.holds(month(item)) and self.period.takes(promotion(item))
        )


def _reached(stages: frozenset[str]) -> Exists:
    """An enquête of the bilan's beneficiary reached one of `stages` by the bilan's end: a
    dated step then, or its stage reached then (an enquête without steps)."""
    return Exists(
        InformationalInterview.objects.filter(
            owner=OuterRef("beneficiary"), contact__organisation=OuterRef("organisation")
        ).filter(
            Q(events__stage__in=stages, events__at__lte=OuterRef("closed_at"))
            | Q(stage__in=stages, stage_changed_at__lte=OuterRef("closed_at"))
        )
    )


FUNNEL = ("contact", "asked", "meeting", "done", "introduced")
# The stages that follow one another: each is a part of the one before.
CHAIN = ("contact", "asked", "meeting", "done")


def _funnel_rows(bilans) -> list[tuple]:
    # By the end of the bilan: a figure once shown stays as it is (ADR 0013).
    contacts = Contact.objects.filter(
        owner=OuterRef("beneficiary"),
        organisation=OuterRef("organisation"),
        created_at__lte=OuterRef("closed_at"),
    )
    rows = (
        bilans.annotate(
            contact=Exists(contacts),
            asked=_reached(ASKED),
            meeting=_reached(MEETING),
            done=_reached(DONE),
            introduced=Exists(
                contacts.filter(Q(introduced_by__isnull=False) | Q(how_known=HowKnown.INTRODUCED))
            ),
        )
        .order_by("closed_at", "pk")
        .values_list("closed_at", "promotion", "outcome", *FUNNEL)
    )
    return _with_month(rows)


def _with_month(rows) -> list[tuple]:
    """`rows` with, first, the month (its first day, local time) of their first date: a
    bilan's end, a mentorship's start; read once per row rather than at every comparison."""
    zone = timezone.get_current_timezone()
    return [(row[0].astimezone(zone).date().replace(day=1), *row) for row in rows]


def _month_of(row: tuple) -> date:
    return row[0]


def _row_promotion(row: tuple) -> str:
    return row[2] or ""


def funnel_shown(total: int, counts: dict[str, int]) -> dict[str, int | None]:
    """Each stage's count of people out of `total`, None where it may not be shown: under
    `part_of`'s rule against the total, and against the last stage shown before it on the
    chain (contact → asked → meeting → done)."""
    shown = {stage: part_of(count, total) for stage, count in counts.items()}
    before: int | None = None
    for stage in CHAIN:
        value = shown[stage]
        if value is None:
            continue
        if before is not None and part_of(value, before) is None:
            shown[stage] = None
            continue
        before = value
    return shown


def _funnel_table(rows: Sequence[tuple], blocks: _Blocks) -> Table:
    people = blocks.cover(
        rows,
        month=_month_of,
        key=lambda row: tuple(row[4:]),
        promotion=_row_promotion,
        final_after=1,
    )
    known = blocks.known(rows, month=_month_of, promotion=_row_promotion)
    total = len(people)
    counts = {
        stage: sum(1 for row in people if row[4 + index]) for index, stage in enumerate(FUNNEL)
    }
    shown = funnel_shown(total, counts)
    labels = {
        "contact": _("Au moins un contact noté"),
        "asked": _("Au moins une enquête demandée (message envoyé)"),
        "meeting": _("Au moins un rendez-vous fixé"),
        "done": _("Au moins une enquête réalisée"),
        "introduced": _("Au moins une mise en relation (contact présenté par un autre)"),
    }
    table_rows = [_total_row(_("Personnes dont le bilan s'est terminé"), known, total)]
    for stage in FUNNEL:
        if not known:
            cells = (Cell.no_data(), Cell.no_data())
        elif not total:
            cells = (Cell.withheld(), Cell.withheld())
        else:
            cells = (_count(shown[stage]), _share(shown[stage], total))
        table_rows.append(Row(labels[stage], cells))
    return Table(
        key="enquetes",
        title=_("Enquêtes-métiers : du premier contact à la mise en relation"),
        label_column=_("Étape"),
        columns=(_("Personnes"), _("Part des personnes")),
        rows=tuple(table_rows),
        notes=(
            _(
                "Parmi les personnes dont le bilan s'est terminé dans la période, celles qui "
                "ont atteint chaque étape au moins une fois avant la fin de leur bilan."
            ),
            _(
                "Une étape n'est montrée que si elle et le reste, comme l'écart avec l'étape "
                "précédente, comptent au moins 5 personnes."
            ),
        ),
        chart_column=1,
        chart_max=100,
    )


def _outcomes_table(rows: Sequence[tuple], blocks: _Blocks) -> Table:
    bilans = blocks.cover(
        rows,
        month=_month_of,
        key=lambda row: (row[3],),
        promotion=_row_promotion,
        final_after=1,
    )
    known = blocks.known(rows, month=_month_of, promotion=_row_promotion)
    counts = Counter(row[3] for row in bilans)
    shown = counts_of({outcome.value: counts.get(outcome.value, 0) for outcome in Outcome})
    total = len(bilans)
    table_rows = [_total_row(_("Bilans terminés"), known, total)]
    for outcome in Outcome:
        if not known:
            cells = (Cell.no_data(), Cell.no_data())
        elif not total:
            cells = (Cell.withheld(), Cell.withheld())
        else:
            cells = (_count(shown[outcome.value]), _share(shown[outcome.value], total))
        table_rows.append(Row(str(outcome.label), cells))
    return Table(
        key="issues",
        title=_("Comment les bilans se sont terminés"),
        label_column=_("Issue"),
        columns=(_("Bilans"), _("Part des bilans")),
        rows=tuple(table_rows),
        notes=(
            _(
                "Bilans terminés dans la période. Les nombres exacts par issue, données de "
                "gestion, sont sur la page des indicateurs des bilans."
            ),
        ),
        chart_column=1,
        chart_max=100,
    )


# --- Satisfaction -------------------------------------------------------------------------------


def _satisfaction_table(organisation: Organisation, blocks: _Blocks) -> Table:
    # Each answer with its bilan's end (the period it belongs to) and its person's promotion,
    # in the order the answers arrived: a sequence that only ever grows at its end.
    answers_by_moment: dict[str, list[tuple]] = {}
    for moment, created_at, pk, closed_at, promotion, answers in (
        SatisfactionResponse.objects.filter(bilan__in=ended_bilans(organisation).values("pk"))
        .annotate(
            promotion=Coalesce(
                _promotion_of("bilan__beneficiary", "bilan__organisation"), Value("")
            )
        )
        .order_by("created_at", "pk")
        .values_list("moment", "created_at", "pk", "bilan__closed_at", "promotion", "answers")
    ):
        answers_by_moment.setdefault(moment, []).append(
            (created_at, pk, closed_at, promotion, answers)
        )

    def within(answer: tuple) -> bool:
        month = timezone.localdate(answer[2]).replace(day=1)
        return blocks.period.holds(month) and blocks.period.takes(answer[3] or "")

    moments = tuple(SatisfactionMoment)
    questions = [(item.id, str(item.short)) for item in satisfaction.ITEMS]
    questions.append((satisfaction.RECOMMENDATION, str(satisfaction.RECOMMENDATION_SHORT)))
    covered = {
        moment: covered_blocks(
            answers_by_moment.get(moment, []),
            month=lambda answer: timezone.localdate(answer[0]).replace(day=1),
            key=lambda answer: (answer[0], answer[1]),
            promotion=lambda answer: answer[3] or "",
            within=within,
        )
        for moment in moments
    }
    known = {
        moment: sum(1 for answer in answers_by_moment.get(moment, []) if within(answer))
        for moment in moments
    }
    rows = []
    for key, label in questions:
        cells = []
        for moment in moments:
            values = [
                answer[4][key] for answer in covered[moment] if isinstance(answer[4].get(key), int)
            ]
            if not known[moment]:
                cells.append(Cell.no_data())
            elif not values:
                cells.append(Cell.withheld())
            else:
                cells.append(Cell.number(sum(values) / len(values), decimals=1))
        rows.append(Row(label, tuple(cells)))
    rows.append(
        Row(
            _("Personnes qui ont répondu"),
            tuple(_population(known[moment], len(covered[moment])) for moment in moments),
        )
    )
    return Table(
        key="satisfaction",
        title=_("Satisfaction à la fin du bilan et six mois après"),
        label_column=_("Question"),
        columns=tuple(str(moment.label) for moment in moments),
        rows=tuple(rows),
        notes=(
            _(
                "Moyennes de 1 (pas du tout d'accord) à 5 (tout à fait d'accord) ; "
                "recommandation de 0 à 10. Bilans terminés dans la période."
            ),
        ),
    )


# --- Mentorships ---------------------------------------------------------------------------------


def alive_at(started_at: datetime, ended_at: datetime | None, months: int) -> bool:
    """Whether a mentorship was still going `months` months after it started."""
    return ended_at is None or ended_at >= started_at + relativedelta(months=months)


def _mentorships_table(organisation: Organisation, blocks: _Blocks, now: datetime) -> Table:
    mentorships = _with_month(
        Mentorship.objects.filter(organisation=organisation)
        .annotate(promotion=Coalesce(_promotion_of("mentee"), Value("")))
        .order_by("started_at", "pk")
        .values_list("started_at", "promotion", "ended_at")
    )
    rows = []
    for months in MENTORSHIP_AGES:
        # A mentorship's figure at an age is final once that age has passed (its month over).
        counted = blocks.cover(
            mentorships,
            month=_month_of,
            key=lambda row, months=months: (alive_at(row[1], row[3], months),),
            promotion=_row_promotion,
            final_after=months + 1,
        )
        reached = blocks.known(
            [row for row in mentorships if row[1] + relativedelta(months=months) <= now],
            month=_month_of,
            promotion=_row_promotion,
        )
        alive = sum(1 for _m, started, _p, ended in counted if alive_at(started, ended, months))
        shown = counts_of({"alive": alive, "ended": len(counted) - alive})
        if not reached:
            cells: tuple[Cell, ...] = (Cell.no_data(),) * 4
        elif not counted:
            cells = (Cell.withheld(),) * 4
        else:
            cells = (
                Cell.number(len(counted)),
                _count(shown["alive"]),
                _count(shown["ended"]),
                _share(shown["alive"], len(counted)),
            )
        label = _("%(months)s mois après le début") % {"months": months}
        rows.append(Row(label, cells))
    return Table(
        key="mentorat",
        title=_("Relations de mentorat toujours en cours 3 et 6 mois après leur début"),
        label_column=_("Moment"),
        columns=(
            _("Relations commencées dans la période et arrivées à ce moment"),
            _("Toujours en cours"),
            _("Terminées avant"),
            _("Part toujours en cours"),
        ),
        rows=tuple(rows),
        notes=(
            _(
                "Une relation commencée il y a moins de 3 (ou 6) mois n'est pas encore "
                "comptée à ce moment."
            ),
        ),
        chart_column=3,
        chart_max=100,
    )


# --- Peer groups -----------------------------------------------------------------------------


def groups_reference(period: Period, now: datetime) -> datetime:
    """The moment the groups are looked at: the end of the period, or now if it has not come."""
    return min(now, _moment(period.end))


def _groups_table(organisation: Organisation, period: Period, now: datetime) -> Table:
    at = groups_reference(period, now)
    held = Occurrence.objects.filter(
        series=OuterRef("series"),
        start__gte=at - timedelta(days=GROUP_MEETING_DAYS),
        start__lt=at,
    ).exclude(status=Occurrence.Status.CANCELLED)
    groups = PeerGroup.objects.filter(
        Q(published_at__isnull=True) | Q(published_at__lte=at),
        Q(ended_at__isnull=True) | Q(ended_at__gt=at),
        organisation=organisation,
        status__in=(PeerGroup.Status.ACTIVE, PeerGroup.Status.ENDED),
    )
    if period.promotion is not None:
        chosen = Q(cohort=period.promotion)
        groups = groups.exclude(chosen) if period.others else groups.filter(chosen)
    figures = groups.aggregate(active=Count("pk"), met=Count("pk", filter=Q(Exists(held))))
    active, met = figures["active"], figures["met"]
    # Management counts of the organisation's own groups, whose meeting dates the
    # coordination reads group by group anyway (ADR 0013): shown as they are.
    shown_met, shown_not = met, active - met
    if not active:
        rows = (
            Row(_("Groupes actifs"), (Cell.no_data(), Cell.no_data())),
            Row(_("Se sont réunis"), (Cell.no_data(), Cell.no_data())),
            Row(_("Ne se sont pas réunis"), (Cell.no_data(), Cell.no_data())),
        )
    else:
        rows = (
            Row(_("Groupes actifs"), (Cell.number(active), Cell.number(100, unit=PERCENT))),
            Row(_("Se sont réunis"), (_count(shown_met), _share(shown_met, active))),
            Row(_("Ne se sont pas réunis"), (_count(shown_not), _share(shown_not, active))),
        )
    if at < now:
        last_day = french_date(period.end - timedelta(days=1), "j F Y")
        when = _("Groupes actifs le %(date)s, fin de la période.") % {"date": last_day}
    else:
        when = _("Groupes actifs aujourd'hui.")
    return Table(
        key="groupes",
        title=_("Groupes de pairs qui se sont réunis ces 6 dernières semaines"),
        label_column=_("Situation des groupes"),
        columns=(_("Groupes"), _("Part des groupes")),
        rows=rows,
        notes=(
            when,
            _(
                "Une rencontre compte quand elle a eu lieu (passée et non annulée) dans les "
                "42 jours qui précèdent."
            ),
        ),
        chart_column=1,
        chart_max=100,
    )


# --- Commitments ---------------------------------------------------------------------------------


def _commitments_table(organisation: Organisation, period: Period) -> Table:
    commitments = Commitment.objects.filter(
        group__organisation=organisation,
        period_start__gte=period.first_month,
        period_start__lt=period.end,
    ).exclude(outcome="")
    if period.promotion is not None:
        chosen = Q(group__cohort=period.promotion)
        commitments = commitments.exclude(chosen) if period.others else commitments.filter(chosen)
    figures = commitments.aggregate(
        checked=Count("pk"),
        people=Count("user", distinct=True),
        score=Sum(
            Case(
                When(outcome=Commitment.Outcome.DONE, then=Value(1.0)),
                When(outcome=Commitment.Outcome.PARTIAL, then=Value(0.5)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        ),
    )
    checked, people = figures["checked"], figures["people"]
    rate = followed_rate(people=people, part=figures["score"] or 0, whole=checked)
    if not checked:
        cells = (Cell.no_data(), Cell.no_data())
    elif rate is None:
        cells = (Cell.withheld(), Cell.withheld())
    else:
        cells = (Cell.number(rate, unit=PERCENT), Cell.number(checked))
    return Table(
        key="engagements",
        title=_("Engagements tenus dans les groupes de pairs"),
        label_column=_("Engagements"),
        columns=(_("Taux tenu"), _("Engagements dont on a dit s'ils ont été tenus")),
        rows=(
            Row(
                _("Engagements pris pour une période qui a commencé dans la période choisie"), cells
            ),
        ),
        notes=(
            _(
                "Fait compte pour 1, en partie pour ½, pas fait pour 0 ; arrondi à la dizaine, "
                "montré à partir de 5 personnes."
            ),
        ),
        chart_column=0,
        chart_max=100,
    )


def activity_tables(organisation: Organisation, period: Period, *, now: datetime) -> list[Table]:
    """The programme's activity tables for `organisation` over `period` (see the module's
    docstring), five queries whatever the number of people."""
    blocks = _Blocks(period, month_index(timezone.localdate(now)))
    rows = _funnel_rows(ended_bilans(organisation))
    return [
        _mentorships_table(organisation, blocks, now),
        _groups_table(organisation, period, now),
        _commitments_table(organisation, period),
        _funnel_table(rows, blocks),
        _outcomes_table(rows, blocks),
        _satisfaction_table(organisation, blocks),
    ]
