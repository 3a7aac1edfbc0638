"""Destruction of a bilan's documents when it ends (Code du travail R6313-7, ADR 0014).

R6313-7: the organisme destroys the documents made for the bilan as soon as the action ends.
Two exceptions, each for one year at most: the synthèse sent, at the person's request, to
their conseil en évolution professionnelle (L6313-4) — kept one year from that share — and the
documents the person agreed in writing to keep because their follow-up needs them
(`KeepAgreement`, at most one year after the end).

So, whatever way the bilan ended (status CLOSED with `closed_at`: completed, interrupted,
abandoned, withdrawn), the daily job destroys, from the day after the end, every kind of the
working-documents registry (`tisser.bilans.working_documents`) that no standing exception
keeps; a kind kept goes the day after its exception ends (or is withdrawn). Before the
isolation checks go, the figures the programme's outcomes need are recorded with no link to
the person (`OutcomeRecord`). One transaction per bilan: a failure midway destroys nothing of
that bilan. Running twice is harmless.

Management data (the Bilan row, its dates, hours, émargements, convention, contract, amounts,
satisfaction answers) is another matter: kept `TISSER_MANAGEMENT_RETENTION_YEARS` after the
end, then deleted by the same job."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tisser.assessments.isolation import OVERALL
from tisser.assessments.models import IsolationCheck
from tisser.bilans import outcome_figures
from tisser.bilans.models import Bilan, KeepAgreement, OutcomeRecord, Phase, SynthesisShare
from tisser.bilans.working_documents import isolation_checks_of, working_documents
from tisser.core.audit import audit_record
from tisser.meetings.models import MeetingSeries

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptDocuments:
    """One exception: kinds of working documents kept until a day (inclusive)."""

    kinds: frozenset[str]
    # None while the bilan is open and the person chose no day (one year after the end).
    until: date | None
    # "cep" (synthèse sent to a conseil en évolution professionnelle) or "agreement".
    reason: str
    share: SynthesisShare | None = None
    agreement: KeepAgreement | None = None

    def stands_on(self, day: date) -> bool:
        return self.until is None or day <= self.until

    @property
    def labels(self) -> list[str]:
        """The kinds kept, as the person reads them, in the registry's order."""
        return [str(entry.label) for entry in working_documents() if entry.kind in self.kinds]


def bilan_exceptions(bilan: Bilan, *, has_synthesis: bool = True) -> list[KeptDocuments]:
    """The standing exceptions of `bilan` (shares not revoked, agreements not withdrawn),
    with the last day each keeps its documents, the soonest to end first. A caller that knows
    the bilan has no synthèse says so (`has_synthesis=False`): its shares are not looked for."""
    shares = (
        SynthesisShare.objects.filter(
            document__bilan=bilan, to_cep=True, revoked_at__isnull=True
        ).order_by("given_at", "id")
        if has_synthesis
        else []
    )
    exceptions = [
        KeptDocuments(
            kinds=frozenset({"synthesis"}), until=share.kept_until, reason="cep", share=share
        )
        for share in shares
    ]
    exceptions += [
        KeptDocuments(
            kinds=frozenset(agreement.kinds),
            until=agreement.ends_on(bilan.closed_at),
            reason="agreement",
            agreement=agreement,
        )
        for agreement in KeepAgreement.objects.filter(bilan=bilan, withdrawn_at__isnull=True)
    ]
    return sorted(exceptions, key=lambda e: (e.until is None, e.until or date.max))


def kept_kinds(bilan: Bilan, today: date) -> dict[str, date | None]:
    """The kinds an exception still keeps on `today`, each with the last day it is kept."""
    kept: dict[str, date | None] = {}
    for exception in bilan_exceptions(bilan):
        if not exception.stands_on(today):
            continue
        for kind in exception.kinds:
            current = kept.get(kind, exception.until)
            kept[kind] = (
                None
                if current is None or exception.until is None
                else max(current, exception.until)
            )
    return kept


@dataclass(frozen=True)
class DestructionReport:
    bilan_id: int
    # Kind → rows destroyed (or, on a dry run, that would be).
    destroyed: dict[str, int]
    # Kind → last day kept, for what an exception keeps.
    kept: dict[str, date | None]
    # Nothing left to destroy later: the bilan's documents are all gone.
    complete: bool
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.destroyed.values())


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def bilans_due(*, today: date | None = None, organisation_id: int | None = None) -> list[Bilan]:
    """Ended bilans (of `organisation_id`, or of every organisation) whose documents (some
    of them at least) are due: from the day after the end until everything is gone."""
    today = _today(today)
    candidates = Bilan.objects.filter(
        status=Phase.CLOSED, closed_at__isnull=False, purged_at__isnull=True
    ).select_related("organisation", "beneficiary")
    if organisation_id is not None:
        candidates = candidates.filter(organisation_id=organisation_id)
    # A bilan closed without a date is never due (nothing tells when it ended).
    return [b for b in candidates.order_by("closed_at", "id") if _is_due(b, today)]


def _is_due(bilan: Bilan, today: date) -> bool:
    due_on = bilan.documents_due_on
    return bilan.status == Phase.CLOSED and due_on is not None and due_on <= today


def _isolation_score(checks, moment: str, *, last: bool) -> int | None:
    ordered = checks.filter(moment=moment).order_by(
        *(("-created_at", "-id") if last else ("created_at", "id"))
    )
    check = ordered.first()
    return check.scores.get(OVERALL) if check is not None else None


def _outcome_record(bilan: Bilan) -> None:
    """The anonymous figures of `bilan`: no id, no day, no text; only the month of the end."""
    checks = isolation_checks_of(bilan)
    ended = timezone.localdate(bilan.closed_at)
    OutcomeRecord.objects.create(
        organisation_id=bilan.organisation_id,
        ended_month=ended.replace(day=1),
        outcome=bilan.outcome,
        isolation_start=_isolation_score(checks, IsolationCheck.Moment.START, last=False),
        isolation_end=_isolation_score(checks, IsolationCheck.Moment.END, last=True),
        isolation_plus_3_months=_isolation_score(
            checks, IsolationCheck.Moment.PLUS_3_MONTHS, last=True
        ),
        isolation_plus_6_months=_isolation_score(
            checks, IsolationCheck.Moment.PLUS_6_MONTHS, last=True
        ),
        **outcome_figures.figures_of(bilan),
    )


def bilan_documents_destroy(
    *, bilan: Bilan, today: date | None = None, dry_run: bool = False
) -> DestructionReport:
    """Destroy the working documents of an ended bilan that no exception keeps on `today`
    (ValueError for a bilan still open, or ended today: nothing goes early). With `dry_run`,
    only count what would go. One transaction: any failure destroys nothing of this bilan."""
    today = _today(today)
    if not _is_due(bilan, today):
        raise ValueError(f"bilan {bilan.pk}: its documents are not due on {today}")
    if dry_run:
        kept = kept_kinds(bilan, today)
        destroyed = {
            entry.kind: count
            for entry in working_documents()
            if entry.kind not in kept and (count := entry.count(bilan))
        }
        return DestructionReport(bilan.pk, destroyed, kept, complete=not kept, dry_run=True)
    now = timezone.now()
    with transaction.atomic():
        locked = Bilan.objects.select_for_update().get(pk=bilan.pk)
        if locked.purged_at is not None:
            return DestructionReport(bilan.pk, {}, {}, complete=True)
        kept = kept_kinds(locked, today)
        if "isolation_checks" not in kept and locked.outcome_recorded_at is None:
            # Before the checks go: what the outcome figures need, anonymously.
            _outcome_record(locked)
            Bilan.objects.filter(pk=locked.pk).update(outcome_recorded_at=now)
        destroyed = {}
        for entry in working_documents():
            if entry.kind in kept:
                continue
            if count := entry.destroy(locked):
                destroyed[entry.kind] = count
        complete = not kept
        if complete:
            Bilan.objects.filter(pk=locked.pk).update(purged_at=now)
            bilan.purged_at = now
        if destroyed or complete:
            audit_record(
                actor=None,
                action="bilan.documents_destroy",
                target=locked,
                organisation=locked.organisation,
                data={
                    "destroyed": destroyed,
                    "kept": {kind: until and until.isoformat() for kind, until in kept.items()},
                    "complete": complete,
                },
            )
    return DestructionReport(bilan.pk, destroyed, kept, complete=complete)


# --- Management data ------------------------------------------------------------------------


def bilans_management_due(
    *, today: date | None = None, organisation_id: int | None = None
) -> list[Bilan]:
    """Ended bilans (of `organisation_id`, or of every organisation) whose documents are gone
    and whose management data is past its retention period
    (`TISSER_MANAGEMENT_RETENTION_YEARS` after the end)."""
    today = _today(today)
    # The database leaves out the bilans ended too recently (with a day's margin for the
    # time zone and 29 February); `management_kept_until` decides for the others.
    ended_before = timezone.make_aware(
        datetime.combine(
            today - relativedelta(years=settings.TISSER_MANAGEMENT_RETENTION_YEARS), time.min
        )
    ) + timedelta(days=2)
    candidates = Bilan.objects.filter(
        status=Phase.CLOSED,
        closed_at__isnull=False,
        closed_at__lt=ended_before,
        purged_at__isnull=False,
    ).select_related("organisation")
    if organisation_id is not None:
        candidates = candidates.filter(organisation_id=organisation_id)
    return [
        b
        for b in candidates.order_by("closed_at", "id")
        if (until := b.management_kept_until) is not None and until < today
    ]


def bilan_management_delete(*, bilan: Bilan, today: date | None = None) -> dict[str, int]:
    """Delete the management data of a bilan past its retention period: the Bilan row with
    everything attached to it (consent, phases, convention, satisfaction answers, follow-up,
    agreements, downloads) and its entretiens with their émargements. ValueError before its
    day. The anonymous outcome record stays: nothing links it to this bilan."""
    today = _today(today)
    if bilan.purged_at is None or bilan.management_kept_until is None:
        raise ValueError(f"bilan {bilan.pk}: its documents are not destroyed yet")
    if bilan.management_kept_until >= today:
        raise ValueError(f"bilan {bilan.pk}: kept until {bilan.management_kept_until}")
    with transaction.atomic():
        series = MeetingSeries.objects.filter(
            Q(bilan_session__bilan=bilan) | Q(bilan_followup__bilan=bilan)
        )
        series_count = series.count()
        series.delete()
        organisation = bilan.organisation
        audit_record(
            actor=None,
            action="bilan.management_delete",
            target=bilan,
            organisation=organisation,
            data={"closed_on": timezone.localdate(bilan.closed_at).isoformat()},
        )
        Bilan.objects.filter(pk=bilan.pk).delete()
    return {"bilans": 1, "meeting_series": series_count}


# --- The daily run ----------------------------------------------------------------------------


@dataclass
class RetentionRun:
    documents: list[DestructionReport] = field(default_factory=list)
    management_deleted: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def retention_apply(
    *, today: date | None = None, dry_run: bool = False, organisation_id: int | None = None
) -> RetentionRun:
    """What the daily job does: destroy the documents due, then the management data due, one
    bilan at a time, each in its own transaction, for the bilans of `organisation_id` (of
    every organisation when None). A bilan that fails is logged and left as it was; the
    others go on."""
    today = _today(today)
    run = RetentionRun()
    for bilan in bilans_due(today=today, organisation_id=organisation_id):
        try:
            run.documents.append(bilan_documents_destroy(bilan=bilan, today=today, dry_run=dry_run))
        except Exception:
            logger.exception("destruction of bilan %s failed", bilan.pk)
            run.failed.append(bilan.pk)
    for bilan in bilans_management_due(today=today, organisation_id=organisation_id):
        if dry_run:
            run.management_deleted.append(bilan.pk)
            continue
        try:
            bilan_management_delete(bilan=bilan, today=today)
        except Exception:
            logger.exception("deletion of the management data of bilan %s failed", bilan.pk)
            run.failed.append(bilan.pk)
        else:
            run.management_deleted.append(bilan.pk)
    return run


# --- The person's own isolation checks --------------------------------------------------------


def own_isolation_checks(user) -> QuerySet:
    """`user`'s isolation checks that belong to no bilan still holding its documents: those
    taken outside any bilan (or after a bilan whose documents are gone). They are the
    person's own, erasable by them; a bilan's checks follow the bilan (R6313-7)."""
    checks = IsolationCheck.objects.filter(user=user)
    for bilan in Bilan.objects.filter(beneficiary=user, purged_at__isnull=True):
        checks = checks.exclude(pk__in=isolation_checks_of(bilan).values("pk"))
    return checks


def own_isolation_checks_erase(*, user) -> int:
    """Erase `user`'s own isolation checks (`own_isolation_checks`); how many went. Those of
    a bilan in progress or kept stay: they go with the bilan's documents."""
    if not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        checks = own_isolation_checks(user)
        count = checks.count()
        checks.delete()
        if count:
            audit_record(
                actor=user,
                action="isolation_check.erase_own",
                target=user,
                data={"count": count},
            )
    return count
