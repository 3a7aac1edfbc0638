from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tisser.accounts.models import Invitation
from tisser.core.mail import header_text


@task()
def invitation_email_send(*, invitation_id: int, raw_token: str) -> bool:
    """Email the invitation link. Safe to run twice: a used or cancelled invitation is skipped
    (sending the same valid link twice does no harm)."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return False
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
