"""The figures of the organisme's public results page (Qualiopi indicator 2, ADR 0038),
computed from live data over the last twelve months and kept in the shared cache for the day.

What it shows: the bilans started and ended, how many of those ended were completed (the
completion rate), the end-of-bilan satisfaction (`bilans.stats.satisfaction_summaries`) and
the programme's outcomes of the closed loop (`outcomes.loop.loop_tables`, ADR 0032). Every
figure goes through `tisser.core.small_numbers`: a count under five people is withheld; the
completion rate reads the ended bilans up to their last mark of five (`marked`), and the
completed ones only when they and the rest each count five people (`part_of`); the
satisfaction and the outcomes come already under the rule from their own modules.

Why the cache: the outcomes cost about 0.3 s to compute and the page is open to anyone. Keyed
by the organisation, the day and the language, the figures are computed at most once a day
per language and organisation, whoever asks and however often; the page says the day they
are "au". The cache is the project's shared one (prod requires dbcache or redis), so every
worker reads the same figures. A stored snapshot refreshed by a daily job would do the same
with a table, a task and a migration more, and a page empty until the job first ran."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from tisser.accounts.models import Organisation
from tisser.bilans.models import Bilan, Outcome, SatisfactionMoment
from tisser.bilans.stats import satisfaction_summaries
from tisser.core.small_numbers import Figure, count_of, marked, part_of
from tisser.outcomes.loop import loop_tables
from tisser.outcomes.period import Period
from tisser.outcomes.tables import Table

MONTHS = 12
CACHE_VERSION = 1


@dataclass(frozen=True)
class PublicResults:
    computed_on: date
    first_day: date  # the first day of the twelve months
    started: int | None  # bilans opened since first_day; None: fewer than five
    ended: int | None  # bilans ended since first_day (whatever their outcome)
    rate_over: int  # the ended bilans the completion rate reads (a multiple of five)
    completed: int | None  # of those, completed (None: withheld)
    satisfaction: tuple[tuple[str, Figure], ...]  # (item, mean 1–5) at the end of the bilan
    recommendation: Figure  # 0–10
    outcomes: tuple[Table, ...]  # the closed loop's tables with at least one figure shown

    @property
    def completion_rate(self) -> int | None:
        """The completed bilans as a percentage of those the rate reads, or None."""
        if self.completed is None or not self.rate_over:
            return None
        return round(100 * self.completed / self.rate_over)

    @property
    def outcome_sections(self) -> list[tuple[Table, list[tuple[str, list]]]]:
        """Each table with its rows as (label, [(column, cell), …]), for the page."""
        return [
            (
                table,
                [
                    (row.label, list(zip(table.columns, row.cells, strict=True)))
                    for row in table.rows
                ],
            )
            for table in self.outcomes
        ]

    @property
    def satisfaction_shown(self) -> bool:
        return self.recommendation.shown or any(f.shown for _label, f in self.satisfaction)


def public_results_compute(organisation: Organisation, *, now: datetime) -> PublicResults:
    """The figures as of `now`, over the twelve months up to and including the current one."""
    today = timezone.localdate(now)
    period = Period.last_months(today, MONTHS)
    since = timezone.make_aware(datetime.combine(period.first_month, time.min))
    bilans = Bilan.objects.filter(organisation=organisation)
    started = bilans.filter(opened_at__gte=since, opened_at__lte=now).count()
    ended = list(
        bilans.filter(closed_at__gte=since, closed_at__lte=now)
        .order_by("closed_at", "pk")
        .values_list("outcome", flat=True)
    )
    read = marked(ended)
    completed = part_of(sum(1 for outcome in read if outcome == Outcome.COMPLETED), len(read))
    summaries = {s.moment: s for s in satisfaction_summaries(organisation, since=since)}
    end = summaries[SatisfactionMoment.END]
    tables = loop_tables(organisation, period, now=now)
    return PublicResults(
        computed_on=today,
        first_day=period.first_month,
        started=count_of(started),
        ended=count_of(len(ended)),
        rate_over=len(read) if completed is not None else 0,
        completed=completed,
        satisfaction=tuple((str(label), figure) for _id, label, figure in end.items),
        recommendation=end.recommendation,
        outcomes=tuple(table for table in tables if not table.is_empty),
    )


def _key(organisation_id: int, today: date) -> str:
    language = get_language() or "fr"
    return f"quality:public-results:{CACHE_VERSION}:{organisation_id}:{today:%Y-%m-%d}:{language}"


def public_results(organisation: Organisation, *, now: datetime | None = None) -> PublicResults:
    """The figures of the day, from the cache when they were computed today (ADR 0038)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    key = _key(organisation.pk, today)
    results = cache.get(key)
    if results is None:
        results = public_results_compute(organisation, now=now)
        tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
        cache.set(key, results, timeout=max(60, int((tomorrow - now).total_seconds())))
    return results
