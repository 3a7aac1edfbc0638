"""How big a person's network is, at any moment: the four figures of the network view and of
its weekly snapshots.

The rules, as of a moment `at`:

* **contacts** — contacts created at or before `at`;
* **interviews done** — enquêtes whose stage at `at` is "entretien réalisé" or a later one
  (remercié·e, suite donnée). The stage at `at` is the one of the enquête's last dated step
  (`StageEvent`) at or before `at`: a step taken back lowers the count from then on. An enquête
  without any dated step (created outside the pipeline) counts from its current stage and the
  time it was reached (`stage_changed_at`);
* **referrals obtained** — contacts created at or before `at` who were introduced by someone:
  an "introduced by" contact, or "présenté·e par un contact" as how they are known (so that
  deleting the introducer does not take the referral back);
* **distinct sectors** — distinct sectors among those contacts: a contact's sector is the
  ROME domaine professionnel of its fiche métier when it has one (the référentiel being the
  common language), its free-text sector otherwise, normalised (case, accents, punctuation
  and spaces do not matter: "Santé" and " sante " are one sector); contacts without either
  do not count.

A person's history is read in three queries (`network_history`), then measured at as many
moments as needed without another query: the weekly chart and the snapshot task rely on it.
Deleted contacts leave the history: a week measured after a deletion counts fewer contacts
than its snapshot taken at the time, which is why snapshots are kept (see `network_weekly`).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tisser.network.models import (
    STAGE_ORDER,
    Contact,
    HowKnown,
    InformationalInterview,
    NetworkSnapshot,
    Stage,
    StageEvent,
)

DONE_STAGES = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.INTERVIEW_DONE) :])
# The chart shows at most this many weeks, the last ones.
WEEKS_SHOWN = 52


@dataclass(frozen=True)
class NetworkMetrics:
    contacts: int
    interviews_done: int
    referrals: int
    sectors: int


@dataclass(frozen=True)
class _ContactFact:
    created_at: datetime
    is_referral: bool
    sector: str  # normalised, "" when unknown


@dataclass(frozen=True)
class _Step:
    at: datetime
    tie: int  # the event's id: steps of one instant are read in the order they were saved
    interview_id: int
    stage: str


@functools.lru_cache(maxsize=4096)
def sector_key(label: str) -> str:
    """The normalised form two sector labels share when they name the same sector."""
    decomposed = unicodedata.normalize("NFKD", label)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


def day_end(day: date) -> datetime:
    """The last instant of `day`, in the current time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)) - timedelta(
        microseconds=1
    )


def week_start(day: date) -> date:
    """The Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


def week_end(monday: date) -> datetime:
    """The last instant of the week starting on `monday` (Sunday, 23:59:59.999999)."""
    return day_end(monday + timedelta(days=6))


@dataclass(frozen=True)
class NetworkHistory:
    """What a person's network is made of, dated: enough to measure it at any moment."""

    contacts: tuple[_ContactFact, ...]
    steps: tuple[_Step, ...]  # in chronological order

    @property
    def started_on(self) -> datetime | None:
        """When the first contact still in the network was added."""
        return min((fact.created_at for fact in self.contacts), default=None)

    def metrics_each(self, moments: Sequence[datetime]) -> list[NetworkMetrics]:
        """`metrics_at` of each of `moments` (in chronological order), in one pass over the
        history whatever the number of moments: the weekly chart of a network of thousands
        of contacts measures up to 52 weeks."""
        if any(later < earlier for earlier, later in itertools.pairwise(moments)):
            raise ValueError("moments must be in chronological order")
        contacts = sorted(self.contacts, key=lambda fact: fact.created_at)
        measured = []
        next_contact = next_step = referrals = done = 0
        sectors: set[str] = set()
        stage_of: dict[int, str] = {}
        for at in moments:
            while next_contact < len(contacts) and contacts[next_contact].created_at <= at:
                fact = contacts[next_contact]
                referrals += fact.is_referral
                if fact.sector:
                    sectors.add(fact.sector)
                next_contact += 1
            while next_step < len(self.steps) and self.steps[next_step].at <= at:
                step = self.steps[next_step]
                done -= stage_of.get(step.interview_id) in DONE_STAGES
                stage_of[step.interview_id] = step.stage
                done += step.stage in DONE_STAGES
                next_step += 1
            measured.append(
                NetworkMetrics(
                    contacts=next_contact,
                    interviews_done=done,
                    referrals=referrals,
                    sectors=len(sectors),
                )
            )
        return measured

    def metrics_at(self, at: datetime) -> NetworkMetrics:
        contacts = [fact for fact in self.contacts if fact.created_at <= at]
        stage_of: dict[int, str] = {}
        for step in self.steps:
            if step.at > at:
                break
            stage_of[step.interview_id] = step.stage
        return NetworkMetrics(
            contacts=len(contacts),
            interviews_done=sum(1 for stage in stage_of.values() if stage in DONE_STAGES),
            referrals=sum(1 for fact in contacts if fact.is_referral),
            sectors=len({fact.sector for fact in contacts if fact.sector}),
        )


def network_history(owner_id: int) -> NetworkHistory:
    """The dated facts of the network of the person `owner_id`, in three queries."""
    return network_histories([owner_id])[owner_id]


def network_histories(owner_ids: Iterable[int]) -> dict[int, NetworkHistory]:
    """`network_history` of several people at once, still in three queries (the daily
    snapshots read a thousand networks at a time): person id → history (an empty history
    for a person without contacts)."""
    owner_ids = list(owner_ids)
    contacts: dict[int, list[_ContactFact]] = defaultdict(list)
    for owner_id, created_at, introducer_id, how_known, sector, domaine in (
        Contact.objects.filter(owner_id__in=owner_ids)
        .order_by()
        .values_list(
            "owner_id",
            "created_at",
            "introduced_by_id",
            "how_known",
            "sector",
            "metier__domaine__libelle",
        )
    ):
        contacts[owner_id].append(
            _ContactFact(
                created_at=created_at,
                is_referral=introducer_id is not None or how_known == HowKnown.INTRODUCED,
                sector=sector_key(domaine or sector or ""),
            )
        )
    steps: dict[int, list[_Step]] = defaultdict(list)
    for owner_id, interview_id, stage, at, event_id in (
        StageEvent.objects.filter(interview__owner_id__in=owner_ids)
        .order_by()
        .values_list("interview__owner_id", "interview_id", "stage", "at", "id")
    ):
        steps[owner_id].append(_Step(at, event_id, interview_id, stage))
    # An enquête without dated steps counts from its current stage (its tie sorts it last).
    for owner_id, interview_id, stage, at in (
        InformationalInterview.objects.filter(owner_id__in=owner_ids, events__isnull=True)
        .order_by()
        .values_list("owner_id", "id", "stage", "stage_changed_at")
    ):
        steps[owner_id].append(_Step(at, 0, interview_id, stage))
    return {
        owner_id: NetworkHistory(
            contacts=tuple(contacts[owner_id]),
            steps=tuple(sorted(steps[owner_id], key=lambda step: (step.at, step.tie))),
        )
        for owner_id in owner_ids
    }


def network_metrics(owner, at: datetime | date | None = None) -> NetworkMetrics:
    """The four figures of `owner`'s network as of `at` (a moment, or the end of a day;
    now by default). Three queries."""
    if at is None:
        at = timezone.now()
    elif not isinstance(at, datetime):
        at = day_end(at)
    return network_history(owner.pk).metrics_at(at)


@dataclass(frozen=True)
class WeekMetrics:
    week: date  # its Monday
    metrics: NetworkMetrics
    recorded: bool  # from a snapshot taken at the time, rather than measured now


def network_weekly(
    owner, *, history: NetworkHistory | None = None, now: datetime | None = None
) -> list[WeekMetrics]:
    """The network's figures week by week, from the week of its first contact (or first
    snapshot) to the current week, at most the last `WEEKS_SHOWN`.

    A past week shows its snapshot when one was taken; a week without one (a network started
    before the daily task ran, or a day it did not run) is measured now from the history, as
    of the end of that week, so that a new user sees a trend from their first contact on. The
    current week is always measured now, like the figures shown next to the chart."""
    now = now or timezone.now()
    history = history or network_history(owner.pk)
    this_week = week_start(timezone.localdate(now))
    oldest = this_week - timedelta(weeks=WEEKS_SHOWN - 1)
    snapshots = {
        snapshot.week: snapshot
        for snapshot in NetworkSnapshot.objects.filter(
            owner_id=owner.pk, week__gte=oldest, week__lt=this_week
        )
    }
    starts = list(snapshots)
    if history.started_on is not None:
        starts.append(week_start(timezone.localdate(history.started_on)))
    if not starts:
        return []
    week = max(min(starts), oldest)
    mondays = []
    while week <= this_week:
        mondays.append(week)
        week += timedelta(weeks=1)
    unrecorded = [monday for monday in mondays if monday not in snapshots]
    measured = dict(
        zip(
            unrecorded,
            history.metrics_each([min(week_end(monday), now) for monday in unrecorded]),
            strict=True,
        )
    )
    weeks = []
    for monday in mondays:
        snapshot = snapshots.get(monday)
        if snapshot is not None:
            metrics = NetworkMetrics(
                contacts=snapshot.contacts,
                interviews_done=snapshot.interviews_done,
                referrals=snapshot.referrals,
                sectors=snapshot.sectors,
            )
        else:
            metrics = measured[monday]
        weeks.append(WeekMetrics(monday, metrics, recorded=snapshot is not None))
    return weeks
