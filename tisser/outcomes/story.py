"""One person's story, in one place (issue #17): where she is (before, during or after her
bilan), the one thing to do next, and, on one time axis, her isolation checks beside her
network and her meetings. Pure reads: nothing here writes.

**Where she is.** *Before*: no bilan yet, or a bilan in its préliminaire phase; *during*:
investigation or conclusion; *after*: her last bilan ended and none is open. The bilan the
story follows is the open one, else the last one ended, in the organisation read.

**What the story is made of**, all in the organisation read except the network, which is the
person's own (`tisser.network` has no organisation of its own to read by):

* the isolation checks that still exist, with the overall score, the felt dimension
  (`isolation.SAFETY_NET_DIMENSION`) and, when the check asked them, the research measures
  (`isolation.LONELY_FREQUENCY`, 1 never … 5 often or always; `isolation.LONELINESS_SCALE`,
  3 … 9). After a bilan its checks are destroyed (R6313-7, ADR 0014) unless an agreement
  keeps them: `Story.destroyed_on` names the bilans whose checks went, so that the page says
  so rather than show a hole;
* the network week by week, by the rules of `tisser.network.metrics` (contacts, enquêtes
  done, introductions received), the weekly snapshot taken at the time preferred when there
  is one, plus the longest referral chain (« un contact en amène un autre »: how many
  introductions follow one another through `Contact.introduced_by`; a contact known as
  "présenté·e par un contact" without the introducer recorded counts as one);
* mentor meetings held (past, not cancelled, and the person not marked absent or excused),
  group meetings attended (the same, while she was a member of the group), commitments kept
  (checked in as done) and help given and received in her groups;
* milestones: bilan start and end, first enquête done, mentor (the first mentorship's
  start) and the mentorship's end (the last one's, once none goes on), group (the first
  group joined).

**The next action**, one, the first that applies in this order (`next_action`, in
`tisser.outcomes.story_next`):

1. the starting isolation check, when none was taken for the bilan (from 30 days before it
   opened) or, without a bilan, none at all;
2. the follow-up check due after the bilan (+3 or +6 months: the latest moment due and not
   taken, for FOLLOWUP_OPEN after it fell due, see `tisser.bilans.followup`). Never the end
   check: a check is the bilan's end check only when taken while the bilan runs
   (`bilans.working_documents`), so that one taken after the end would not count as such; nor
   a moment whose check the destruction may have taken (`FollowUpMoment.unknown`: the page
   says no trace is left);
3. the consent to the bilan, while it is still to be given;
4. an entretien, a group meeting or a mentor meeting within SOON (in that order): prepare it;
5. the first contact, once the bilan is past its préliminaire phase and the network empty;
6. the next entretien planned, later on;
7. otherwise: during the bilan, « Mon bilan »; after it, her network; before it, the métiers.

(`SOON`, `Stage`, `ActionKind`, `Facts`, `NextAction`, `Upcoming` and `next_action` are
imported here from `story_next` so that callers read one module.)

The whole story costs the same number of queries whatever the number of checks, contacts,
meetings or weeks (`story_of`)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from tisser.accounts.models import Organisation, User
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.bilans.followup import reminders_of
from tisser.bilans.models import Bilan, KeepAgreement, Phase, PhaseTransition
from tisser.bilans.notice_kinds import BilanNotice
from tisser.meetings.models import Attendance, MeetingKind, Occurrence
from tisser.mentoring.models import Mentorship
from tisser.network.metrics import DONE_STAGES, network_history, week_end, week_start
from tisser.network.models import Contact, HowKnown, NetworkSnapshot
from tisser.outcomes.story_next import (
    SOON,
    ActionKind,
    Facts,
    NextAction,
    Stage,
    Upcoming,
    next_action,
)
from tisser.peers.models import Commitment, Contribution, PeerGroupMember

# A check taken this long before the bilan opened is its starting point.
START_CHECK_BEFORE = timedelta(days=30)
# A follow-up check is offered this long after it fell due.
FOLLOWUP_OPEN = timedelta(days=90)
# The weeks the story shows at most, the last ones.
WEEKS_SHOWN = 104
# A stretch this long without a check is said in words.
QUIET_GAP = timedelta(weeks=8)
NOT_ATTENDED = (Attendance.Status.ABSENT, Attendance.Status.EXCUSED)


@dataclass(frozen=True)
class CheckPoint:
    at: datetime
    moment: str
    overall: int | None
    felt: int | None
    lonely_frequency: int | None = None
    loneliness_scale: int | None = None

    @property
    def moment_label(self) -> str:
        try:
            return str(IsolationCheck.Moment(self.moment).label)
        except ValueError:
            return ""


@dataclass(frozen=True)
class Week:
    """The network and the meetings as of the end of one week (now for the current one)."""

    monday: date
    at: datetime
    contacts: int = 0
    interviews_done: int = 0
    referrals: int = 0
    chain: int = 0
    mentor_meetings: int = 0
    group_meetings: int = 0
    commitments_kept: int = 0
    help_given: int = 0
    help_received: int = 0
    recorded: bool = False  # the network's figures come from the snapshot of that week

    @property
    def ends_on(self) -> date:
        """The day its figures are counted at: the week's Sunday, today for this week."""
        return timezone.localdate(self.at)


# The weekly figures, in the order pages show them.
NETWORK_FIELDS = ("contacts", "interviews_done", "referrals", "chain")
MEETING_FIELDS = (
    "mentor_meetings",
    "group_meetings",
    "commitments_kept",
    "help_given",
    "help_received",
)


class MilestoneKind(StrEnum):
    BILAN_START = "bilan_start"
    BILAN_END = "bilan_end"
    FIRST_INTERVIEW = "first_interview"
    MENTOR = "mentor"
    MENTOR_END = "mentor_end"
    GROUP = "group"


@dataclass(frozen=True)
class Milestone:
    kind: MilestoneKind
    at: datetime


@dataclass(frozen=True)
class FollowUpMoment:
    moment: str
    due: date
    done: bool
    # Due before the bilan's checks were destroyed and not found: taken then destroyed, or
    # never taken — nobody can tell any more.
    unknown: bool = False

    @property
    def label(self) -> str:
        return str(IsolationCheck.Moment(self.moment).label)


@dataclass(frozen=True)
class Story:
    person: User
    organisation: Organisation
    now: datetime
    stage: Stage
    bilan: Bilan | None
    phase_since: datetime | None
    checks: tuple[CheckPoint, ...]
    weeks: tuple[Week, ...]
    milestones: tuple[Milestone, ...]
    action: NextAction
    # The end day of each ended bilan whose checks were destroyed (R6313-7).
    destroyed_on: tuple[date, ...] = ()
    # The last day an agreement keeps the checks of the bilan followed, when one does.
    checks_kept_until: date | None = None
    followup: tuple[FollowUpMoment, ...] = ()
    # The longest referral chain, by names, when they may be shown (else empty).
    chain_names: tuple[str, ...] = ()
    names_shown: bool = True
    weeks_cut: bool = False  # older weeks left out (WEEKS_SHOWN)
    gaps: tuple[tuple[date, date], ...] = field(default=())

    @property
    def started_at(self) -> datetime:
        """The start of the time axis: the first dated thing of the story."""
        moments = [self.now]
        moments += [check.at for check in self.checks]
        moments += [milestone.at for milestone in self.milestones]
        if self.weeks:
            moments.append(day_start(self.weeks[0].monday))
        return min(moments)

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    @property
    def last(self) -> Week | None:
        return self.weeks[-1] if self.weeks else None

    @property
    def bilan_checks(self) -> tuple[CheckPoint, ...]:
        """The checks from the bilan's start on (all of them without a bilan)."""
        if self.bilan is None:
            return self.checks
        since = self.bilan.opened_at - START_CHECK_BEFORE
        return tuple(check for check in self.checks if check.at >= since)

    @property
    def is_empty(self) -> bool:
        """Nothing measured yet: no check, no contact, no meeting."""
        last = self.last
        return not self.checks and (
            last is None or not any(getattr(last, name) for name in NETWORK_FIELDS + MEETING_FIELDS)
        )

    def has_any(self, fields: Sequence[str]) -> bool:
        return any(getattr(week, name) for week in self.weeks for name in fields)


def day_start(day: date) -> datetime:
    """The first instant of `day`, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def chain_depths(rows: Sequence[tuple[int, int | None, str]]) -> dict[int, int]:
    """Contact id → how many introductions lead to it: 0 for a contact met directly, the
    introducer's plus one for a contact introduced by another, 1 for a contact known as
    "présenté·e par un contact" whose introducer is not recorded. `rows` are (id,
    introduced_by id, how known); a loop (which the services refuse) stops the count."""
    introducer = {pk: by for pk, by, _how in rows}
    how = {pk: known for pk, _by, known in rows}
    depths: dict[int, int] = {}
    for start in introducer:
        path: list[int] = []
        pk = start
        # Up to a contact already measured, one met directly, or round a loop.
        while pk not in depths and pk not in path:
            path.append(pk)
            by = introducer[pk]
            if by is None or by not in introducer:
                break
            pk = by
        for node in reversed(path):
            by = introducer[node]
            if by is not None and by in depths:
                depths[node] = depths[by] + 1
            elif by is not None or how[node] == HowKnown.INTRODUCED:
                depths[node] = 1
            else:
                depths[node] = 0
    return depths


def _count_until(times: list[datetime], at: datetime) -> int:
    return bisect.bisect_right(times, at)


def _weeks(start: datetime, now: datetime) -> list[date]:
    this_week = week_start(timezone.localdate(now))
    first = max(week_start(timezone.localdate(start)), this_week - timedelta(weeks=WEEKS_SHOWN - 1))
    mondays = []
    monday = first
    while monday <= this_week:
        mondays.append(monday)
        monday += timedelta(weeks=1)
    return mondays


def _followup(bilan: Bilan, checks: Sequence[CheckPoint], now: datetime):
    """The follow-up moments of an ended bilan (end, +3, +6 months) and whether each was
    taken; the moment due now, if any (the latest due, not taken, still open)."""
    if bilan.status != Phase.CLOSED or bilan.closed_at is None:
        return (), ""
    moments = []
    due_now = ""
    for reminder in reminders_of(bilan.closed_at):
        if reminder.kind != BilanNotice.ISOLATION_CHECK_REMINDER:
            continue
        done = any(c.moment == reminder.moment and c.at >= bilan.opened_at for c in checks)
        destroyed = bilan.outcome_recorded_at
        moments.append(
            FollowUpMoment(
                str(reminder.moment),
                timezone.localdate(reminder.due),
                done,
                unknown=not done and destroyed is not None and reminder.due <= destroyed,
            )
        )
        if (
            reminder.moment != IsolationCheck.Moment.END
            and not done
            and not moments[-1].unknown
            and reminder.due <= now < reminder.due + FOLLOWUP_OPEN
        ):
            due_now = str(reminder.moment)
    return tuple(moments), due_now


def _gaps(checks: Sequence[CheckPoint], now: datetime) -> tuple[tuple[date, date], ...]:
    """The stretches of at least QUIET_GAP without a check, between two checks or since the
    last one."""
    gaps = []
    moments = [check.at for check in checks] + [now]
    for before, after in itertools.pairwise(moments):
        if after - before >= QUIET_GAP:
            gaps.append((timezone.localdate(before), timezone.localdate(after)))
    return tuple(gaps)


def story_of(
    person: User,
    organisation: Organisation,
    *,
    names: bool = True,
    now: datetime | None = None,
) -> Story:
    """`person`'s story in `organisation` (see the module docstring). `names`: whether the
    names of her contacts may be read (herself, or her consultant when she shares her
    network); without, not one is read. A fixed number of queries (about fifteen)."""
    now = now or timezone.now()
    bilans = list(
        Bilan.objects.filter(beneficiary=person, organisation=organisation)
        .select_related("consent")
        .order_by("-opened_at", "-id")
    )
    bilan = next((b for b in bilans if b.status != Phase.CLOSED), None) or next(iter(bilans), None)
    if bilan is None or bilan.status == Phase.PRELIMINARY:
        stage = Stage.BEFORE
    elif bilan.status == Phase.CLOSED:
        stage = Stage.AFTER
    else:
        stage = Stage.DURING
    phase_since = None
    if bilan is not None and bilan.status not in (Phase.CLOSED, Phase.PRELIMINARY):
        phase_since = (
            PhaseTransition.objects.filter(bilan=bilan, to_phase=bilan.status)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )

    checks = tuple(
        CheckPoint(
            at=created_at,
            moment=moment,
            overall=_int(scores.get(isolation.OVERALL)),
            felt=_int(scores.get(isolation.SAFETY_NET_DIMENSION)),
            lonely_frequency=_int(scores.get(isolation.LONELY_FREQUENCY)),
            loneliness_scale=_int(scores.get(isolation.LONELINESS_SCALE)),
        )
        for created_at, moment, scores in IsolationCheck.objects.filter(
            user=person, organisation=organisation
        )
        .order_by("created_at", "id")
        .values_list("created_at", "moment", "scores")
        if isinstance(scores, dict)
    )

    # The network: its dated history (three queries), the referral chains (one) and the
    # snapshots of the weeks shown (one).
    history = network_history(person.pk)
    contact_rows = list(
        Contact.objects.filter(owner=person)
        .order_by()
        .values_list(
            "id",
            "introduced_by_id",
            "how_known",
            "created_at",
            *(("first_name", "last_name") if names else ()),
        )
    )
    depths = chain_depths([(row[0], row[1], row[2]) for row in contact_rows])
    chain_events = sorted(
        (row[3], depths.get(row[0], 0)) for row in contact_rows if depths.get(row[0], 0)
    )
    chain_names: tuple[str, ...] = ()
    if names and depths:
        by_id = {row[0]: row for row in contact_rows}
        deepest = max(depths, key=lambda pk: (depths[pk], -by_id[pk][3].timestamp(), -pk))
        if depths[deepest]:
            walk: list[str] = []
            pk: int | None = deepest
            while pk is not None and pk in by_id and len(walk) <= depths[deepest]:
                row = by_id[pk]
                walk.append(" ".join(part for part in (row[4], row[5]) if part))
                pk = row[1]
            chain_names = tuple(reversed(walk))

    # Mentorships and groups (two queries), then every meeting that matters (one).
    mentorships = list(
        Mentorship.objects.filter(mentee=person, organisation=organisation).values_list(
            "started_at", "series_id", "ended_at"
        )
    )
    memberships: list[tuple[datetime, datetime | None, int | None]] = [
        (accepted_at, left_at, series)
        for accepted_at, left_at, series in PeerGroupMember.objects.filter(
            user=person, group__organisation=organisation, accepted_at__isnull=False
        ).values_list("accepted_at", "left_at", "group__series_id")
        if accepted_at is not None
    ]
    mentor_series = {series for _at, series, _end in mentorships if series}
    group_spans: dict[int, list[tuple[datetime, datetime | None]]] = {}
    for accepted_at, left_at, series in memberships:
        if series:
            group_spans.setdefault(series, []).append((accepted_at, left_at))
    her_attendance = Attendance.objects.filter(occurrence=OuterRef("pk"), user=person)
    wanted = Q(series_id__in=mentor_series | set(group_spans))
    if bilan is not None and bilan.status != Phase.CLOSED:
        wanted |= Q(series__bilan_session__bilan=bilan, start__gt=now)
    meetings = (
        list(
            Occurrence.objects.scheduled()
            .filter(wanted)
            .annotate(attendance=Subquery(her_attendance.values("status")[:1]))
            .order_by("start", "id")
            .values_list("id", "series_id", "series__kind", "start", "attendance")
        )
        if mentor_series or group_spans or (bilan is not None and bilan.status != Phase.CLOSED)
        else []
    )
    mentor_held: list[datetime] = []
    group_held: list[datetime] = []
    next_of: dict[str, Upcoming] = {}
    for occurrence_id, series_id, kind, start, attendance in meetings:
        if start > now:
            key = {
                MeetingKind.BILAN_SESSION: "entretien",
                MeetingKind.MENTORING: "mentor",
                MeetingKind.PEER_GROUP: "group",
            }.get(kind)
            if key and key not in next_of:
                if key == "group" and not any(
                    left is None for _a, left in group_spans.get(series_id, ())
                ):
                    continue
                next_of[key] = Upcoming(occurrence_id, start)
            continue
        if attendance in NOT_ATTENDED:
            continue
        if series_id in mentor_series:
            mentor_held.append(start)
        elif any(
            accepted <= start and (left is None or start < left)
            for accepted, left in group_spans.get(series_id, ())
        ):
            group_held.append(start)

    kept = sorted(
        at or end
        for at, end in Commitment.objects.filter(
            user=person, group__organisation=organisation, outcome=Commitment.Outcome.DONE
        ).values_list("checked_in_at", "created_at")
    )
    given: list[datetime] = []
    received: list[datetime] = []
    for giver_id, created_at in Contribution.objects.filter(
        Q(giver=person) | Q(receiver=person), group__organisation=organisation
    ).values_list("giver_id", "created_at"):
        (given if giver_id == person.pk else received).append(created_at)
    given.sort()
    received.sort()

    # Milestones.
    milestones = []
    if bilan is not None:
        milestones.append(Milestone(MilestoneKind.BILAN_START, bilan.opened_at))
        if bilan.closed_at is not None:
            milestones.append(Milestone(MilestoneKind.BILAN_END, bilan.closed_at))
    first_done = next((step.at for step in history.steps if step.stage in DONE_STAGES), None)
    if first_done is not None:
        milestones.append(Milestone(MilestoneKind.FIRST_INTERVIEW, first_done))
    if mentorships:
        milestones.append(Milestone(MilestoneKind.MENTOR, min(at for at, _s, _e in mentorships)))
        ended = [end for _at, _s, end in mentorships if end is not None]
        if len(ended) == len(mentorships):
            milestones.append(Milestone(MilestoneKind.MENTOR_END, max(ended)))
    if memberships:
        milestones.append(Milestone(MilestoneKind.GROUP, min(at for at, _l, _s in memberships)))
    milestones.sort(key=lambda milestone: milestone.at)

    # The weeks, from the first dated thing to this week.
    starts = [now, *(check.at for check in checks), *(m.at for m in milestones)]
    starts += [row[3] for row in contact_rows]
    starts += list(mentor_held + group_held + kept + given + received)
    mondays = _weeks(min(starts), now)
    this_week = mondays[-1]
    snapshots = {
        row[0]: row[1:]
        for row in NetworkSnapshot.objects.filter(
            owner=person, week__gte=mondays[0], week__lt=this_week
        ).values_list("week", "contacts", "interviews_done", "referrals")
    }
    moments = [min(week_end(monday), now) for monday in mondays]
    measured = history.metrics_each(moments)
    chain_times = [at for at, _depth in chain_events]
    weeks = []
    for monday, at, metrics in zip(mondays, moments, measured, strict=True):
        snapshot = snapshots.get(monday)
        reached = chain_events[: _count_until(chain_times, at)]
        weeks.append(
            Week(
                monday=monday,
                at=at,
                contacts=snapshot[0] if snapshot else metrics.contacts,
                interviews_done=snapshot[1] if snapshot else metrics.interviews_done,
                referrals=snapshot[2] if snapshot else metrics.referrals,
                chain=max((depth for _at, depth in reached), default=0),
                mentor_meetings=_count_until(mentor_held, at),
                group_meetings=_count_until(group_held, at),
                commitments_kept=_count_until(kept, at),
                help_given=_count_until(given, at),
                help_received=_count_until(received, at),
                recorded=snapshot is not None,
            )
        )

    # What the law destroyed, and what an agreement keeps.
    closed = [b for b in bilans if b.status == Phase.CLOSED]
    destroyed_on = tuple(
        timezone.localdate(b.closed_at)
        for b in closed
        if b.outcome_recorded_at is not None and b.closed_at is not None
    )
    checks_kept_until = None
    if bilan is not None and bilan.status == Phase.CLOSED and bilan.outcome_recorded_at is None:
        for agreement in KeepAgreement.objects.filter(bilan=bilan).standing():
            if "isolation_checks" in agreement.kinds:
                until = agreement.ends_on(bilan.closed_at)
                if until is not None and (checks_kept_until is None or until > checks_kept_until):
                    checks_kept_until = until

    followup, followup_due = _followup(bilan, checks, now) if bilan else ((), "")
    if bilan is not None:
        has_start_check = any(c.at >= bilan.opened_at - START_CHECK_BEFORE for c in checks)
        if stage == Stage.AFTER:
            # After the bilan its start is long past: the follow-up checks take over.
            has_start_check = True
    else:
        has_start_check = bool(checks)
    facts = Facts(
        stage=stage,
        has_bilan=bilan is not None and stage != Stage.AFTER,
        phase=bilan.status if bilan is not None else "",
        has_start_check=has_start_check,
        followup_due=followup_due,
        consent_missing=(
            bilan is not None
            and bilan.status != Phase.CLOSED
            and getattr(bilan, "consent", None) is None
        ),
        contacts=weeks[-1].contacts if weeks else 0,
        next_entretien=next_of.get("entretien"),
        next_group=next_of.get("group"),
        next_mentor=next_of.get("mentor"),
    )
    return Story(
        person=person,
        organisation=organisation,
        now=now,
        stage=stage,
        bilan=bilan,
        phase_since=phase_since,
        checks=checks,
        weeks=tuple(weeks),
        milestones=tuple(milestones),
        action=next_action(facts, now=now),
        destroyed_on=destroyed_on,
        checks_kept_until=checks_kept_until,
        followup=followup,
        chain_names=chain_names,
        names_shown=names,
        weeks_cut=week_start(timezone.localdate(min(starts))) < mondays[0],
        gaps=_gaps(checks, now),
    )


__all__ = [
    "MEETING_FIELDS",
    "NETWORK_FIELDS",
    "SOON",
    "ActionKind",
    "CheckPoint",
    "Facts",
    "FollowUpMoment",
    "Milestone",
    "MilestoneKind",
    "NextAction",
    "Stage",
    "Story",
    "Upcoming",
    "Week",
    "chain_depths",
    "day_start",
    "next_action",
    "story_of",
]
