from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tisser.core.mail import header_text


@task()
def invitation_email_send(*, invitation_id: int) -> bool:
    """Email the invitation link, created here (`invitation_link_issue`) so that the task's
    arguments hold an id and no secret (ADR 0010). Running twice sends a second e-mail whose
    new link replaces the first; a used or cancelled invitation is skipped."""
    # Inside the function: the services import this module to enqueue the task.
    from tisser.accounts.services import invitation_link_issue

    issued = invitation_link_issue(invitation_id=invitation_id)
    if issued is None:
        return False
    invitation, raw_token = issued
    base_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {
        "invitation": invitation,
        "link": base_url + reverse("public:invitation_accept", args=[raw_token]),
    }
    with translation.override("fr"):
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation_body.txt", context)
    send_mail(header_text(subject), body, None, [invitation.email])
    return True
