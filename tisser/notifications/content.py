"""What each kind of message says. Subjects are gettext strings, bodies are templates under
`emails/notifications/`; both in the recipient's language (French by default), dates in the
series' own time zone. The same text serves the e-mail and the in-app notification; only the
e-mail gets the greeting and the signature."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.meetings.models import MeetingSeries, Occurrence
from tisser.notifications.models import Channel, NotificationKind

TEMPLATE_DIR = "emails/notifications"


@dataclass(frozen=True)
class Content:
    subject: str
    body: str
    url: str = ""


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def occurrence_path(occurrence: Occurrence) -> str:
    return reverse("meetings:occurrence", args=[occurrence.pk])


def series_path(series: MeetingSeries) -> str:
    return reverse("meetings:series", args=[series.pk])


def _when(moment: datetime, series: MeetingSeries) -> str:
    local = timezone.localtime(moment, ZoneInfo(series.timezone))
    return formats.date_format(local, "l j F, H:i")


def _render(template: str, recipient: User, channel: str, **context) -> str:
    context |= {
        "recipient": recipient,
        "email": channel == Channel.EMAIL,
        "preferences_link": absolute_url(reverse("notifications:preferences")),
    }
    return render_to_string(f"{TEMPLATE_DIR}/{template}.txt", context).strip() + "\n"


def _language(recipient: User) -> str:
    return recipient.preferred_language or settings.LANGUAGE_CODE


def reminder_content(
    *, kind: str, occurrence: Occurrence, recipient: User, channel: str
) -> Content:
    """An agenda, meeting or notes reminder, with the occurrence's current state (the number
    of agenda items is counted when this is called)."""
    series = occurrence.series
    path = occurrence_path(occurrence)
    with translation.override(_language(recipient)):
        when = _when(occurrence.start, series)
        context = {
            "title": series.title,
            "when": when,
            "location": occurrence.location,
            "mode": occurrence.get_mode_display(),
            "link": absolute_url(path),
        }
        if kind == NotificationKind.AGENDA_REMINDER:
            agenda_count = occurrence.agenda.count()
            subject = _("Préparez l'ordre du jour : %(title)s, %(when)s") % context
            body = _render(
                "agenda_reminder", recipient, channel, agenda_count=agenda_count, **context
            )
        elif kind == NotificationKind.MEETING_REMINDER:
            subject = _("Rappel : %(title)s, %(when)s") % context
            body = _render("meeting_reminder", recipient, channel, **context)
        elif kind == NotificationKind.NOTES_REMINDER:
            subject = _("Compte rendu à compléter : %(title)s") % context
            body = _render("notes_reminder", recipient, channel, **context)
        else:
            raise ValueError(f"not a reminder: {kind}")
    return Content(subject=subject, body=body, url=path)


def change_content(
    *,
    kind: str,
    occurrence: Occurrence,
    recipient: User,
    channel: str,
    actor: User | None,
    old_start: datetime | None = None,
) -> Content:
    """A meeting moved (`MEETING_CHANGED`) or cancelled (`MEETING_CANCELLED`)."""
    series = occurrence.series
    path = occurrence_path(occurrence)
    with translation.override(_language(recipient)):
        context = {
            "title": series.title,
            "when": _when(occurrence.start, series),
            "old_when": _when(old_start, series) if old_start else "",
            "actor": str(actor) if actor else "",
            "location": occurrence.location,
            "link": absolute_url(path),
        }
        if kind == NotificationKind.MEETING_CHANGED:
            subject = _("Rencontre déplacée : %(title)s, désormais %(when)s") % context
            body = _render("meeting_changed", recipient, channel, **context)
        else:
            subject = _("Rencontre annulée : %(title)s, %(when)s") % context
            body = _render("meeting_cancelled", recipient, channel, **context)
    return Content(subject=subject, body=body, url=path)


@dataclass(frozen=True)
class DigestItem:
    subject: str
    link: str


def digest_content(*, recipient: User, day: date, items: list[DigestItem]) -> Content:
    """One e-mail gathering the reminders of a day for a person who chose the digest."""
    path = reverse("notifications:list")
    with translation.override(_language(recipient)):
        day_label = formats.date_format(day, "l j F")
        subject = _("Vos rappels Tisser du %(day)s") % {"day": day_label}
        body = _render(
            "daily_digest",
            recipient,
            Channel.EMAIL,
            day=day_label,
            items=items,
            link=absolute_url(path),
        )
    return Content(subject=subject, body=body, url=path)


def inactivity_nudge_content(
    *, series: MeetingSeries, recipient: User, channel: str, weeks: int
) -> Content:
    path = series_path(series)
    with translation.override(_language(recipient)):
        context = {"title": series.title, "weeks": weeks, "link": absolute_url(path)}
        subject = _("Des nouvelles de « %(title)s » ?") % context
        body = _render("inactivity_nudge", recipient, channel, **context)
    return Content(subject=subject, body=body, url=path)


def inactivity_alert_content(*, series: MeetingSeries, recipient: User, weeks: int) -> Content:
    path = series_path(series)
    with translation.override(_language(recipient)):
        context = {
            "title": series.title,
            "kind": series.get_kind_display(),
            "weeks": weeks,
            "participants": ", ".join(str(p.user) for p in series.participants.all()),
            "link": absolute_url(path),
        }
        subject = _("À suivre : « %(title)s » sans rencontre depuis %(weeks)s semaines") % context
        body = _render("inactivity_alert", recipient, Channel.IN_APP, **context)
    return Content(subject=subject, body=body, url=path)


def absence_nudge_content(*, series: MeetingSeries, recipient: User, channel: str) -> Content:
    path = series_path(series)
    with translation.override(_language(recipient)):
        context = {"title": series.title, "link": absolute_url(path)}
        subject = _("On pense à vous : « %(title)s »") % context
        body = _render("absence_nudge", recipient, channel, **context)
    return Content(subject=subject, body=body, url=path)


def absence_alert_content(*, series: MeetingSeries, recipient: User, absent: User) -> Content:
    path = series_path(series)
    with translation.override(_language(recipient)):
        context = {"title": series.title, "name": str(absent), "link": absolute_url(path)}
        subject = (
            _("À suivre : %(name)s n'a pas pu venir aux deux dernières rencontres de « %(title)s »")
            % context
        )
        body = _render("absence_alert", recipient, Channel.IN_APP, **context)
    return Content(subject=subject, body=body, url=path)
