"""How long a peer group is kept after it ended (ADR 0019; RGPD art. 5-1-e: no longer than
the purpose needs).

Rule: `TISSER_PEER_GROUP_RETENTION_MONTHS` (12 by default) after `ended_at`, an ended group
is deleted with everything its members wrote or recorded in it — who was a member, the
charter and who agreed to it, the commitments and their check-ins, the help given and
received — and its meetings (dates, agendas, notes, actions, attendance). What stays: each
person's own preferences for a next group (theirs to erase) and the audit entry that says
how many rows went. A proposed or active group is never touched.
Running twice is harmless: what is gone is not found again."""

from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tisser.core.audit import audit_record
from tisser.meetings.models import MeetingSeries
from tisser.peers.models import PeerGroup

DEFAULT_MONTHS = 12


def retention_months() -> int:
    return getattr(settings, "TISSER_PEER_GROUP_RETENTION_MONTHS", DEFAULT_MONTHS)


def groups_past_retention(*, now: datetime | None = None, organisation_id: int | None = None):
    """Ended groups (of `organisation_id`, or of every organisation) whose end is at least
    the retention period ago, oldest first."""
    now = now or timezone.now()
    limit = now - relativedelta(months=retention_months())
    groups = PeerGroup.objects.filter(
        status=PeerGroup.Status.ENDED, ended_at__isnull=False, ended_at__lte=limit
    )
    if organisation_id is not None:
        groups = groups.filter(organisation_id=organisation_id)
    return groups.order_by("ended_at", "pk")


@dataclass
class RetentionReport:
    groups: int = 0
    deleted: dict[str, int] = field(default_factory=dict)


def peers_retention_apply(
    *, now: datetime | None = None, dry_run: bool = False, organisation_id: int | None = None
) -> RetentionReport:
    """Delete the peer groups past their retention period (see the module), of
    `organisation_id` (of every organisation when None). One transaction per group;
    `dry_run` only counts them."""
    report = RetentionReport()
    due = list(
        groups_past_retention(now=now, organisation_id=organisation_id).values_list("pk", flat=True)
    )
    if dry_run:
        report.groups = len(due)
        return report
    for pk in due:
        with transaction.atomic():
            group = (
                PeerGroup.objects.select_for_update()
                .filter(pk=pk, status=PeerGroup.Status.ENDED)
                .select_related("organisation")
                .first()
            )
            if group is None:
                continue
            series_id, organisation = group.series_id, group.organisation
            counts = dict(group.delete()[1])
            if series_id is not None:
                for label, count in MeetingSeries.objects.filter(pk=series_id).delete()[1].items():
                    counts[label] = counts.get(label, 0) + count
            audit_record(
                actor=None,
                action="peers.retention_delete",
                organisation=organisation,
                data={"group_id": pk, "deleted": counts, "months": retention_months()},
            )
        report.groups += 1
        for label, count in counts.items():
            report.deleted[label] = report.deleted.get(label, 0) + count
    return report
