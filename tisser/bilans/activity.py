"""A bilan's last activity, kept on the row (`Bilan.last_activity_at`) so that the
caseload and the coordinator's list sort and filter on it in the database (issue #16).

Last activity is the latest of: an audit event on the bilan itself or done by the
beneficiary in the bilan's organisation (consent, tools, émargement…), an isolation check
of the beneficiary in that organisation, an attendance recorded on one of its entretiens,
and its opening. Each of these writes an audit entry in the same transaction (the isolation
check by the beneficiary, an attendance with the attendance as target), so one follower of
the audit log (`audit_follow`, ADR 0009) keeps the field: `bilan_activity_note`, one UPDATE
per entry (one per batch for the entries a job writes together). `bilan_activity_refresh`
recomputes it from the sources, for rows written without the services (the data migration
does the same with its frozen models)."""

from django.db.models import CharField, DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest

from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Bilan, BilanSession
from tisser.core.audit import audit_follow
from tisser.core.models import AuditEvent
from tisser.meetings.models import Attendance


def bilan_activity_note(event: AuditEvent, target=None) -> None:
    """Move the last activity of the bilans `event` is about to its time, never backwards."""
    about = Q()
    if event.organisation_id is not None:
        if event.target_type == "bilans.bilan" and event.target_id.isdigit():
            about |= Q(pk=int(event.target_id), organisation_id=event.organisation_id)
        if event.actor_id is not None:
            about |= Q(beneficiary_id=event.actor_id, organisation_id=event.organisation_id)
    if event.target_type == "meetings.attendance" and isinstance(target, Attendance):
        sessions = BilanSession.objects.filter(series__occurrences=target.occurrence_id)
        about |= Q(pk__in=sessions.values("bilan_id"))
    if not about:
        return
    Bilan.objects.filter(about, last_activity_at__lt=event.created_at).update(
        last_activity_at=event.created_at
    )


def bilan_activity_note_many(events) -> None:
    """`bilan_activity_note` for entries written together (`audit_record_many`): one UPDATE
    for the bilans they are about or were done by their beneficiary, to the latest of their
    times (they were written in the same instant); an attendance, entry by entry."""
    targets: dict[int, set[int]] = {}
    actors: dict[int, set[int]] = {}
    for event in events:
        if event.target_type == "meetings.attendance" or event.organisation_id is None:
            bilan_activity_note(event)
            continue
        if event.target_type == "bilans.bilan" and event.target_id.isdigit():
            targets.setdefault(event.organisation_id, set()).add(int(event.target_id))
        if event.actor_id is not None:
            actors.setdefault(event.organisation_id, set()).add(event.actor_id)
    about = Q()
    for organisation_id, ids in targets.items():
        about |= Q(pk__in=sorted(ids), organisation_id=organisation_id)
    for organisation_id, ids in actors.items():
        about |= Q(beneficiary_id__in=sorted(ids), organisation_id=organisation_id)
    if not about:
        return
    latest = max(event.created_at for event in events)
    Bilan.objects.filter(about, last_activity_at__lt=latest).update(last_activity_at=latest)


audit_follow(bilan_activity_note, many=bilan_activity_note_many)


def last_activity_expression():
    """The last activity of the bilan of the outer query, read from its sources."""
    audit = AuditEvent.objects.filter(organisation=OuterRef("organisation")).order_by("-created_at")
    sources = [
        IsolationCheck.objects.filter(
            user=OuterRef("beneficiary"), organisation=OuterRef("organisation")
        )
        .order_by("-created_at")
        .values("created_at")[:1],
        audit.filter(
            target_type="bilans.bilan", target_id=Cast(OuterRef("pk"), output_field=CharField())
        ).values("created_at")[:1],
        audit.filter(actor=OuterRef("beneficiary")).values("created_at")[:1],
        Attendance.objects.filter(occurrence__series__bilan_session__bilan=OuterRef("pk"))
        .order_by("-recorded_at")
        .values("recorded_at")[:1],
    ]
    # Each falls back on the opening: the same on PostgreSQL (GREATEST skips NULLs) and
    # SQLite (where it does not).
    return Greatest(
        *(
            Coalesce(Subquery(source), F("opened_at"), output_field=DateTimeField())
            for source in sources
        ),
        F("opened_at"),
    )


def bilan_activity_refresh(bilans: QuerySet[Bilan] | None = None) -> int:
    """Recompute the last activity of `bilans` (all of them: None) from its sources; for
    rows written in bulk (demo data, benchmarks). Returns the number of rows."""
    bilans = Bilan.objects.all() if bilans is None else bilans
    return bilans.update(last_activity_at=last_activity_expression())
