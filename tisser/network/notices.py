"""What the enquêtes' reminders say (outbox notifications): follow up a contact, thank them
after the interview, ask them for another person to meet. Subjects are gettext strings, bodies
templates under `emails/notifications/`, in the recipient's language; the e-mail alone gets
the greeting and the signature. Every reminder leads to the page "À faire"."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.network.notice_kinds import NetworkNotice
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel

if TYPE_CHECKING:
    from tisser.network.reminders import Todo

TEMPLATES = {
    NetworkNotice.NETWORK_FOLLOW_UP: "network_follow_up",
    NetworkNotice.NETWORK_THANK: "network_thank",
    NetworkNotice.NETWORK_ASK_REFERRAL: "network_ask_referral",
}


def network_reminder_content(*, todo: "Todo", recipient: User, channel: str) -> Content:
    interview = todo.interview
    path = reverse("network:todos")
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "name": str(interview.contact),
            "de_name": de(str(interview.contact)),
            "since": french_date(timezone.localtime(interview.stage_changed_at), "j F"),
            "followed_up": interview.stage == "followed_up",
        }
        if todo.kind == NetworkNotice.NETWORK_FOLLOW_UP:
            subject = _("Pas encore de réponse %(de_name)s : une relance ?") % context
        elif todo.kind == NetworkNotice.NETWORK_THANK:
            subject = _("Pensez à remercier %(name)s pour votre échange") % context
        else:
            subject = _("%(name)s pourrait vous présenter une autre personne") % context
        body = (
            render_to_string(
                f"emails/notifications/{TEMPLATES[todo.kind]}.txt",
                context
                | {
                    "recipient": recipient,
                    "email": channel == Channel.EMAIL,
                    "link": absolute_url(path),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
            + "\n"
        )
    return Content(subject=subject, body=body, url=path)
