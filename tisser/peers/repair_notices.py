"""What the messages of placements and repairs say: a person is proposed a group (a late
joiner, or someone moved from a group that lost members), the members hear of a newcomer,
a group ends. Members are named by their first name only."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.notifications.content import Content
from tisser.notifications.models import Channel
from tisser.peers.group_notices import _body, _override, first_name
from tisser.peers.models import PeerGroup


def proposed_content(
    *, group: PeerGroup, recipient: User, channel: str, moved: bool = False
) -> Content:
    """For the person proposed a place in `group`."""
    path = reverse("peers:group", args=[group.pk])
    with _override(recipient):
        context = {"group": group.name}
        subject = _("Un groupe de pairs vous est proposé : « %(group)s »") % context
        lines = []
        if moved:
            lines.append(
                _(
                    "Votre groupe a changé de composition : la coordination vous propose de "
                    "poursuivre avec le groupe « %(group)s »."
                )
                % context
            )
        else:
            lines.append(
                _("La coordination vous propose de rejoindre le groupe « %(group)s ».") % context
            )
        lines.append(
            _("Découvrez ses membres et ses rencontres, puis rejoignez-le depuis sa page.")
        )
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def newcomer_content(*, group: PeerGroup, newcomer: User, recipient: User) -> Content:
    """For the current members (in-app): someone is proposed to join their group."""
    path = reverse("peers:group", args=[group.pk])
    with _override(recipient):
        context = {"group": group.name, "name": first_name(newcomer)}
        subject = (
            _("%(name)s reçoit une invitation à rejoindre votre groupe « %(group)s »") % context
        )
        body = _body(
            [_("Réservez-lui un bon accueil à votre prochaine rencontre.")],
            recipient=recipient,
            channel=Channel.IN_APP,
            path=path,
        )
    return Content(subject=subject, body=body, url=path)


def ended_content(*, group: PeerGroup, recipient: User) -> Content:
    """For the members of a group that ends (in-app)."""
    path = reverse("peers:home")
    with _override(recipient):
        context = {"group": group.name}
        subject = _("Le groupe « %(group)s » s'arrête") % context
        body = _body(
            [
                _(
                    "La coordination a mis fin au groupe : ses rencontres à venir sont annulées. "
                    "Si vous souhaitez poursuivre avec un autre groupe, gardez vos préférences "
                    "à jour : elle pourra vous en proposer un."
                )
            ],
            recipient=recipient,
            channel=Channel.IN_APP,
            path=path,
        )
    return Content(subject=subject, body=body, url=path)
