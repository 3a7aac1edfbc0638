"""How long an isolation check taken outside any bilan is kept (ADR 0019; RGPD art. 5-1-e).

The checks taken while a bilan ran (between its opening and its end) are the bilan's working
documents: they go with the bilan's documents (`tisser.bilans.services.retention`, R6313-7).
This module handles the others — a first check before any bilan, a check months after one —
which stay the person's own: `TISSER_ISOLATION_CHECK_RETENTION_MONTHS` (12 by default) after
it was taken, such a check is deleted, unless its person has, in the check's organisation, an
open bilan (the consultant may be reading it as the starting point) or one that ended less
than a year ago (R6313-7's one-year exceptions may still keep that bilan's follow-up, and the
bilan's destruction records its anonymous outcome figures from these checks first).

It lives in `bilans` and not in `assessments` because deciding "outside any bilan" reads the
bilans, and `assessments` sits below them (ADR 0009). Its daily task is here too, so that the
bilans' `tasks` module (the destruction's) is left alone."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import task

from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Bilan, Phase
from tisser.core.audit import audit_record

DEFAULT_MONTHS = 12
# R6313-7: the exceptions to the destruction last one year at most.
FOLLOW_UP_DAYS = 365


def retention_months() -> int:
    return getattr(settings, "TISSER_ISOLATION_CHECK_RETENTION_MONTHS", DEFAULT_MONTHS)


def _bilans_of_check():
    return Bilan.objects.filter(
        beneficiary_id=OuterRef("user_id"), organisation_id=OuterRef("organisation_id")
    )


def checks_outside_bilans():
    """Checks taken when their person had no bilan running in the check's organisation:
    no bilan opened before the check and not ended before it."""
    covering = _bilans_of_check().filter(
        Q(opened_at__lte=OuterRef("created_at"))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=OuterRef("created_at")))
    )
    return IsolationCheck.objects.exclude(Exists(covering))


def checks_past_retention(*, now: datetime | None = None):
    """Checks outside any bilan, taken at least the retention period ago, whose person has no
    open bilan in the organisation, nor one ended less than FOLLOW_UP_DAYS ago."""
    now = now or timezone.now()
    limit = now - relativedelta(months=retention_months())
    open_or_recent = _bilans_of_check().filter(
        ~Q(status=Phase.CLOSED)
        | Q(closed_at__isnull=True)
        | Q(closed_at__gt=now - timedelta(days=FOLLOW_UP_DAYS))
    )
    return (
        checks_outside_bilans()
        .filter(created_at__lte=limit)
        .exclude(Exists(open_or_recent))
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class RetentionReport:
    checks: int


def isolation_checks_retention_apply(
    *, now: datetime | None = None, dry_run: bool = False, organisation_id: int | None = None
) -> RetentionReport:
    """Delete the checks past their retention period (of `organisation_id`, or of every
    organisation), one audit entry per organisation (counts only: what was answered is not
    copied into the log). Three queries per organisation, whatever the number of checks."""
    due = checks_past_retention(now=now)
    if organisation_id is not None:
        due = due.filter(organisation_id=organisation_id)
    if dry_run:
        return RetentionReport(checks=due.count())
    total = 0
    organisation_ids = sorted(set(due.values_list("organisation_id", flat=True)))
    for organisation_id in organisation_ids:
        with transaction.atomic():
            ids = list(
                checks_past_retention(now=now)
                .filter(organisation_id=organisation_id)
                .values_list("pk", flat=True)
            )
            count, _ = IsolationCheck.objects.filter(pk__in=ids).delete()
            audit_record(
                actor=None,
                action="isolation_check.retention_delete",
                data={
                    "organisation_id": organisation_id,
                    "deleted": count,
                    "months": retention_months(),
                },
            )
        total += count
    return RetentionReport(checks=total)


@task()
def isolation_checks_retention_apply_task(organisation_id: int | None = None) -> int:
    """Daily: delete the isolation checks taken outside any bilan and past their retention
    period, of the organisation (of every organisation without `organisation_id`); returns
    how many went."""
    return isolation_checks_retention_apply(organisation_id=organisation_id).checks
