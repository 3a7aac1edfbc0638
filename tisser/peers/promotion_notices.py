"""What a person asking for a peer group is told when the coordination files her request
under a promotion and no group of it has room for her: the next formation will propose one.
(When a group has room, she is proposed it: `repair_notices.proposed_content`.)"""

from django.urls import reverse
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.notifications.content import Content
from tisser.peers.group_notices import _body, _override


def waiting_content(*, promotion: str, recipient: User, channel: str) -> Content:
    path = reverse("peers:home")
    with _override(recipient):
        context = {"promotion": promotion}
        subject = _("Votre demande de groupe de pairs : promotion « %(promotion)s »") % context
        lines = [
            _(
                "La coordination a inscrit votre demande de groupe de pairs dans la promotion "
                "« %(promotion)s »."
            )
            % context,
            _(
                "Aucun groupe de cette promotion n'a pour l'instant de place qui vous convienne : "
                "un groupe vous sera proposé à la prochaine formation de groupes. Gardez vos "
                "disponibilités à jour d'ici là."
            ),
        ]
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)
