"""What the mentorship space's messages say (outbox notifications): news or thanks from the
other member, feedback due, a mentorship gone quiet. Subjects and bodies are gettext strings
in the recipient's language; the e-mail alone gets the greeting and the link in full.
Every message leads to the mentorship space, or to the health page for the coordination."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _update_subject(kind: ProgressUpdate.Kind, author: User) -> str:
    """The subject follows the message's type (ADR 0025): an encouragement is never sent as
    thanks."""
    name = _name(author)
    if kind == ProgressUpdate.Kind.ENCOURAGEMENT:
        return _("%(name)s vous encourage") % {"name": name}
    if kind == ProgressUpdate.Kind.QUESTION:
        return _("%(name)s vous pose une question") % {"name": name}
    if kind == ProgressUpdate.Kind.THANKS:
        return _("%(name)s vous remercie") % {"name": name}
    return _("%(name)s vous donne des nouvelles") % {"name": name}


def _update_intro(kind: ProgressUpdate.Kind, author: User) -> str:
    name = _name(author)
    if kind == ProgressUpdate.Kind.ENCOURAGEMENT:
        return _("%(name)s vous adresse un encouragement :") % {"name": name}
    if kind == ProgressUpdate.Kind.QUESTION:
        return _("%(name)s vous pose une question ; répondez depuis votre espace de mentorat :") % {
            "name": name
        }
    if kind == ProgressUpdate.Kind.THANKS:
        return _("%(name)s vous remercie :") % {"name": name}
    return _("%(name)s vous donne des nouvelles :") % {"name": name}


def update_content(*, update: ProgressUpdate, recipient: User, channel: str) -> Content:
    """A typed message (encouragement, question, thanks, news) for the other member: its
    subject and first line follow its type."""
    path = reverse("mentoring:mentorship", args=[update.mentorship_id])
    kind = ProgressUpdate.Kind(update.kind)
    with _override(recipient):
        subject = _update_subject(kind, update.author)
        excerpt = update.text if len(update.text) <= 500 else update.text[:497] + "…"
        lines = [_update_intro(kind, update.author), "", excerpt]
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def pause_content(
    *, mentorship: Mentorship, actor: User, recipient: User, channel: str, cancelled: int
) -> Content:
    """For the other member: the mentorship is paused, its meetings to come cancelled."""
    path = reverse("mentoring:mentorship", args=[mentorship.pk])
    with _override(recipient):
        context = {"name": _name(actor), "count": cancelled}
        subject = _("%(name)s met votre mentorat en pause") % context
        lines = [
            _(
                "%(name)s a mis votre mentorat en pause. Il reprendra quand l'un·e de vous "
                "deux le relancera depuis votre espace de mentorat."
            )
            % context
        ]
        if cancelled:
            lines.append(
                ngettext(
                    "La rencontre prévue est annulée pendant la pause.",
                    "Les %(count)s rencontres prévues sont annulées pendant la pause.",
                    cancelled,
                )
                % context
            )
        if mentorship.pause_reason:
            lines += ["", _("Motif indiqué : %(reason)s") % {"reason": mentorship.pause_reason}]
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def resume_content(
    *, mentorship: Mentorship, actor: User, recipient: User, channel: str, next_start
) -> Content:
    """For the other member: the mentorship resumes, its meetings on the same rhythm."""
    path = reverse("mentoring:mentorship", args=[mentorship.pk])
    with _override(recipient):
        context = {"name": _name(actor)}
        subject = _("%(name)s relance votre mentorat") % context
        lines = [_("%(name)s a repris votre mentorat après la pause.") % context]
        if next_start is not None:
            lines.append(
                _("Vos rencontres reprennent au même rythme ; la prochaine : le %(date)s.")
                % {"date": french_date(timezone.localtime(next_start), "l j F Y, H:i")}
            )
        body = _body(lines, recipient=recipient, channel=channel, path=path)
    return Content(subject=subject, body=body, url=path)


def ended_content(*, mentorship: Mentorship, actor: User, recipient: User) -> Content:
    """For the coordination: a member ended the mentorship. Management data only: who, when,
    against the planned end — never the end summary."""
    path = reverse("mentoring:health")
    with _override(recipient):
        context = {
            "mentee": _name(mentorship.mentee),
            "de_mentee": de(_name(mentorship.mentee)),
            "mentor": _name(mentorship.mentor.user),
            "actor": _name(actor),
            "date": french_date(timezone.localtime(mentorship.ended_at), "j F Y"),
            "planned": french_date(mentorship.planned_end, "j F Y"),
        }
        subject = _("Mentorat terminé : %(mentee)s et %(mentor)s") % context
        lines = [
            _(
                "%(actor)s a mis fin au mentorat %(de_mentee)s avec %(mentor)s le %(date)s "
                "(fin prévue le %(planned)s)."
            )
            % context
        ]
        body = _body(lines, recipient=recipient, channel=Channel.IN_APP, path=path)
    return Content(subject=subject, body=body, url=path)


def feedback_due_content(
    *, mentorship: Mentorship, stage: Feedback.Stage, recipient: User, channel: str
) -> Content:
    """An invitation to give one's view of the mentorship (after 30 days, or at the end)."""
    path = reverse("mentoring:feedback", args=[mentorship.pk, stage])
    with _override(recipient):
        # Named: a mentor may have several mentorships at once.
        other = (
            mentorship.mentor.user if recipient.pk == mentorship.mentee_id else mentorship.mentee
        )
        context = {"name": _name(other)}
        if stage == Feedback.Stage.DAY_30:
            subject = _("Votre mentorat avec %(name)s a un mois : comment ça se passe ?") % context
        else:
            subject = _("Votre mentorat avec %(name)s est terminé : votre avis compte") % context
        lines = [
            _(
                "Quelques minutes suffisent : une note de 1 à 5, ce qui fonctionne et ce qui "
                "pourrait être amélioré. Vos commentaires ne sont lus que par vous, pour "
                "faire le point ; l'autre personne ne voit pas votre avis. La coordination ne "
                "voit que la note moyenne de l'organisme, à partir de 5 personnes, sans savoir "
                "qui a noté quoi."
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
