"""What a message is made of, and how the apps write theirs: subjects are gettext strings,
bodies are templates under `emails/notifications/` (`render_body`), both in the recipient's
language (`language_of`, French by default). The same text serves the e-mail and the in-app
notification; only the e-mail gets the greeting and the signature. The daily digest's text is
written here; each app writes its own messages (`meetings.notices`, `bilans.notices`…)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.core.french import quotes_bound
from tisser.notifications.models import Channel

TEMPLATE_DIR = "emails/notifications"


@dataclass(frozen=True)
class Content:
    """A message's text. French quotes are bound to what they quote (non-breaking spaces,
    `core.french.quotes_bound`) whoever wrote it, so that « » never wraps alone."""

    subject: str
    body: str
    url: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject", quotes_bound(self.subject))
        object.__setattr__(self, "body", quotes_bound(self.body))


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def render_body(template: str, recipient: User, channel: str, **context) -> str:
    context |= {
        "recipient": recipient,
        "email": channel == Channel.EMAIL,
        "preferences_link": absolute_url(reverse("notifications:preferences")),
    }
    return render_to_string(f"{TEMPLATE_DIR}/{template}.txt", context).strip() + "\n"


def language_of(recipient: User) -> str:
    return recipient.preferred_language or settings.LANGUAGE_CODE


@dataclass(frozen=True)
class DigestItem:
    subject: str
    link: str


def digest_content(*, recipient: User, day: date, items: list[DigestItem]) -> Content:
    """One e-mail gathering the reminders of a day for a person who chose the digest."""
    path = reverse("notifications:list")
    with translation.override(language_of(recipient)):
        day_label = french_date(day, "l j F")
        subject = _("Vos rappels Tisser du %(day)s") % {"day": day_label}
        body = render_body(
            "daily_digest",
            recipient,
            Channel.EMAIL,
            day=day_label,
            items=items,
            link=absolute_url(path),
        )
    return Content(subject=subject, body=body, url=path)
