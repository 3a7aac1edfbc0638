"""Counts and progress of one person's network: what the home page shows them, and what
their consultant always sees (aggregates only, never names)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q

from tisser.accounts.models import User
from tisser.network.models import STAGE_ORDER, Contact, InformationalInterview, Stage, StageEvent

DONE_STAGES = STAGE_ORDER[STAGE_ORDER.index(Stage.INTERVIEW_DONE) :]


@dataclass(frozen=True)
class NetworkSummary:
    contacts: int
    referrals: int
    interviews: int
    by_stage: tuple[tuple[Stage, int], ...]
    done: int
    last_activity: datetime | None

    @property
    def is_empty(self) -> bool:
        return self.contacts == 0


def network_summary(owner: User, *, last_activity: bool = True) -> NetworkSummary:
    """Three queries whatever the network's size, two without the `last_activity` (None
    then). Referrals: contacts introduced by another contact. Done: enquêtes whose interview
    took place."""
    contacts = Contact.objects.filter(owner=owner).aggregate(
        total=Count("id"),
        referrals=Count("id", filter=Q(introduced_by__isnull=False)),
        last=Max("updated_at"),
    )
    stages = dict(
        InformationalInterview.objects.filter(owner=owner)
        .values_list("stage")
        .annotate(count=Count("id"))
        .order_by()
    )
    last_step = (
        StageEvent.objects.filter(interview__owner=owner).aggregate(last=Max("at"))["last"]
        if last_activity
        else None
    )
    moments = [moment for moment in (contacts["last"], last_step) if moment is not None]
    return NetworkSummary(
        contacts=contacts["total"],
        referrals=contacts["referrals"],
        interviews=sum(stages.values()),
        by_stage=tuple((stage, stages.get(stage.value, 0)) for stage in STAGE_ORDER),
        done=sum(stages.get(stage.value, 0) for stage in DONE_STAGES),
        last_activity=max(moments) if moments and last_activity else None,
    )
