"""Which way each bilan of a consultant's caseload is going (issue #17): isolation up, down or
stable between the first and the last check of the bilan, or not measured; the network
growing or still. Computed for a whole page of bilans in three queries, whatever its size.

* **Isolation**: the checks of a bilan are those taken from START_CHECK_BEFORE before it
  opened to its end (while it runs: to now), and, after its end, its follow-up checks of the
  year after (as `tisser.bilans.working_documents` counts them). Fewer than two checks with
  an overall score: not measured. Otherwise the last score minus the first: a change of at
  least MEANINGFUL_CHANGE points (out of 100) either way is a rise or a fall, anything less
  is « stable » — the same rule as the programme's paired change
  (`tisser.outcomes.statistics`: improved, stable, worse).
* **Network**: growing when, in the last NETWORK_WINDOW, a contact was added to it or an
  enquête-métier reached « entretien réalisé »; still otherwise."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tisser.accounts.models import Membership, User
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import EXCEPTION_MAX_DAYS, Bilan
from tisser.network.models import Contact, InformationalInterview, Stage, StageEvent
from tisser.outcomes.story import START_CHECK_BEFORE

# Points out of 100 between the first and last check that count as a change.
MEANINGFUL_CHANGE = 10
NETWORK_WINDOW = timedelta(weeks=4)


class IsolationTrend(StrEnum):
    UP = "up"
    DOWN = "down"
    STABLE = "stable"
    UNMEASURED = "unmeasured"


@dataclass(frozen=True)
class Direction:
    isolation: IsolationTrend
    first: int | None
    last: int | None
    network_growing: bool
    # Whether the consultant is the person's consultant of record: the story is theirs to read.
    followed: bool


def isolation_trend(scores: Sequence[int]) -> IsolationTrend:
    """The trend of `scores` (in the order taken)."""
    if len(scores) < 2:
        return IsolationTrend.UNMEASURED
    change = scores[-1] - scores[0]
    if change >= MEANINGFUL_CHANGE:
        return IsolationTrend.UP
    if change <= -MEANINGFUL_CHANGE:
        return IsolationTrend.DOWN
    return IsolationTrend.STABLE


FOLLOW_UP_MOMENTS = (IsolationCheck.Moment.PLUS_3_MONTHS, IsolationCheck.Moment.PLUS_6_MONTHS)


def _of_bilan(bilan: Bilan, created_at: datetime, moment: str) -> bool:
    if created_at < bilan.opened_at - START_CHECK_BEFORE:
        return False
    if bilan.closed_at is None or created_at <= bilan.closed_at:
        return True
    return moment in FOLLOW_UP_MOMENTS and created_at <= bilan.closed_at + timedelta(
        days=EXCEPTION_MAX_DAYS
    )


def caseload_directions(
    bilans: Sequence[Bilan], *, consultant: User, now: datetime | None = None
) -> dict[int, Direction]:
    """Bilan id → its `Direction`, for a page of bilans `consultant` runs (already fetched
    through what they may see). Three queries: the checks, the networks, the people they
    follow."""
    bilans = list(bilans)
    if not bilans:
        return {}
    now = now or timezone.now()
    people = {bilan.beneficiary_id for bilan in bilans}
    organisations = {bilan.organisation_id for bilan in bilans}
    checks: dict[tuple[int, int], list[tuple[datetime, str, int]]] = {}
    for user_id, organisation_id, created_at, moment, scores in (
        IsolationCheck.objects.filter(user_id__in=people, organisation_id__in=organisations)
        .order_by("created_at", "id")
        .values_list("user_id", "organisation_id", "created_at", "moment", "scores")
    ):
        overall = scores.get(isolation.OVERALL) if isinstance(scores, dict) else None
        if isinstance(overall, int):
            checks.setdefault((user_id, organisation_id), []).append((created_at, moment, overall))

    since = now - NETWORK_WINDOW
    done_steps = StageEvent.objects.filter(
        interview__owner=OuterRef("pk"), stage=Stage.INTERVIEW_DONE, at__gte=since, at__lte=now
    )
    done_without_steps = InformationalInterview.objects.filter(
        owner=OuterRef("pk"),
        events__isnull=True,
        stage=Stage.INTERVIEW_DONE,
        stage_changed_at__gte=since,
    )
    growing = set(
        User.objects.filter(pk__in=people)
        .filter(
            Exists(Contact.objects.filter(owner=OuterRef("pk"), created_at__gte=since))
            | Exists(done_steps)
            | Exists(done_without_steps)
        )
        .values_list("pk", flat=True)
    )
    followed = set(
        Membership.objects.beneficiaries_of(consultant)
        .filter(user_id__in=people)
        .values_list("user_id", "organisation_id")
    )
    directions = {}
    for bilan in bilans:
        scores = [
            score
            for created_at, moment, score in checks.get(
                (bilan.beneficiary_id, bilan.organisation_id), ()
            )
            if _of_bilan(bilan, created_at, moment)
        ]
        directions[bilan.pk] = Direction(
            isolation=isolation_trend(scores),
            first=scores[0] if len(scores) > 1 else None,
            last=scores[-1] if len(scores) > 1 else None,
            network_growing=bilan.beneficiary_id in growing,
            followed=(bilan.beneficiary_id, bilan.organisation_id) in followed,
        )
    return directions
