"""Figures of a group's life, for its members: how well commitments are kept, the current
streaks, and one's own balance of help given and received.

Kept rate: a done commitment counts 1, a partly done one 0.5, one not done 0, over the
commitments checked in. A streak is the number of consecutive periods, back from now, where
every commitment was at least partly kept; the current period counts once all of it is
checked in, and does not break the streak while it is still in progress."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from tisser.accounts.models import User
from tisser.peers.models import Commitment, Contribution, HelpKind, PeerGroup
from tisser.peers.periods import period_before, period_of

Outcome = Commitment.Outcome
SCORES = {Outcome.DONE: 1.0, Outcome.PARTIAL: 0.5, Outcome.NOT_DONE: 0.0}
KEPT = {Outcome.DONE, Outcome.PARTIAL}


def kept_rate(outcomes: Iterable[str]) -> float | None:
    """The share of the checked-in commitments that was kept (None before any check-in)."""
    scores = [SCORES[Outcome(outcome)] for outcome in outcomes if outcome]
    return sum(scores) / len(scores) if scores else None


def current_streak(outcomes_by_period: dict[date, list[str]], *, rhythm: str, today: date) -> int:
    """`outcomes_by_period` maps a period's first day to the outcomes of its commitments
    ('' when not checked in yet)."""
    period = period_of(rhythm, today)
    count = 0
    in_progress = True
    while True:
        outcomes = outcomes_by_period.get(period.start, [])
        if outcomes and all(outcome in KEPT for outcome in outcomes):
            count += 1
        elif not (in_progress and Outcome.NOT_DONE not in outcomes):
            return count
        in_progress = False
        period = period_before(rhythm, period)


@dataclass(frozen=True)
class KeptFigures:
    name: str
    rate: float | None
    streak: int
    checked_in: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


def _figures(name: str, rows: list[tuple[date, str]], *, rhythm: str, today: date) -> KeptFigures:
    by_period: dict[date, list[str]] = defaultdict(list)
    for start, outcome in rows:
        by_period[start].append(outcome)
    return KeptFigures(
        name=name,
        rate=kept_rate(outcome for _start, outcome in rows),
        streak=current_streak(by_period, rhythm=rhythm, today=today),
        checked_in=sum(1 for _start, outcome in rows if outcome),
        total=len(rows),
    )


def first_name(user: User) -> str:
    return user.first_name or user.get_short_name() or user.email.split("@")[0]


def kept_figures(
    group: PeerGroup, members: list[User], commitments: Iterable[Commitment], *, today: date
) -> tuple[list[KeptFigures], KeptFigures]:
    """Per member (in the order of `members`) and for the whole group, from `commitments`
    (every commitment of the group: the figures cover its whole life)."""
    rows: dict[int, list[tuple[date, str]]] = defaultdict(list)
    everyone: list[tuple[date, str]] = []
    for commitment in commitments:
        row = (commitment.period_start, commitment.outcome)
        rows[commitment.user_id].append(row)
        everyone.append(row)
    per_member = [
        _figures(first_name(user), rows[user.pk], rhythm=group.rhythm, today=today)
        for user in members
    ]
    return per_member, _figures(group.name, everyone, rhythm=group.rhythm, today=today)


@dataclass(frozen=True)
class HelpLine:
    kind: HelpKind
    given: int
    received: int


@dataclass(frozen=True)
class HelpBalance:
    lines: list[HelpLine]
    given: int
    received: int

    @property
    def only_gives(self) -> bool:
        return self.given > 0 and self.received == 0

    @property
    def only_receives(self) -> bool:
        return self.received > 0 and self.given == 0


def help_balance(user: User, group: PeerGroup) -> HelpBalance:
    """What `user` gave and received in `group`, by kind (one query). Only ever shown to
    `user`."""
    counts = (
        Contribution.objects.filter(Q(giver=user) | Q(receiver=user), group=group)
        .order_by()
        .values("kind")
        .annotate(
            given=Count("pk", filter=Q(giver=user)), received=Count("pk", filter=Q(receiver=user))
        )
    )
    by_kind = {row["kind"]: (row["given"], row["received"]) for row in counts}
    lines = [HelpLine(kind, *by_kind.get(kind.value, (0, 0))) for kind in HelpKind]
    return HelpBalance(
        lines=lines,
        given=sum(line.given for line in lines),
        received=sum(line.received for line in lines),
    )
