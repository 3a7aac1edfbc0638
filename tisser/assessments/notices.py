"""What the safety-net notice says (outbox notification to the consultant). The subject and
the body name the person and nothing of what they wrote (docs/adr/0020-safety-net.md): the
link leads to the page where the consultant reads it, inside the app."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.notifications.content import Content, absolute_url, language_of, render_body


def safety_concern_content(
    *, concern_id: int, person: User, recipient: User, channel: str
) -> Content:
    path = reverse("safety:concern", args=[concern_id])
    with translation.override(language_of(recipient)):
        name = person.get_full_name() or person.get_short_name()
        subject = _("%(name)s souhaite en parler avec vous") % {"name": name}
        body = render_body("safety_concern", recipient, channel, name=name, link=absolute_url(path))
    return Content(subject=subject, body=body, url=path)
