"""Double booking: a person who plans a bilan entretien must be free at that time (ADR 0022).

The check runs inside the write transaction that plans or moves the meetings, after the
person's row is locked (`schedule_lock`): two plans for the same consultant at once are
served one after the other, and the second sees the first's meetings."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.meetings.models import Occurrence

Slot = tuple[datetime, datetime]


def schedule_lock(user: User) -> None:
    """Lock `user`'s row until the end of the current transaction. Every write that checks
    `user`'s clashes takes it first, so that the check and the write are atomic."""
    User.objects.select_for_update().only("pk").get(pk=user.pk)


def first_clash(
    *,
    user: User,
    slots: list[Slot],
    exclude_occurrence_id: int | None = None,
    exclude_series_id: int | None = None,
) -> Occurrence | None:
    """The earliest scheduled meeting `user` takes part in (as organiser or participant, of
    any kind) that overlaps one of `slots` (start, end), or None. Meetings that merely touch
    (one ends at 14:00, the other starts at 14:00) do not overlap."""
    if not slots:
        return None
    overlaps = Q()
    for start, end in slots:
        overlaps |= Q(start__lt=end, end__gt=start)
    return (
        Occurrence.objects.scheduled()
        .filter(overlaps, series__participants__user=user)
        .exclude(pk=exclude_occurrence_id)
        .exclude(series_id=exclude_series_id)
        .select_related("series")
        .order_by("start", "id")
        .first()
    )


def _names(occurrence: Occurrence, user: User) -> str:
    people = [
        person.get_full_name() or person.email
        for person in User.objects.filter(meeting_participations__series=occurrence.series)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "id")
    ]
    if len(people) <= 1:
        return "".join(people)
    return _("%(names)s et %(last)s") % {"names": ", ".join(people[:-1]), "last": people[-1]}


def clash_message(occurrence: Occurrence, user: User) -> str:
    """« Vous avez déjà « Point d'équipe » avec Claire Morel le mardi 3 mars de 14:00 à
    15:30. » — what `user` already has at that time, with whom and when (the times as every
    page writes them, `french_date` with "H:i", ADR 0027)."""
    start, end = timezone.localtime(occurrence.start), timezone.localtime(occurrence.end)
    # The year only when it is not this one.
    day_format = "l j F" if start.year == timezone.localdate().year else "l j F Y"
    values = {
        "title": occurrence.series.title,
        "names": _names(occurrence, user),
        "day": french_date(start, day_format),
        "start": french_date(start, "H:i"),
        "end": french_date(end, "H:i"),
    }
    if values["names"]:
        return (
            _("Vous avez déjà « %(title)s » avec %(names)s le %(day)s de %(start)s à %(end)s.")
            % values
        )
    return _("Vous avez déjà « %(title)s » le %(day)s de %(start)s à %(end)s.") % values


def require_free(
    *,
    user: User,
    slots: list[Slot],
    field: str,
    exclude_occurrence_id: int | None = None,
    exclude_series_id: int | None = None,
) -> None:
    """Raise a ValidationError on `field` naming the clash when `user` already has a
    scheduled meeting overlapping one of `slots`. Call it inside the write transaction,
    after `schedule_lock(user)`."""
    clash = first_clash(
        user=user,
        slots=slots,
        exclude_occurrence_id=exclude_occurrence_id,
        exclude_series_id=exclude_series_id,
    )
    if clash is not None:
        raise ValidationError({field: [ValidationError(clash_message(clash, user), code="clash")]})


def is_clash(error: ValidationError) -> bool:
    """True when `error` is the refusal `require_free` raises: a caller acting for someone
    else (a beneficiary accepting their consultant's proposal) can then say it in words
    that do not show the other person's agenda."""
    return any(
        item.code == "clash"
        for items in getattr(error, "error_dict", {}).values()
        for item in items
    )
