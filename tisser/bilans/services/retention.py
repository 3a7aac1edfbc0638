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
the person (`OutcomeRecord`). The daily job works by batches of DESTRUCTION_BATCH bilans, one
transaction per batch, in a number of queries per batch that does not depend on its size
(ADR 0030): a failure midway destroys nothing of the batch, which is then done again bilan by
bilan, so that one failing bilan holds back no other. Running twice is harmless.

Management data (the Bilan row, its dates, hours, émargements, convention, contract, amounts,
satisfaction answers) is another matter: kept `TISSER_MANAGEMENT_RETENTION_YEARS` after the
end, then deleted by the same job."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tisser.assessments.isolation import LONELINESS_SCALE, LONELY_FREQUENCY, OVERALL
from tisser.assessments.models import IsolationCheck
from tisser.bilans import outcome_figures
from tisser.bilans.followup import REMINDER_WINDOW
from tisser.bilans.models import Bilan, KeepAgreement, OutcomeRecord, Phase, SynthesisShare
from tisser.bilans.working_documents import (
    isolation_checks_of,
    isolation_checks_taken,
    working_documents,
)
from tisser.core.audit import audit_entry, audit_record, audit_record_many
from tisser.core.daily_jobs import batch_begin
from tisser.meetings.models import MeetingSeries

logger = logging.getLogger(__name__)

# Bilans destroyed in one transaction by the daily job.
DESTRUCTION_BATCH = 200


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
    return exceptions_of([bilan], has_synthesis=has_synthesis)[bilan.pk]


def exceptions_of(
    bilans: list[Bilan], *, has_synthesis: bool = True
) -> dict[int, list[KeptDocuments]]:
    """`bilan_exceptions` of each of `bilans`, in two queries (one without synthèse)."""
    by_pk = {bilan.pk: bilan for bilan in bilans}
    exceptions: dict[int, list[KeptDocuments]] = {pk: [] for pk in by_pk}
    shares = (
        SynthesisShare.objects.filter(
            document__bilan__in=list(by_pk), to_cep=True, revoked_at__isnull=True
        )
        .select_related("document")
        .order_by("given_at", "id")
        if has_synthesis
        else []
    )
    for share in shares:
        exceptions[share.document.bilan_id].append(
            KeptDocuments(
                kinds=frozenset({"synthesis"}), until=share.kept_until, reason="cep", share=share
            )
        )
    agreements = KeepAgreement.objects.filter(bilan__in=list(by_pk), withdrawn_at__isnull=True)
    for agreement in agreements.order_by("pk"):
        exceptions[agreement.bilan_id].append(
            KeptDocuments(
                kinds=frozenset(agreement.kinds),
                until=agreement.ends_on(by_pk[agreement.bilan_id].closed_at),
                reason="agreement",
                agreement=agreement,
            )
        )
    return {
        pk: sorted(found, key=lambda e: (e.until is None, e.until or date.max))
        for pk, found in exceptions.items()
    }


def kept_kinds(bilan: Bilan, today: date) -> dict[str, date | None]:
    """The kinds an exception still keeps on `today`, each with the last day it is kept."""
    return _kept(bilan_exceptions(bilan), today)


def _kept(exceptions: list[KeptDocuments], today: date) -> dict[str, date | None]:
    kept: dict[str, date | None] = {}
    for exception in exceptions:
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
    # Ended before today, local time (with a day's margin: `_is_due` decides); a bilan closed
    # without a date is never due (nothing tells when it ended).
    ended_before = timezone.make_aware(datetime.combine(today, time.min)) + timedelta(days=1)
    candidates = Bilan.objects.filter(
        status=Phase.CLOSED,
        closed_at__isnull=False,
        closed_at__lt=ended_before,
        purged_at__isnull=True,
    ).select_related("organisation", "beneficiary")
    if organisation_id is not None:
        candidates = candidates.filter(organisation_id=organisation_id)
    return [b for b in candidates.order_by("closed_at", "id") if _is_due(b, today)]


def _is_due(bilan: Bilan, today: date) -> bool:
    due_on = bilan.documents_due_on
    return bilan.status == Phase.CLOSED and due_on is not None and due_on <= today


def _score(
    checks: list[IsolationCheck], moment: str, key: str, *, last: bool, until: datetime | None
) -> int | None:
    """The score `key` of the first (or last) check of `moment` that has it, taken by `until`
    when given."""
    taken = sorted(
        (
            check
            for check in checks
            if check.moment == moment
            and key in check.scores
            and (until is None or check.created_at <= until)
        ),
        key=lambda check: (check.created_at, check.pk),
    )
    if not taken:
        return None
    return (taken[-1] if last else taken[0]).scores[key]


def _answered_by(bilan: Bilan, months: int | None) -> datetime | None:
    """When the answers of a moment after the start stop counting: the reminder's window after
    it (`followup.REMINDER_WINDOW`: the end's reminder goes when the bilan closes), so that a
    month's figures are final once it has closed (ADR 0032); no limit for the start."""
    if months is None or bilan.closed_at is None:
        return None
    return bilan.closed_at + relativedelta(months=months) + REMINDER_WINDOW


# The OutcomeRecord's name of each moment, whether the last check of it counts (the first at
# the start: what the person said before anything changed), and its months after the end.
_MOMENTS = (
    ("start", IsolationCheck.Moment.START, False, None),
    ("end", IsolationCheck.Moment.END, True, 0),
    ("plus_3_months", IsolationCheck.Moment.PLUS_3_MONTHS, True, 3),
    ("plus_6_months", IsolationCheck.Moment.PLUS_6_MONTHS, True, 6),
)
# Score key in a check → OutcomeRecord field prefix.
_SCORES = (
    (OVERALL, "isolation"),
    (LONELY_FREQUENCY, "lonely_frequency"),
    (LONELINESS_SCALE, "loneliness_scale"),
)


def outcome_records_of(bilans: list[Bilan]) -> list[OutcomeRecord]:
    """The anonymous figures of `bilans`, unsaved: no id, no day, no text; only the month of
    the end. Written as they are before the destruction; read as they are by the programme's
    outcomes for bilans not recorded yet, so that a figure is computed one way whichever side
    of the destruction a bilan stands. A number of queries that does not depend on how many
    bilans: their isolation checks, their agreements to keep them, then each higher layer's
    figures (`outcome_figures`)."""
    checks = isolation_checks_taken(bilans)
    figures = outcome_figures.figures_of_many(bilans)
    followed = {
        bilan_id
        for bilan_id, kinds in KeepAgreement.objects.filter(
            bilan_id__in=[bilan.pk for bilan in bilans]
        ).values_list("bilan_id", "kinds")
        if "isolation_checks" in kinds
    }
    records = []
    for bilan in bilans:
        taken = checks[bilan.pk]
        scores = {
            f"{prefix}_{name}": _score(
                taken, moment, key, last=last, until=_answered_by(bilan, months)
            )
            for key, prefix in _SCORES
            for name, moment, last, months in _MOMENTS
        }
        records.append(
            OutcomeRecord(
                organisation_id=bilan.organisation_id,
                ended_month=timezone.localdate(bilan.closed_at).replace(day=1),
                outcome=bilan.outcome,
                followed_up=bilan.pk in followed,
                **scores,
                **figures[bilan.pk],
            )
        )
    return records


def bilan_documents_destroy(
    *, bilan: Bilan, today: date | None = None, dry_run: bool = False
) -> DestructionReport:
    """Destroy the working documents of an ended bilan that no exception keeps on `today`
    (ValueError for a bilan still open, or ended today: nothing goes early). With `dry_run`,
    only count what would go. One transaction: any failure destroys nothing of this bilan."""
    today = _today(today)
    if not _is_due(bilan, today):
        raise ValueError(f"bilan {bilan.pk}: its documents are not due on {today}")
    return bilans_documents_destroy(bilans=[bilan], today=today, dry_run=dry_run)[0]


def bilans_documents_destroy(
    *, bilans: list[Bilan], today: date, dry_run: bool = False
) -> list[DestructionReport]:
    """`bilan_documents_destroy` for a batch of bilans already known to be due, in one
    transaction and a number of queries that does not depend on how many they are: the
    exceptions (2 queries), the outcome records (3, and one UPDATE), per kind of working
    document one read and one set-based DELETE or UPDATE (with its cascade), the bilans marked
    and one INSERT of the audit entries. Any failure destroys nothing of the batch."""
    if dry_run:
        kept_by = {pk: _kept(found, today) for pk, found in exceptions_of(bilans).items()}
        counted: dict[int, dict[str, int]] = {bilan.pk: {} for bilan in bilans}
        for entry in working_documents():
            concerned = [bilan for bilan in bilans if entry.kind not in kept_by[bilan.pk]]
            if not concerned:
                continue
            for bilan_id, count in Counter(entry.owners(concerned).values()).items():
                counted[bilan_id][entry.kind] = count
        return [
            DestructionReport(
                bilan.pk,
                _in_order(counted[bilan.pk]),
                kept_by[bilan.pk],
                complete=not kept_by[bilan.pk],
                dry_run=True,
            )
            for bilan in bilans
        ]
    now = timezone.now()
    with transaction.atomic():
        locked = {
            bilan.pk: bilan
            for bilan in Bilan.objects.select_for_update()
            .filter(pk__in=[bilan.pk for bilan in bilans])
            .order_by("pk")
        }
        given = {bilan.pk: bilan for bilan in bilans}
        # Done meanwhile by another run: nothing left.
        done = {pk for pk, bilan in locked.items() if bilan.purged_at is not None}
        work = [locked[b.pk] for b in bilans if b.pk in locked and b.pk not in done]
        kept_by = {pk: _kept(found, today) for pk, found in exceptions_of(work).items()}
        # Before the checks go: what the outcome figures need, anonymously.
        to_record = [
            bilan
            for bilan in work
            if "isolation_checks" not in kept_by[bilan.pk] and bilan.outcome_recorded_at is None
        ]
        if to_record:
            OutcomeRecord.objects.bulk_create(outcome_records_of(to_record))
            Bilan.objects.filter(pk__in=[bilan.pk for bilan in to_record]).update(
                outcome_recorded_at=now
            )
        destroyed: dict[int, dict[str, int]] = {bilan.pk: {} for bilan in work}
        for entry in working_documents():
            concerned = [bilan for bilan in work if entry.kind not in kept_by[bilan.pk]]
            if not concerned:
                continue
            for bilan_id, count in entry.destroy_many(concerned).items():
                destroyed[bilan_id][entry.kind] = count
        complete = [bilan.pk for bilan in work if not kept_by[bilan.pk]]
        if complete:
            Bilan.objects.filter(pk__in=complete).update(purged_at=now)
        audit_record_many(
            [
                audit_entry(
                    actor=None,
                    action="bilan.documents_destroy",
                    target=bilan,
                    # As read by `bilans_due` (with its organisation), not as locked.
                    organisation=given[bilan.pk].organisation,
                    data={
                        "destroyed": _in_order(destroyed[bilan.pk]),
                        "kept": {
                            kind: until and until.isoformat()
                            for kind, until in kept_by[bilan.pk].items()
                        },
                        "complete": not kept_by[bilan.pk],
                    },
                )
                for bilan in work
                if destroyed[bilan.pk] or not kept_by[bilan.pk]
            ]
        )
    reports = []
    for bilan in bilans:
        if bilan.pk not in kept_by:
            reports.append(DestructionReport(bilan.pk, {}, {}, complete=True))
            continue
        kept = kept_by[bilan.pk]
        if not kept:
            bilan.purged_at = now
        reports.append(
            DestructionReport(bilan.pk, _in_order(destroyed[bilan.pk]), kept, complete=not kept)
        )
    return reports


def _in_order(counts: dict[str, int]) -> dict[str, int]:
    """The kinds in the registry's order."""
    return {entry.kind: counts[entry.kind] for entry in working_documents() if entry.kind in counts}


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
    """What the daily job does: destroy the documents due, then the management data due, for
    the bilans of `organisation_id` (of every organisation when None). The documents go by
    batches of DESTRUCTION_BATCH bilans, each batch in its own transaction; a batch that fails
    is done again bilan by bilan, and a bilan that fails then is logged and left as it was:
    the others go on. Every batch due is done in this run: the law wants the documents gone
    from the day after the end, and a batch costs the same few queries whatever its size
    (ADR 0030)."""
    today = _today(today)
    run = RetentionRun()
    due = bilans_due(today=today, organisation_id=organisation_id)
    for start in range(0, len(due), DESTRUCTION_BATCH):
        batch = due[start : start + DESTRUCTION_BATCH]
        batch_begin()
        try:
            run.documents += bilans_documents_destroy(bilans=batch, today=today, dry_run=dry_run)
        except Exception:
            logger.exception("destruction of a batch of %s bilans failed: one by one", len(batch))
            for bilan in batch:
                try:
                    run.documents.append(
                        bilan_documents_destroy(bilan=bilan, today=today, dry_run=dry_run)
                    )
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
