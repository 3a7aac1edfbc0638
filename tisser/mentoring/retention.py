"""How long a mentorship is kept after it ended (ADR 0019; RGPD art. 5-1-e: no longer than
the purpose needs).

Rule: `TISSER_MENTORING_RETENTION_MONTHS` (12 by default) after `ended_at`, an ended
mentorship is deleted with everything written in it — the expectations agreement, the goals,
the progress updates and thanks, both sides' feedback — its meetings (dates, agendas, notes,
actions, attendance) and the request it came from. What stays: the mentor's profile and the
mentee's needs, which belong to people still on Tisser (each erases their own), and the
audit entry that says how many rows went. An active mentorship is never touched.
Running twice is harmless: what is gone is not found again."""

from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tisser.core.audit import audit_record
from tisser.meetings.models import MeetingSeries
from tisser.mentoring.models import Mentorship, MentorshipRequest

DEFAULT_MONTHS = 12


def retention_months() -> int:
    return getattr(settings, "TISSER_MENTORING_RETENTION_MONTHS", DEFAULT_MONTHS)


def mentorships_past_retention(*, now: datetime | None = None, organisation_id: int | None = None):
    """Ended mentorships (of `organisation_id`, or of every organisation) whose end is at
    least the retention period ago, oldest first."""
    now = now or timezone.now()
    limit = now - relativedelta(months=retention_months())
    mentorships = Mentorship.objects.filter(
        status=Mentorship.Status.ENDED, ended_at__isnull=False, ended_at__lte=limit
    )
    if organisation_id is not None:
        mentorships = mentorships.filter(organisation_id=organisation_id)
    return mentorships.order_by("ended_at", "pk")


@dataclass
class RetentionReport:
    mentorships: int = 0
    deleted: dict[str, int] = field(default_factory=dict)


def _add(report: RetentionReport, counts: dict[str, int]) -> None:
    for label, count in counts.items():
        report.deleted[label] = report.deleted.get(label, 0) + count


def mentoring_retention_apply(
    *, now: datetime | None = None, dry_run: bool = False, organisation_id: int | None = None
) -> RetentionReport:
    """Delete the mentorships past their retention period (see the module), of
    `organisation_id` (of every organisation when None). One transaction per mentorship;
    `dry_run` only counts them."""
    report = RetentionReport()
    due = list(
        mentorships_past_retention(now=now, organisation_id=organisation_id).values_list(
            "pk", flat=True
        )
    )
    if dry_run:
        report.mentorships = len(due)
        return report
    for pk in due:
        with transaction.atomic():
            mentorship = (
                Mentorship.objects.select_for_update()
                .filter(pk=pk, status=Mentorship.Status.ENDED)
                .select_related("organisation")
                .first()
            )
            if mentorship is None:
                continue
            series_id, request_id = mentorship.series_id, mentorship.request_id
            organisation = mentorship.organisation
            counts = dict(mentorship.delete()[1])
            if series_id is not None:
                for label, count in MeetingSeries.objects.filter(pk=series_id).delete()[1].items():
                    counts[label] = counts.get(label, 0) + count
            if request_id is not None:
                for label, count in (
                    MentorshipRequest.objects.filter(pk=request_id).delete()[1].items()
                ):
                    counts[label] = counts.get(label, 0) + count
            audit_record(
                actor=None,
                action="mentoring.retention_delete",
                organisation=organisation,
                data={"mentorship_id": pk, "deleted": counts, "months": retention_months()},
            )
        report.mentorships += 1
        _add(report, counts)
    return report
