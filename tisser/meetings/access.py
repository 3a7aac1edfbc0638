"""How pages fetch a series, one of its meetings or an agenda item (ADR 0008).

Every helper starts from `visible_to` and ends in `get_object_or_404`: a meeting someone
neither takes part in nor coordinates answers 404. What a participant or the organiser may
then do is decided by the services, through `tisser.meetings.services.access`."""

from django.shortcuts import get_object_or_404

from tisser.meetings.models import AgendaItem, MeetingSeries, Occurrence


def access_series(user, series_id: int) -> MeetingSeries:
    """A series `user` takes part in or coordinates (`MeetingSeries.objects.visible_to`)."""
    return get_object_or_404(MeetingSeries.objects.visible_to(user), pk=series_id)


def access_occurrence(user, occurrence_id: int) -> Occurrence:
    """A meeting of a series `user` may see (`access_series`)."""
    return get_object_or_404(
        Occurrence.objects.visible_to(user).select_related("series"), pk=occurrence_id
    )


def access_agenda_item(user, item_id: int) -> AgendaItem:
    """An agenda item of a meeting `user` may see; the services decide who may change it."""
    return get_object_or_404(
        AgendaItem.objects.filter(
            occurrence__in=Occurrence.objects.visible_to(user)
        ).select_related("occurrence__series"),
        pk=item_id,
    )
