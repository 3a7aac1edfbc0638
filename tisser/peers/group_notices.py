"""What the messages about a member's place in a group say (outbox notifications): someone
left (the coordination is asked to repair the group; the others are told), a meeting to
prepare. Subjects and bodies are gettext strings in the recipient's language; the e-mail
alone gets the greeting and the link in full. Members are named by their first name only."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.meetings.models import Occurrence
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel
from tisser.peers.models import PeerGroup, PeerGroupMember

# The coordination's pages of peer groups (the formation helper's space).
COORDINATION_PATH = "/groupes/coordination/"


def first_name(user: User) -> str:
    return user.first_name or _("Un·e membre")


def _body(lines: list[str], *, recipient: User, channel: str, path: str) -> str:
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
    return "\n".join(lines).strip() + "\n"


def _override(recipient: User):
    return translation.override(recipient.preferred_language or settings.LANGUAGE_CODE)


def repair_content(
    *,
    group: PeerGroup,
    member: PeerGroupMember,
    remaining: int,
    recipient: User,
    channel: str,
    declined: bool = False,
) -> Content:
    """For the coordination: a member left `group` (or a person proposed declined it); a
    repair can be proposed."""
    with _override(recipient):
        context = {"group": group.name, "name": member.user.get_full_name() or member.user.email}
        subject = _("Groupe de pairs à réajuster : « %(group)s »") % context
        lines = [
            (
                _("%(name)s a décliné la proposition de rejoindre le groupe « %(group)s ».")
                if declined
                else _("%(name)s a quitté le groupe « %(group)s ».")
            )
            % context,
            _("Membres restants : %(count)s.") % {"count": remaining},
        ]
        if member.leave_reason:
            lines.append(_("Motif indiqué : %(reason)s") % {"reason": member.leave_reason})
        lines.append(
            _(
                "Depuis la coordination des groupes, vous pouvez proposer un réajustement : "
                "accueillir une personne en attente ou rapprocher ce groupe d'un autre."
            )
        )
        body = _body(lines, recipient=recipient, channel=channel, path=COORDINATION_PATH)
    return Content(subject=subject, body=body, url=COORDINATION_PATH)


def member_left_content(
    *, group: PeerGroup, member: PeerGroupMember, recipient: User, declined: bool = False
) -> Content:
    """For the other members (in-app): who left the group, or will not join it."""
    path = reverse("peers:group", args=[group.pk])
    with _override(recipient):
        context = {"group": group.name, "name": first_name(member.user)}
        subject = (
            _("%(name)s ne rejoindra pas votre groupe « %(group)s »")
            if declined
            else _("%(name)s a quitté votre groupe « %(group)s »")
        ) % context
        body = _body(
            [
                _(
                    "La coordination en est informée et peut proposer à une nouvelle personne "
                    "de vous rejoindre. Vos rencontres continuent."
                )
            ],
            recipient=recipient,
            channel=Channel.IN_APP,
            path=path,
        )
    return Content(subject=subject, body=body, url=path)


def checkin_reminder_content(
    *, group: PeerGroup, occurrence: Occurrence, recipient: User, channel: str
) -> Content:
    """Two days before a meeting: share a success, a blocker or a question."""
    path = reverse("peers:prepare", args=[group.pk, occurrence.pk])
    with _override(recipient):
        context = {
            "group": group.name,
            "when": french_date(
                timezone.localtime(occurrence.start), pgettext("date format", "l j F à H:i")
            ),
        }
        subject = _("Préparez la rencontre du groupe « %(group)s »") % context
        lines = [
            _("Votre groupe se retrouve le %(when)s.") % context,
            _(
                "Avant la rencontre, partagez un succès, un blocage ou une question : "
                "l'ordre du jour se construit avec les points de chacun·e."
            ),
        ]
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)
