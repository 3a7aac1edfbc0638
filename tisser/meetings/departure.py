"""A person who leaves (ADR 0019): their calendar link, what they put on meetings' agendas
and the actions given to them. Their attendance stays: it is the émargement the organisme
must keep."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tisser.core.departure_counts import Going, add_deleted
from tisser.core.personal_data import register_departure, register_departure_goings
from tisser.meetings.models import ActionItem, AgendaItem, CalendarFeed


@register_departure(
    "meetings",
    label=_("Le lien d'agenda, les points d'ordre du jour et les actions des rencontres"),
    covers=("meetings.CalendarFeed", "meetings.AgendaItem", "meetings.ActionItem"),
)
def meetings_departure(*, user) -> dict[str, int]:
    counts: dict[str, int] = {}
    add_deleted(counts, CalendarFeed.objects.filter(user=user).delete())
    add_deleted(counts, AgendaItem.objects.filter(author=user).delete())
    add_deleted(counts, ActionItem.objects.filter(Q(owner=user) | Q(created_by=user)).delete())
    return counts


@register_departure_goings("meetings")
def meetings_goings(*, user) -> list[Going]:
    return [
        Going(CalendarFeed.objects.filter(user=user)),
        Going(AgendaItem.objects.filter(author=user)),
        Going(ActionItem.objects.filter(Q(owner=user) | Q(created_by=user))),
    ]
