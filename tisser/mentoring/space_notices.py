"""What the mentorship space's messages say (outbox notifications): news or thanks from the
other member, feedback due, a mentorship gone quiet. Subjects and bodies are gettext strings
in the recipient's language; the e-mail alone gets the greeting and the link in full.
Every message leads to the mentorship space, or to the health page for the coordination."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.mentoring.models import Feedback, Mentorship, ProgressUpdate
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel


def _name(user: User) -> str:
    return user.get_full_name() or user.email


def _body(lines: list[str], *, recipient: User, channel: str, path: str) -> str:
    if channel == Channel.EMAIL:
        lines = [
            _("Bonjour %(name)s,") % {"name": recipient.get_short_name() or _name(recipient)},
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


def update_content(*, update: ProgressUpdate, recipient: User, channel: str) -> Content:
    """News of a mentee's progress, or thanks, for the other member."""
    path = reverse("mentoring:mentorship", args=[update.mentorship_id])
    with _override(recipient):
        context = {"name": _name(update.author), "de_name": de(_name(update.author))}
        if update.kind == ProgressUpdate.Kind.THANKS:
            subject = _("%(name)s vous remercie") % context
        else:
            subject = _("Des nouvelles %(de_name)s") % context
        excerpt = update.text if len(update.text) <= 500 else update.text[:497] + "…"
        body = _body([excerpt], recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def feedback_due_content(
    *, mentorship: Mentorship, stage: Feedback.Stage, recipient: User, channel: str
) -> Content:
    """An invitation to give one's view of the mentorship (after 30 days, or at the end)."""
    path = reverse("mentoring:feedback", args=[mentorship.pk, stage])
    with _override(recipient):
        if stage == Feedback.Stage.DAY_30:
            subject = _("Votre mentorat a un mois : comment ça se passe ?")
        else:
            subject = _("Votre mentorat est terminé : votre avis compte")
        lines = [
            _(
                "Quelques minutes suffisent : une note de 1 à 5, ce qui fonctionne et ce qui "
                "pourrait être amélioré. Votre avis n'est lu que par vous ; la coordination "
                "ne voit que la moyenne des notes."
            )
        ]
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def inactive_content(*, mentorship: Mentorship, since, recipient: User, days: int) -> Content:
    """For the coordination: an active mentorship without news nor meeting for `days` days."""
    path = reverse("mentoring:health")
    with _override(recipient):
        context = {
            "mentee": _name(mentorship.mentee),
            "mentor": _name(mentorship.mentor.user),
            "days": days,
            "since": french_date(timezone.localtime(since), "j F Y"),
        }
        subject = _("Mentorat sans activité : %(mentee)s et %(mentor)s") % context
        lines = [
            _(
                "Aucune nouvelle ni rencontre depuis le %(since)s (plus de %(days)s jours). "
                "Un mot aux deux personnes peut aider à relancer la relation."
            )
            % context
        ]
        body = _body(lines, recipient=recipient, channel=Channel.IN_APP, path=path)
    return Content(subject=subject, body=body, url=path)
