"""After a meeting: shared notes and decisions, and the next actions that follow a series
from one meeting to the next until they are done."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.core.versioning import version_bump
from tisser.meetings.models import ActionItem, Occurrence
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.meetings.services.access import is_organiser, is_participant, require_participant
from tisser.notifications.actions import resolve

# The write-up saved by someone else meanwhile (StaleVersion, ADR 0007).
STALE_MESSAGE = gettext_lazy(
    "Quelqu'un a enregistré le compte rendu pendant que vous l'écriviez. "
    "Relisez sa version avant d'enregistrer la vôtre."
)


def occurrence_notes_save(
    *,
    actor: User,
    occurrence: Occurrence,
    notes: str,
    decisions: str,
    expected_version: int,
) -> Occurrence:
    """Save the shared notes and decisions of a meeting (any participant).

    Optimistic concurrency: the write only happens if the notes are still at
    `expected_version` (the version the person started from); otherwise StaleVersion
    carries the occurrence as saved and nothing is overwritten. The first non-empty notes
    date the write-up (`notes_completed_at`)."""
    require_participant(actor, occurrence.series)
    notes, decisions = notes.strip(), decisions.strip()
    current = now()
    with transaction.atomic():
        changes = {"notes": notes, "decisions": decisions, "updated_at": current}
        if notes:
            changes["notes_completed_at"] = Coalesce(
                "notes_completed_at", Value(current, output_field=DateTimeField())
            )
        version_bump(occurrence, expected=expected_version, message=STALE_MESSAGE, **changes)
        audit_record(
            actor=actor,
            action="occurrence.notes_save",
            target=occurrence,
            organisation=occurrence.series.organisation,
            data={"version": expected_version + 1},
        )
        if notes:
            # "Compléter le compte rendu" is done, for every participant (ADR 0024).
            resolve(occurrence, MeetingNotice.NOTES_REMINDER)
    occurrence.refresh_from_db()
    return occurrence


def occurrence_open_actions(occurrence: Occurrence) -> QuerySet[ActionItem]:
    """The rollover: the series' actions not done yet that were decided at earlier meetings
    (by actual start), to be reviewed at this one."""
    return (
        ActionItem.objects.filter(
            series_id=occurrence.series_id,
            done_at__isnull=True,
            occurrence__start__lt=occurrence.start,
        )
        .exclude(occurrence_id=occurrence.pk)
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def action_create(
    *,
    actor: User,
    occurrence: Occurrence,
    owner: User,
    text: str,
    due_on: date | None = None,
) -> ActionItem:
    """Record a next action decided at a meeting (any participant), owned by a participant.
    Not on a cancelled meeting."""
    series = occurrence.series
    require_participant(actor, series)
    if not is_participant(owner, series):
        raise ValidationError(
            _("La personne chargée de l'action doit participer à ces rencontres."), code="owner"
        )
    if occurrence.status == Occurrence.Status.CANCELLED:
        raise ValidationError(
            _("Cette rencontre est annulée : on ne peut pas y décider d'action."),
            code="cancelled",
        )
    with transaction.atomic():
        action = ActionItem(
            series=series,
            occurrence=occurrence,
            owner=owner,
            text=text.strip(),
            due_on=due_on,
            created_by=actor,
        )
        action.full_clean()
        action.save()
        audit_record(
            actor=actor,
            action="action_item.create",
            target=action,
            organisation=series.organisation,
            data={"occurrence_id": occurrence.pk, "owner_id": owner.pk},
        )
    return action


def _require_owner_or_organiser(actor: User, action: ActionItem) -> None:
    require_participant(actor, action.series)
    if action.owner_id != actor.pk and not is_organiser(actor, action.series):
        raise PermissionDenied


def action_complete(*, actor: User, action: ActionItem) -> ActionItem:
    """Tick an action done (its owner or the organiser); it leaves the following agendas.
    Already done: nothing changes (two people may tick it at the same time)."""
    _require_owner_or_organiser(actor, action)
    with transaction.atomic():
        done = ActionItem.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=now())
        if done:
            audit_record(
                actor=actor,
                action="action_item.complete",
                target=action,
                organisation=action.series.organisation,
            )
    action.refresh_from_db(fields=["done_at"])
    return action


def action_reopen(*, actor: User, action: ActionItem) -> ActionItem:
    """Mark a done action as not done (its owner or the organiser): it rolls over again.
    Not done already: nothing changes."""
    _require_owner_or_organiser(actor, action)
    with transaction.atomic():
        reopened = ActionItem.objects.filter(pk=action.pk, done_at__isnull=False).update(
            done_at=None
        )
        if reopened:
            audit_record(
                actor=actor,
                action="action_item.reopen",
                target=action,
                organisation=action.series.organisation,
            )
    action.refresh_from_db(fields=["done_at"])
    return action
