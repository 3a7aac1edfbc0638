"""What a coordinator sees of the bilans of their organisation: aggregates only.

Counts by phase, hours, satisfaction (Qualiopi indicator 30) and the evolution of the
isolation check. Never a named person's answers or notes; and any mean over fewer than
MIN_RESPONSES answers is withheld (`Mean.value` is None), because with so few answers
everyone can guess whose they are."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.assessments.isolation import OVERALL
from tisser.assessments.models import IsolationCheck
from tisser.bilans import satisfaction
from tisser.bilans.models import PHASE_ORDER, Bilan, Phase, SatisfactionMoment, SatisfactionResponse
from tisser.meetings.models import Attendance, MeetingKind, Occurrence

MIN_RESPONSES = 5
NOT_ENOUGH = gettext_lazy("Pas assez de réponses (moins de 5) pour préserver l'anonymat")
ISOLATION_MOMENTS = (
    IsolationCheck.Moment.START,
    IsolationCheck.Moment.END,
    IsolationCheck.Moment.PLUS_3_MONTHS,
    IsolationCheck.Moment.PLUS_6_MONTHS,
)


@dataclass(frozen=True)
class Mean:
    """A mean of `count` answers; `value` is None below MIN_RESPONSES (withheld)."""

    value: float | None
    count: int

    @classmethod
    def of(cls, values: list[float]) -> "Mean":
        if len(values) < MIN_RESPONSES:
            return cls(value=None, count=len(values))
        return cls(value=sum(values) / len(values), count=len(values))

    @property
    def text(self) -> str:
        if self.value is None:
            return str(NOT_ENOUGH)
        return number_format(round(self.value, 1), decimal_pos=1)


@dataclass(frozen=True)
class SatisfactionSummary:
    moment: SatisfactionMoment
    count: int
    items: tuple[tuple[str, Promise, Mean], ...]
    recommendation: Mean

    @property
    def enough(self) -> bool:
        return self.count >= MIN_RESPONSES


@dataclass(frozen=True)
class BilanStats:
    organisation: Organisation
    by_phase: tuple[tuple[Phase, int], ...]
    total: int
    closed_this_year: int
    average_hours: Decimal | None
    closed_count: int
    satisfaction: tuple[SatisfactionSummary, ...]
    isolation: tuple[tuple[IsolationCheck.Moment, Mean], ...]
    computed_at: datetime

    @property
    def satisfaction_table(self) -> tuple[tuple[Promise, tuple[Mean, ...]], ...]:
        """One row per question (the recommendation last), one Mean per moment."""
        rows = [
            (label, tuple(summary.items[index][2] for summary in self.satisfaction))
            for index, (_id, label, _mean) in enumerate(self.satisfaction[0].items)
        ]
        rows.append(
            (
                satisfaction.RECOMMENDATION_SHORT,
                tuple(summary.recommendation for summary in self.satisfaction),
            )
        )
        return tuple(rows)

    @property
    def average_hours_text(self) -> str:
        if self.average_hours is None:
            return "—"
        return number_format(self.average_hours, decimal_pos=1)


def _average_effective_hours(organisation: Organisation) -> tuple[Decimal | None, int]:
    """Mean effective hours (entretiens the beneficiary attended) of the closed bilans."""
    closed = list(
        Bilan.objects.filter(organisation=organisation, status=Phase.CLOSED).values_list(
            "pk", flat=True
        )
    )
    if not closed:
        return None, 0
    attended = (
        Occurrence.objects.scheduled()
        .filter(
            series__kind=MeetingKind.BILAN_SESSION,
            series__bilan_session__bilan__in=closed,
            attendances__status=Attendance.Status.PRESENT,
            attendances__user=F("series__bilan_session__bilan__beneficiary"),
        )
        .values_list("start", "end")
    )
    minutes = sum((end - start).total_seconds() // 60 for start, end in attended)
    return (Decimal(minutes) / 60 / len(closed)).quantize(Decimal("0.1")), len(closed)


def _satisfaction(organisation: Organisation) -> tuple[SatisfactionSummary, ...]:
    rows = SatisfactionResponse.objects.filter(bilan__organisation=organisation).values_list(
        "moment", "answers"
    )
    answers_by_moment: dict[str, list[dict]] = {}
    for moment, answers in rows:
        answers_by_moment.setdefault(moment, []).append(answers)
    summaries = []
    for moment in SatisfactionMoment:
        answers = answers_by_moment.get(moment, [])
        items = tuple(
            (
                item.id,
                item.short,
                Mean.of([a[item.id] for a in answers if isinstance(a.get(item.id), int)]),
            )
            for item in satisfaction.ITEMS
        )
        recommendation = Mean.of(
            [
                a[satisfaction.RECOMMENDATION]
                for a in answers
                if isinstance(a.get(satisfaction.RECOMMENDATION), int)
            ]
        )
        summaries.append(
            SatisfactionSummary(
                moment=moment, count=len(answers), items=items, recommendation=recommendation
            )
        )
    return tuple(summaries)


def _isolation(organisation: Organisation) -> tuple[tuple[IsolationCheck.Moment, Mean], ...]:
    """Mean overall isolation score per moment, one check per person (their latest of that
    moment), among the organisation's checks."""
    latest: dict[tuple[str, int], int] = {}
    rows = (
        IsolationCheck.objects.filter(organisation=organisation, moment__in=ISOLATION_MOMENTS)
        .order_by("created_at", "id")
        .values_list("moment", "user_id", "scores")
    )
    for moment, user_id, scores in rows:
        if isinstance(scores.get(OVERALL), int):
            latest[(moment, user_id)] = scores[OVERALL]
    return tuple(
        (
            moment,
            Mean.of([score for (m, _user), score in latest.items() if m == moment]),
        )
        for moment in ISOLATION_MOMENTS
    )


def bilan_stats(*, coordinator: User, organisation: Organisation) -> BilanStats:
    """The aggregates of `organisation`'s bilans for one of its coordinators
    (PermissionDenied for anyone else). A handful of queries whatever the size."""
    require_coordinator_of(coordinator, organisation)
    current = timezone.now()
    counts = dict(
        Bilan.objects.filter(organisation=organisation)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    closed_this_year = Bilan.objects.filter(
        organisation=organisation,
        status=Phase.CLOSED,
        closed_at__year=timezone.localdate(current).year,
    ).count()
    average_hours, closed_count = _average_effective_hours(organisation)
    return BilanStats(
        organisation=organisation,
        by_phase=tuple((phase, counts.get(phase.value, 0)) for phase in PHASE_ORDER),
        total=sum(counts.values()),
        closed_this_year=closed_this_year,
        average_hours=average_hours,
        closed_count=closed_count,
        satisfaction=_satisfaction(organisation),
        isolation=_isolation(organisation),
        computed_at=current,
    )


def bilan_stats_rows(stats: BilanStats) -> list[list[str]]:
    """The aggregates as table rows (header first) for the CSV export: indicator, moment,
    value, number of answers. Withheld means say so in the value column."""
    rows = [[_("Indicateur"), _("Moment"), _("Valeur"), _("Nombre de réponses")]]
    for phase, count in stats.by_phase:
        rows.append([_("Bilans : %(phase)s") % {"phase": phase.label}, "", str(count), ""])
    rows.append([_("Bilans au total"), "", str(stats.total), ""])
    rows.append([_("Bilans terminés cette année"), "", str(stats.closed_this_year), ""])
    rows.append(
        [
            _("Heures effectuées en moyenne (bilans terminés)"),
            "",
            stats.average_hours_text,
            str(stats.closed_count),
        ]
    )
    for summary in stats.satisfaction:
        moment = str(summary.moment.label)
        for _id, label, mean in summary.items:
            rows.append(
                [
                    _("Satisfaction : %(item)s (1 à 5)") % {"item": label},
                    moment,
                    mean.text,
                    str(mean.count),
                ]
            )
        rows.append(
            [
                _("Satisfaction : recommandation (0 à 10)"),
                moment,
                summary.recommendation.text,
                str(summary.recommendation.count),
            ]
        )
    for moment, mean in stats.isolation:
        rows.append(
            [
                _("Isolement : score global moyen (0 à 100)"),
                str(moment.label),
                mean.text,
                str(mean.count),
            ]
        )
    return rows
