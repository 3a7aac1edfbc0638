"""A group comes to life: it becomes ACTIVE and its twice-monthly meetings are planned."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.audit import audit_record
from tisser.meetings.models import MeetingMode
from tisser.meetings.services import peer_group_series_create, series_member_enter
from tisser.mentoring.models import DaySlot, availability_bit
from tisser.peers.models import PeerGroup, PeerGroupMember, PeerMode, PeerProfile

# When a slot of the availability grid starts, for the first meeting.
SLOT_START = {
    DaySlot.MORNING: time(10, 0),
    DaySlot.AFTERNOON: time(14, 0),
    DaySlot.EVENING: time(18, 30),
}
FIRST_MEETING_AFTER_DAYS = 7
MEETING_MINUTES = 90
TWICE_A_MONTH = "FREQ=WEEKLY;INTERVAL=2"


def common_availability(group: PeerGroup) -> int:
    """The weekly slots every current member is free at (their preferences' bitsets ANDed)."""
    users = group.members.exclude(status=PeerGroupMember.Status.LEFT).values("user_id")
    bits = None
    for value in PeerProfile.objects.filter(
        organisation=group.organisation, user_id__in=users
    ).values_list("availability", flat=True):
        bits = value if bits is None else bits & value
    return bits or 0


def first_meeting(group: PeerGroup, *, after: datetime) -> datetime:
    """The first common slot at least FIRST_MEETING_AFTER_DAYS after `after`; a Tuesday
    evening when the members share none (the member who organises moves it in Rencontres)."""
    common = common_availability(group)
    day = timezone.localdate(after) + timedelta(days=FIRST_MEETING_AFTER_DAYS)
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        for slot in DaySlot:
            if common & availability_bit(candidate.weekday(), slot.value):
                return datetime.combine(
                    candidate, SLOT_START[slot], tzinfo=timezone.get_current_timezone()
                )
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime.combine(
        day, SLOT_START[DaySlot.EVENING], tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def peer_group_activate(*, group: PeerGroup, by: User) -> PeerGroup:
    """PROPOSED → ACTIVE: the group is published to its members and its meetings, every two
    weeks at their first common slot, are planned in Rencontres by `by` (a coordinator of the
    organisation, checked by `peer_group_series_create`), who takes no part in them. Only the
    members who have joined (accepted) take part, the first of them as organiser: a person
    merely proposed sees none of what members write (agenda, notes, actions); the
    coordination sees dates and attendance."""
    group = PeerGroup.objects.select_for_update().get(pk=group.pk)
    if group.status != PeerGroup.Status.PROPOSED:
        raise ValidationError(_("Ce groupe est déjà publié."), code="not_proposed")
    members = [
        member.user
        for member in group.members.exclude(status=PeerGroupMember.Status.LEFT)
        .select_related("user")
        .order_by("position", "pk")
    ]
    modes = set(
        PeerProfile.objects.filter(organisation=group.organisation, user__in=members).values_list(
            "mode", flat=True
        )
    )
    in_person = modes == {PeerMode.IN_PERSON}
    started = timezone.now()
    group.series = peer_group_series_create(
        by=by,
        organisation=group.organisation,
        title=_("Groupe de pairs « %(name)s »") % {"name": group.name},
        first_start=first_meeting(group, after=started),
        duration_minutes=MEETING_MINUTES,
        rrule=TWICE_A_MONTH,
        mode=MeetingMode.ON_SITE if in_person else MeetingMode.VIDEO,
    )
    for member in (
        group.members.filter(status=PeerGroupMember.Status.ACCEPTED, user__is_active=True)
        .select_related("user")
        .order_by("position", "pk")
    ):
        series_member_enter(series=group.series, user=member.user)
    group.status = PeerGroup.Status.ACTIVE
    group.published_at = started
    group.last_activity_at = started
    group.version += 1
    group.save()
    audit_record(
        actor=by,
        action="peer_group_activate",
        target=group,
        organisation=group.organisation,
        data={"members": [user.pk for user in members]},
    )
    return group
