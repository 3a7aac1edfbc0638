"""The agenda of a meeting: points each participant adds before it, in an order they share."""

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.meetings.models import AgendaItem, Occurrence
from tisser.meetings.services.access import is_organiser, require_participant


def _lock_occurrence(occurrence: Occurrence) -> Occurrence:
    # Positions are read then written: adds and moves on one agenda go one at a time.
    return Occurrence.objects.select_for_update().get(pk=occurrence.pk)


def agenda_item_add(
    *, actor: User, occurrence: Occurrence, kind: AgendaItem.Kind, text: str
) -> AgendaItem:
    """Add a point (blocker, question, success or free topic) at the end of the agenda.
    Any participant may, unless the meeting is cancelled."""
    require_participant(actor, occurrence.series)
    with transaction.atomic():
        locked = _lock_occurrence(occurrence)
        if locked.status == Occurrence.Status.CANCELLED:
            raise ValidationError(
                _("Cette rencontre est annulée : son ordre du jour ne peut plus changer."),
                code="cancelled",
            )
        last = locked.agenda.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem(
            occurrence=locked, author=actor, kind=kind, text=text.strip(), position=last + 1
        )
        item.full_clean()
        item.save()
        audit_record(
            actor=actor,
            action="agenda_item.add",
            target=item,
            organisation=occurrence.series.organisation,
            data={"occurrence_id": occurrence.pk, "kind": str(kind)},
        )
    return item


def agenda_item_move(
    *, actor: User, item: AgendaItem, direction: Literal["up", "down"]
) -> AgendaItem:
    """Swap a point with its neighbour above ("up") or below ("down"). Any participant may.
    At the top (or bottom) already, nothing changes."""
    if direction not in ("up", "down"):
        raise ValueError(f"unknown direction {direction!r}")
    occurrence = item.occurrence
    require_participant(actor, occurrence.series)
    with transaction.atomic():
        _lock_occurrence(occurrence)
        items = list(AgendaItem.objects.filter(occurrence=occurrence).order_by("position", "id"))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        neighbour = index - 1 if direction == "up" else index + 1
        if not 0 <= neighbour < len(items):
            return item
        items[index], items[neighbour] = items[neighbour], items[index]
        # Renumbering the whole list also repairs equal positions (two adds racing before
        # this lock existed, or items created elsewhere).
        changed = []
        for position, other in enumerate(items, start=1):
            if other.position != position:
                other.position = position
                changed.append(other)
        AgendaItem.objects.bulk_update(changed, ["position"])
        audit_record(
            actor=actor,
            action="agenda_item.move",
            target=item,
            organisation=occurrence.series.organisation,
            data={"direction": direction},
        )
    item.refresh_from_db(fields=["position"])
    return item


def agenda_item_delete(*, actor: User, item: AgendaItem) -> None:
    """Remove a point: its author or the organiser may."""
    series = item.occurrence.series
    require_participant(actor, series)
    if item.author_id != actor.pk and not is_organiser(actor, series):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="agenda_item.delete",
            target=item,
            organisation=series.organisation,
            data={"occurrence_id": item.occurrence_id},
        )
        item.delete()
