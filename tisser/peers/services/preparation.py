"""Preparing a group's meeting: before it, each member checks in with a success to share, a
blocker or a question; these become the points of the meeting's agenda. Two days before, the
members who have not checked in yet are reminded."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.meetings.models import AgendaItem, Occurrence
from tisser.meetings.services import agenda_item_add
from tisser.notifications.services import (
    PlannedNotification,
    channels_for,
    notifications_bulk_get_or_create,
)
from tisser.peers.group_notices import checkin_reminder_content
from tisser.peers.models import PeerGroup, PeerGroupMember
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.services.charter import require_accepted

REMINDER_LEAD = timedelta(days=2)


@dataclass(frozen=True)
class CheckInData:
    success: str = ""
    blocker: str = ""
    question: str = ""


def occurrence_is_preparable(group: PeerGroup, occurrence: Occurrence, *, now=None) -> bool:
    """A meeting of the group's series, not cancelled, still to come, in an active group."""
    return (
        group.status == PeerGroup.Status.ACTIVE
        and group.series_id is not None
        and occurrence.series_id == group.series_id
        and occurrence.status == Occurrence.Status.SCHEDULED
        and occurrence.start > (now or timezone.now())
    )


@transaction.atomic
def meeting_checkin(
    *, actor: User, group: PeerGroup, occurrence: Occurrence, data: CheckInData
) -> list[AgendaItem]:
    """An accepted member's check-in before a meeting: each point given (at least one)
    becomes an agenda item of that kind, authored by them, at the end of the agenda."""
    require_accepted(actor, group)
    if not occurrence_is_preparable(group, occurrence):
        raise ValidationError(
            _("Cette rencontre n'est plus à venir : son ordre du jour ne se prépare plus."),
            code="not_preparable",
        )
    points = [
        (AgendaItem.Kind.SUCCESS, data.success.strip()),
        (AgendaItem.Kind.BLOCKER, data.blocker.strip()),
        (AgendaItem.Kind.QUESTION, data.question.strip()),
    ]
    points = [(kind, text) for kind, text in points if text]
    if not points:
        raise ValidationError(
            _("Écrivez au moins un point : un succès, un blocage ou une question."),
            code="empty",
        )
    items = [
        agenda_item_add(actor=actor, occurrence=occurrence, kind=kind, text=text)
        for kind, text in points
    ]
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
    audit_record(
        actor=actor,
        action="peer_meeting_checkin",
        target=occurrence,
        organisation=group.organisation,
        data={"group_id": group.pk, "kinds": [str(kind) for kind, _text in points]},
    )
    return items


def checkin_reminders_plan(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> int:
    """For every meeting of an active group (of `organisation_id`, or of every organisation)
    starting within REMINDER_LEAD, remind each accepted member who has put nothing on its
    agenda yet (once per meeting and start time: the idempotency key names both). Returns how
    many notifications were created. A bounded number of queries: the meetings, their
    agendas' authors, the groups' members, then two per thousand messages."""
    now = now or timezone.now()
    due = Occurrence.objects.filter(
        series__peer_group__status=PeerGroup.Status.ACTIVE,
        series__ended_at__isnull=True,
        status=Occurrence.Status.SCHEDULED,
        start__gt=now,
        start__lte=now + REMINDER_LEAD,
    )
    if organisation_id is not None:
        due = due.filter(series__peer_group__organisation_id=organisation_id)
    occurrences = list(due.select_related("series__peer_group").order_by("start", "pk"))
    if not occurrences:
        return 0
    authors: dict[int, set[int]] = defaultdict(set)
    for occurrence_id, author_id in AgendaItem.objects.filter(
        occurrence__in=occurrences
    ).values_list("occurrence_id", "author_id"):
        authors[occurrence_id].add(author_id)
    members: dict[int, list[PeerGroupMember]] = defaultdict(list)
    for member in (
        PeerGroupMember.objects.filter(
            group_id__in={occurrence.series.peer_group.pk for occurrence in occurrences},
            status=PeerGroupMember.Status.ACCEPTED,
            user__is_active=True,
        )
        .select_related("user__notification_preference")
        .order_by("group_id", "position", "pk")
    ):
        members[member.group_id].append(member)

    def planned():
        for occurrence in occurrences:
            group = occurrence.series.peer_group
            mark = f"{timezone.localtime(occurrence.start):%Y%m%d%H%M}"
            for member in members[group.pk]:
                if member.user_id in authors[occurrence.pk]:
                    continue
                for channel in channels_for(member.user):
                    yield PlannedNotification(
                        recipient=member.user,
                        channel=channel,
                        kind=PeerNotice.PEER_CHECKIN_REMINDER,
                        idempotency_key=(
                            f"peers:checkin:o{occurrence.pk}:{mark}:u{member.user_id}:{channel}"
                        ),
                        content=partial(
                            checkin_reminder_content,
                            group=group,
                            occurrence=occurrence,
                            recipient=member.user,
                            channel=channel,
                        ),
                        occurrence=occurrence,
                        occurrence_start=occurrence.start,
                        scheduled_for=now,
                    )

    return notifications_bulk_get_or_create(planned())
