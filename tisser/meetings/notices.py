"""What the meetings' notices say: reminders, a meeting moved or cancelled, and the nudges and
alerts of the inactivity detection. Subjects are gettext strings, bodies templates under
`emails/notifications/`, in the recipient's language, dates in the series' own time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.meetings.models import MeetingKind, MeetingSeries, Occurrence, SeriesParticipant
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.notifications.content import Content, absolute_url, language_of, render_body
from tisser.notifications.models import Channel


def occurrence_path(occurrence: Occurrence) -> str:
    return reverse("meetings:occurrence", args=[occurrence.pk])


def series_path(series: MeetingSeries) -> str:
    return reverse("meetings:series", args=[series.pk])


def title_for(series: MeetingSeries, *, role: str | None) -> str:
    """The series' title as its participant of `role` reads it. A bilan's entretien is titled
    with its beneficiary's name for the consultant's agenda (« Entretien de bilan — Camille
    Roussel »); its beneficiary, its one participant who does not organise it (the
    consultant does, ADR 0022), reads « Entretien de bilan »: her own name tells her nothing.
    The rule of the Rencontres pages (`www.meetings.views.titles_shown`), decided from what
    the notices' planners have in hand: no query."""
    if (
        series.kind == MeetingKind.BILAN_SESSION
        and role == SeriesParticipant.ParticipantRole.PARTICIPANT
    ):
        return str(MeetingKind.BILAN_SESSION.label)
    return series.title


def _when(moment: datetime, series: MeetingSeries) -> str:
    local = timezone.localtime(moment, ZoneInfo(series.timezone))
    return french_date(local, "l j F à H:i")


def reminder_content(
    *, kind: str, occurrence: Occurrence, recipient: User, channel: str, role: str | None
) -> Content:
    """An agenda, meeting or notes reminder, with the occurrence's current state (the number
    of agenda items is counted when this is called); `role` is the recipient's in the series
    (see `title_for`)."""
    series = occurrence.series
    path = occurrence_path(occurrence)
    with translation.override(language_of(recipient)):
        when = _when(occurrence.start, series)
        context = {
            "title": title_for(series, role=role),
            "when": when,
            "location": occurrence.location,
            "mode": occurrence.get_mode_display(),
            "link": absolute_url(path),
        }
        if kind == MeetingNotice.AGENDA_REMINDER:
            # Counted with the occurrence by the planner (`reminders_plan`), else here.
            agenda_count = getattr(occurrence, "agenda_count", None)
            if agenda_count is None:
                agenda_count = occurrence.agenda.count()
            subject = _("Préparez l'ordre du jour : %(title)s, %(when)s") % context
            body = render_body(
                "agenda_reminder", recipient, channel, agenda_count=agenda_count, **context
            )
        elif kind == MeetingNotice.MEETING_REMINDER:
            subject = _("Rappel : %(title)s, %(when)s") % context
            body = render_body("meeting_reminder", recipient, channel, **context)
        elif kind == MeetingNotice.NOTES_REMINDER:
            subject = _("Compte rendu à compléter : %(title)s") % context
            body = render_body("notes_reminder", recipient, channel, **context)
        else:
            raise ValueError(f"not a reminder: {kind}")
    return Content(subject=subject, body=body, url=path)


def change_content(
    *,
    kind: str,
    occurrence: Occurrence,
    recipient: User,
    channel: str,
    role: str | None,
    actor: User | None,
    old_start: datetime | None = None,
) -> Content:
    """A meeting moved (`MEETING_CHANGED`) or cancelled (`MEETING_CANCELLED`), told to the
    participant of `role` (see `title_for`)."""
    series = occurrence.series
    path = occurrence_path(occurrence)
    with translation.override(language_of(recipient)):
        context = {
            "title": title_for(series, role=role),
            "when": _when(occurrence.start, series),
            "old_when": _when(old_start, series) if old_start else "",
            "actor": str(actor) if actor else "",
            "location": occurrence.location,
            "link": absolute_url(path),
        }
        if kind == MeetingNotice.MEETING_CHANGED:
            subject = _("Rencontre déplacée : %(title)s, désormais %(when)s") % context
            body = render_body("meeting_changed", recipient, channel, **context)
        else:
            subject = _("Rencontre annulée : %(title)s, %(when)s") % context
            body = render_body("meeting_cancelled", recipient, channel, **context)
    return Content(subject=subject, body=body, url=path)


def inactivity_nudge_content(
    *, series: MeetingSeries, recipient: User, channel: str, weeks: int
) -> Content:
    path = series_path(series)
    with translation.override(language_of(recipient)):
        context = {"title": series.title, "weeks": weeks, "link": absolute_url(path)}
        subject = _("Des nouvelles de « %(title)s » ?") % context
        body = render_body("inactivity_nudge", recipient, channel, **context)
    return Content(subject=subject, body=body, url=path)


def inactivity_alert_content(*, series: MeetingSeries, recipient: User, weeks: int) -> Content:
    path = series_path(series)
    with translation.override(language_of(recipient)):
        context = {
            "title": series.title,
            "kind": series.get_kind_display(),
            "weeks": weeks,
            "participants": ", ".join(str(p.user) for p in series.participants.all()),
            "link": absolute_url(path),
        }
        subject = (
            ngettext(
                "À suivre : « %(title)s » sans rencontre depuis %(weeks)s semaine",
                "À suivre : « %(title)s » sans rencontre depuis %(weeks)s semaines",
                weeks,
            )
            % context
        )
        body = render_body("inactivity_alert", recipient, Channel.IN_APP, **context)
    return Content(subject=subject, body=body, url=path)


def absence_nudge_content(*, series: MeetingSeries, recipient: User, channel: str) -> Content:
    path = series_path(series)
    with translation.override(language_of(recipient)):
        context = {"title": series.title, "link": absolute_url(path)}
        subject = _("On pense à vous : « %(title)s »") % context
        body = render_body("absence_nudge", recipient, channel, **context)
    return Content(subject=subject, body=body, url=path)


def absence_alert_content(*, series: MeetingSeries, recipient: User, absent: User) -> Content:
    path = series_path(series)
    with translation.override(language_of(recipient)):
        context = {"title": series.title, "name": str(absent), "link": absolute_url(path)}
        subject = (
            _("À suivre : %(name)s n'a pas pu venir aux deux dernières rencontres de « %(title)s »")
            % context
        )
        body = render_body("absence_alert", recipient, Channel.IN_APP, **context)
    return Content(subject=subject, body=body, url=path)
