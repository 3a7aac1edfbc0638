"""What the messages about a mentoring request say (outbox notifications): a request received
and its reminder (to the mentor), the answer, or the expiry (to the mentee). Subjects are
gettext strings, the body the template `emails/notifications/mentoring_request.txt`, in the
recipient's language; the e-mail alone gets the greeting and the signature."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import User
from tisser.core.dates import french_date
from tisser.core.french import de
from tisser.mentoring.models import MentorshipRequest
from tisser.mentoring.notice_kinds import MentoringNotice
from tisser.notifications.content import Content, absolute_url
from tisser.notifications.models import Channel

SENT = "sent"
REMINDER = "reminder"
ACCEPTED = "accepted"
DECLINED = "declined"
EXPIRED = "expired"

KINDS = {
    SENT: MentoringNotice.MENTORING_REQUEST,
    REMINDER: MentoringNotice.MENTORING_REQUEST_REMINDER,
    ACCEPTED: MentoringNotice.MENTORING_REQUEST_ANSWERED,
    DECLINED: MentoringNotice.MENTORING_REQUEST_ANSWERED,
    EXPIRED: MentoringNotice.MENTORING_REQUEST_ANSWERED,
}


def request_notice_key(mentorship_request: MentorshipRequest, event: str, channel: str) -> str:
    return f"mentoring:request{mentorship_request.pk}:{event}:{channel}"


def request_notice_content(
    *, event: str, mentorship_request: MentorshipRequest, recipient: User, channel: str
) -> Content:
    detail = reverse("mentoring:request_detail", args=[mentorship_request.pk])
    # After an expiry or a refusal the mentee is invited to write to someone else.
    path = reverse("mentoring:suggestions") if event in (DECLINED, EXPIRED) else detail
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "event": event,
            "mentee": mentorship_request.mentee.get_short_name(),
            "de_mentee": de(mentorship_request.mentee.get_short_name()),
            "mentor": mentorship_request.mentor.user.get_full_name(),
            "respond_by": french_date(timezone.localtime(mentorship_request.respond_by), "l j F"),
            "answer": mentorship_request.answer,
        }
        subject = {
            SENT: _("%(mentee)s vous demande d'être son ou sa mentor"),
            REMINDER: _(
                "Demande de mentorat %(de_mentee)s : réponse attendue avant le %(respond_by)s"
            ),
            ACCEPTED: _("%(mentor)s a accepté d'être votre mentor"),
            DECLINED: _("%(mentor)s ne peut pas donner suite à votre demande de mentorat"),
            EXPIRED: _("Votre demande à %(mentor)s est restée sans réponse"),
        }[event] % context
        body = (
            render_to_string(
                "emails/notifications/mentoring_request.txt",
                context
                | {
                    "recipient": recipient,
                    "email": channel == Channel.EMAIL,
                    "link": absolute_url(path),
                    "detail_link": absolute_url(detail),
                    "preferences_link": absolute_url(reverse("notifications:preferences")),
                },
            ).strip()
            + "\n"
        )
    return Content(subject=subject, body=body, url=path)
