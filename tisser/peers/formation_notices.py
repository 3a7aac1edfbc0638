"""What the message about a newly published group says (outbox notification): the
coordination proposes a group; the member reads who is in it and accepts it on its page.
Subject and body in the recipient's language; the e-mail alone gets the greeting and the
link in full."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel
from tisser.peers.models import PeerGroup


def group_proposed_content(
    *, group: PeerGroup, recipient: User, channel: str, path: str
) -> Content:
    """For each member of a published group: a group is proposed to them."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Un groupe de pairs vous est proposé : « %(group)s »") % {"group": group.name}
        lines = [
            _(
                "La coordination vous propose de rejoindre le groupe « %(group)s », avec des "
                "personnes proches de votre démarche."
            )
            % {"group": group.name},
            _(
                "Découvrez ses membres et leurs présentations, puis rejoignez le groupe : ses "
                "rencontres ont lieu toutes les deux semaines."
            ),
        ]
        if channel == Channel.EMAIL:
            lines = [
                _("Bonjour %(name)s,") % {"name": recipient.get_short_name() or recipient.email},
                "",
                *lines,
                "",
                absolute_url(path),
                "",
                _("— Tisser"),
            ]
    return Content(subject=subject, body="\n".join(lines).strip() + "\n", url=path)
