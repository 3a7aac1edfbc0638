"""Retention of a bilan's working documents (ARCHITECTURE: "retention periods are settings,
applied by a daily command").

Rule: `TISSER_BILAN_RETENTION_YEARS` (3 by default) after the end of a bilan, what was written
to do the bilan is deleted: the parcours, réussites and portfolio, needs and aspirations, the
inventories taken while it ran, the shared summaries of its entretiens and everything listed in
`PURGERS` (shortlist, projects, the consultant's private notes, the document de synthèse…).
What remains is management data the organisme must keep (dates, phases, funding, the
convention, attendance and hours, the satisfaction answers it only ever sees as aggregates) — and
the document de synthèse when its owner asked to keep it.
Running twice is harmless: a purged bilan is skipped."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tisser.assessments.models import InventoryResponse
from tisser.bilans.models import (
    Achievement,
    Aspirations,
    Bilan,
    DismissedFiche,
    Experience,
    FollowUp,
    Phase,
    PortfolioItem,
    Project,
    SessionNote,
    ShortlistEntry,
    SynthesisDocument,
)
from tisser.core.audit import audit_record
from tisser.meetings.models import Occurrence


def _inventories(bilan: Bilan) -> QuerySet:
    return InventoryResponse.objects.filter(
        user=bilan.beneficiary,
        organisation=bilan.organisation,
        created_at__gte=bilan.opened_at,
        created_at__lte=bilan.closed_at,
    )


def _delete(queryset: QuerySet) -> int:
    # Count the rows of the model itself, not the cascade (suggestions, links…).
    count = queryset.count()
    queryset.delete()
    return count


# One entry per kind of working document: a name for the report, and what deletes it.
PURGERS: dict[str, Callable[[Bilan], int]] = {
    "experiences": lambda bilan: _delete(Experience.objects.filter(bilan=bilan)),
    "achievements": lambda bilan: _delete(Achievement.objects.filter(bilan=bilan)),
    "portfolio_items": lambda bilan: _delete(PortfolioItem.objects.filter(bilan=bilan)),
    "aspirations": lambda bilan: _delete(Aspirations.objects.filter(bilan=bilan)),
    "inventories": lambda bilan: _delete(_inventories(bilan)),
    "shortlist": lambda bilan: _delete(ShortlistEntry.objects.filter(bilan=bilan)),
    "dismissed_fiches": lambda bilan: _delete(DismissedFiche.objects.filter(bilan=bilan)),
    "projects": lambda bilan: _delete(Project.objects.filter(bilan=bilan)),
    "session_notes": lambda bilan: _delete(SessionNote.objects.filter(bilan=bilan)),
    "followup_notes": lambda bilan: (
        FollowUp.objects.filter(bilan=bilan).exclude(notes="").update(notes="")
    ),
    # The synthèse belongs to the beneficiary: kept only when they asked for it.
    "synthesis": lambda bilan: _delete(
        SynthesisDocument.objects.filter(bilan=bilan, keep_consented_at__isnull=True)
    ),
    "session_summaries": lambda bilan: (
        Occurrence.objects.filter(series__bilan_session__bilan=bilan)
        .exclude(notes="", decisions="")
        .update(notes="", decisions="")
    ),
}


@dataclass(frozen=True)
class PurgeReport:
    bilan_id: int
    retention_until: date
    deleted: dict[str, int]


def bilans_due_for_purge(*, today: date | None = None) -> list[Bilan]:
    """Closed bilans whose retention date is today or past and that still hold documents."""
    today = today or timezone.localdate()
    candidates = Bilan.objects.filter(status=Phase.CLOSED, purged_at__isnull=True).select_related(
        "organisation", "beneficiary"
    )
    # A bilan closed without a closing date has no retention date: it is never purged early.
    return [
        b
        for b in candidates.order_by("closed_at", "id")
        if (until := b.retention_until) is not None and until <= today
    ]


def bilan_working_documents_purge(*, bilan: Bilan, now: datetime | None = None) -> PurgeReport:
    """Delete the working documents of one closed bilan whose retention period is over.
    Refuses (ValueError) a bilan still open or not yet due: nothing is deleted early."""
    now = now or timezone.now()
    if bilan.status != Phase.CLOSED or bilan.retention_until is None:
        raise ValueError(f"bilan {bilan.pk} is not closed")
    if bilan.retention_until > timezone.localdate(now):
        raise ValueError(f"bilan {bilan.pk} is kept until {bilan.retention_until}")
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.purged_at is not None:
            return PurgeReport(bilan.pk, bilan.retention_until, {})
        deleted = {name: purge(bilan) for name, purge in PURGERS.items()}
        Bilan.objects.filter(pk=bilan.pk).update(purged_at=now)
        bilan.purged_at = now
        audit_record(
            actor=None,
            action="bilan.retention_purge",
            target=bilan,
            organisation=bilan.organisation,
            data={"deleted": deleted, "retention_until": bilan.retention_until.isoformat()},
        )
    return PurgeReport(bilan.pk, bilan.retention_until, deleted)
