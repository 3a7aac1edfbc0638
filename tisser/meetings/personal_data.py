"""The meetings part of a person's archive ("Mes données"): the series they take part in or
organised, their attendance, the agenda items they wrote, the actions they own or gave, and
whether they subscribed to a calendar feed (never its token). The meeting's shared notes
belong to the meeting, not to one person."""

from django.db.models import Q

from tisser.core.personal_data import register_exporter
from tisser.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    MeetingSeries,
    SeriesParticipant,
)


@register_exporter(
    "meetings",
    covers=(
        "meetings.MeetingSeries",
        "meetings.SeriesParticipant",
        "meetings.Attendance",
        "meetings.AgendaItem",
        "meetings.ActionItem",
        "meetings.CalendarFeed",
    ),
)
def meetings_personal_data(*, user) -> dict:
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "series": list(
            SeriesParticipant.objects.filter(user=user)
            .order_by("pk")
            .values(
                "series__title",
                "series__kind",
                "series__first_start",
                "series__ended_at",
                "role",
                "joined_at",
            )
        ),
        "organised": list(
            MeetingSeries.objects.filter(created_by=user)
            .order_by("pk")
            .values("title", "kind", "first_start", "rrule", "mode", "location", "created_at")
        ),
        "attendance": list(
            Attendance.objects.filter(user=user)
            .order_by("occurrence__start", "pk")
            .values(
                "occurrence__series__title",
                "occurrence__start",
                "status",
                "recorded_at",
                "confirmed_by_participant_at",
            )
        ),
        "agenda_items": list(
            AgendaItem.objects.filter(author=user)
            .order_by("pk")
            .values("occurrence__series__title", "occurrence__start", "kind", "text", "created_at")
        ),
        "actions": [
            {
                "series": action.series.title,
                "text": action.text,
                "due_on": action.due_on,
                "done_at": action.done_at,
                "mine": action.owner_id == user.pk,
                "given_by_me": action.created_by_id == user.pk,
                "created_at": action.created_at,
            }
            for action in ActionItem.objects.filter(Q(owner=user) | Q(created_by=user))
            .select_related("series")
            .order_by("pk")
        ],
        "calendar_feed": None
        if feed is None
        else {"created_at": feed.created_at, "last_fetched_at": feed.last_fetched_at},
    }


# What goes when the person leaves (ADR 0019).
from tisser.meetings import departure  # noqa: E402, F401
