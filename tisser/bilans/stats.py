"""What a coordinator sees of the bilans of their organisation: aggregates only.

Counts by phase, hours and satisfaction (Qualiopi indicator 30). Never a named person's
answers or notes; every mean goes through the small-numbers rule
(`tisser.core.small_numbers`): withheld under 5 people, and computed up to the last mark of
five people so that two readings never differ by one person's answer.

The isolation check is not read here: the programme's outcomes (`coordinator:outcomes`)
are the one place for it, paired and over the population of a period. Two readings of one
measure over different populations on two pages would let one subtract the other (ADR 0013,
update of issue #17)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tisser.accounts.access import require_coordinator_of
from tisser.accounts.models import Organisation, User
from tisser.bilans import outcome_figures, satisfaction
from tisser.bilans.models import (
    PHASE_ORDER,
    Bilan,
    Outcome,
    Phase,
    SatisfactionMoment,
    SatisfactionResponse,
)
from tisser.core.small_numbers import MIN_PEOPLE, WITHHELD, Figure, blocks_view, mean_of
from tisser.meetings.models import Attendance, MeetingKind, Occurrence

MIN_RESPONSES = MIN_PEOPLE
NOT_ENOUGH = WITHHELD


@dataclass(frozen=True)
class SatisfactionSummary:
    moment: SatisfactionMoment
    count: int
    items: tuple[tuple[str, Promise, Figure], ...]
    recommendation: Figure


@dataclass(frozen=True)
class BilanStats:
    organisation: Organisation
    by_phase: tuple[tuple[Phase, int], ...]
    # How the ended bilans ended (management data, like the phases).
    by_outcome: tuple[tuple[Outcome, int], ...]
    total: int
    closed_this_year: int
    hours: Figure
    satisfaction: tuple[SatisfactionSummary, ...]
    computed_at: datetime

    @property
    def by_phase_figures(self) -> tuple[tuple[str, int], ...]:
        """(what the count says, count) per phase, the noun agreeing with the count."""
        return tuple((phase.count_label(count), count) for phase, count in self.by_phase)

    @property
    def satisfaction_table(self) -> tuple[tuple[Promise, tuple[Figure, ...]], ...]:
        """One row per question (the recommendation last), one Figure per moment."""
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
    def average_hours(self) -> Decimal | None:
        if self.hours.value is None:
            return None
        return Decimal(str(self.hours.value)).quantize(Decimal("0.1"))

    @property
    def closed_count(self) -> int:
        """The closed bilans behind the mean hours (see `Figure.people`)."""
        return self.hours.people

    @property
    def average_hours_text(self) -> str:
        if self.average_hours is None:
            return self.hours.text
        return number_format(self.average_hours, decimal_pos=1)


def _effective_hours(organisation: Organisation) -> Figure:
    """Mean effective hours (entretiens the beneficiary attended) of the closed bilans, in
    the order they were closed."""
    closed = list(
        Bilan.objects.filter(organisation=organisation, status=Phase.CLOSED)
        .order_by("closed_at", "pk")
        .values_list("pk", flat=True)
    )
    if not closed:
        return mean_of([])
    # Summed by the database, one row per bilan (not one per entretien).
    attended = (
        Occurrence.objects.scheduled()
        .filter(
            series__organisation=organisation,
            series__kind=MeetingKind.BILAN_SESSION,
            series__bilan_session__bilan__organisation=organisation,
            series__bilan_session__bilan__status=Phase.CLOSED,
            attendances__status=Attendance.Status.PRESENT,
            attendances__user=F("series__bilan_session__bilan__beneficiary"),
        )
        .values("series__bilan_session__bilan")
        .annotate(
            duration=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField()))
        )
        .values_list("series__bilan_session__bilan", "duration")
    )
    minutes = dict.fromkeys(closed, 0.0)
    for bilan_id, duration in attended:
        if bilan_id in minutes and duration is not None:
            minutes[bilan_id] += duration.total_seconds() // 60
    return mean_of((bilan_id, minutes[bilan_id] / 60) for bilan_id in closed)


def _blocks_mean(answers: list[tuple], key: str) -> Figure:
    """The mean of `key` over `answers` (covered by `blocks_view`, see `_satisfaction`)."""
    values = [a[key] for *_rest, a in answers if isinstance(a.get(key), int)]
    if not values:
        return Figure(value=None, over=0, count=0)
    return Figure(value=sum(values) / len(values), over=len(values), count=len(values))


def satisfaction_summaries(
    organisation: Organisation, *, since: datetime | None = None
) -> tuple[SatisfactionSummary, ...]:
    """The satisfaction at each moment, over the answers given `since` (all of them when
    None), through the same blocks of five as the coordinator's figures (`_satisfaction`):
    what the organisme's public results page shows (ADR 0038). No permission: the figures
    are aggregates under the small-numbers rule, published by the organisme's choice."""
    return _satisfaction(organisation, since=since)


def _satisfaction(
    organisation: Organisation, *, since: datetime | None = None
) -> tuple[SatisfactionSummary, ...]:
    """The satisfaction at each moment, over the answers in the order they arrived, each
    promotion in its own sequence cut once into blocks of five (`blocks_view`): the very blocks
    the programme's outcomes read for a period and a promotion (ADR 0032), so that no two
    readings, here or there, are one person apart. Three queries: the answers, their bilans'
    people, their promotions (the peers' registered figure). With `since`, the blocks wholly
    given since then (the earlier answers only place the cuts)."""
    rows = list(
        SatisfactionResponse.objects.filter(bilan__organisation=organisation)
        .order_by("created_at", "pk")
        .values_list("moment", "created_at", "pk", "bilan_id", "answers")
    )
    bilans = list(
        Bilan.objects.filter(pk__in={row[3] for row in rows}).only(
            "pk", "beneficiary_id", "organisation_id", "opened_at"
        )
    )
    promotions = outcome_figures.figure_of_many(bilans, "promotion")
    answers_by_moment: dict[str, list[tuple]] = {}
    for moment, created_at, pk, bilan_id, answers in rows:
        answers_by_moment.setdefault(moment, []).append((created_at, pk, bilan_id, answers))
    summaries = []
    for moment in SatisfactionMoment:
        every = answers_by_moment.get(moment, [])
        given = every if since is None else [a for a in every if a[0] >= since]
        covered = blocks_view(
            every,
            sequence=lambda answer: promotions.get(answer[2]) or "",
            order=lambda answer: (answer[0], answer[1]),
            within=lambda answer: since is None or answer[0] >= since,
            before=None if since is None else (lambda answer: answer[0] < since),
        )

        def figure(key: str, covered=covered, given=given) -> Figure:
            shown = _blocks_mean(covered, key)
            count = sum(1 for *_rest, a in given if isinstance(a.get(key), int))
            return Figure(value=shown.value, over=shown.over, count=count)

        items = tuple((item.id, item.short, figure(item.id)) for item in satisfaction.ITEMS)
        summaries.append(
            SatisfactionSummary(
                moment=moment,
                count=len(given),
                items=items,
                recommendation=figure(satisfaction.RECOMMENDATION),
            )
        )
    return tuple(summaries)


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
    outcomes = dict(
        Bilan.objects.filter(organisation=organisation, status=Phase.CLOSED)
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    closed_this_year = Bilan.objects.filter(
        organisation=organisation,
        status=Phase.CLOSED,
        closed_at__year=timezone.localdate(current).year,
    ).count()
    return BilanStats(
        organisation=organisation,
        by_phase=tuple((phase, counts.get(phase.value, 0)) for phase in PHASE_ORDER),
        by_outcome=tuple((outcome, outcomes.get(outcome.value, 0)) for outcome in Outcome),
        total=sum(counts.values()),
        closed_this_year=closed_this_year,
        hours=_effective_hours(organisation),
        satisfaction=_satisfaction(organisation),
        computed_at=current,
    )


def bilan_stats_rows(stats: BilanStats) -> list[list[str]]:
    """The aggregates as table rows (header first) for the CSV export: indicator, moment,
    value, number of answers. Withheld means say so in the value column."""
    rows = [[_("Indicateur"), _("Moment"), _("Valeur"), _("Nombre de réponses")]]
    for phase, count in stats.by_phase:
        rows.append([_("Bilans : %(phase)s") % {"phase": phase.label}, "", str(count), ""])
    for outcome, count in stats.by_outcome:
        rows.append(
            [_("Bilans terminés : %(outcome)s") % {"outcome": outcome.label}, "", str(count), ""]
        )
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
                    str(mean.people),
                ]
            )
        rows.append(
            [
                _("Satisfaction : recommandation (0 à 10)"),
                moment,
                summary.recommendation.text,
                str(summary.recommendation.people),
            ]
        )
    return rows
