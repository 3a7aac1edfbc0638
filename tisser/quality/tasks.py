from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from tisser.core.mail import header_text


@task()
def complaint_email_send(*, complaint_id: int) -> bool:
    """E-mail the author of a complaint sent through the public form (no account): the
    receipt with the deadlines while it is open, the answer once answered. No link: the
    follow-up is these e-mails (docs/adr/0034). False when there is nobody to write to."""
    from tisser.quality.models import Complaint, ComplaintStatus

    complaint = (
        Complaint.objects.select_related("organisation")
        .filter(pk=complaint_id, author__isnull=True)
        .exclude(public_email="")
        .first()
    )
    if complaint is None:
        return False
    answered = complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)
    name = "answer" if answered else "receipt"
    context = {"complaint": complaint, "organisation": complaint.organisation}
    with translation.override("fr"):
        subject = render_to_string(f"emails/complaint_{name}_subject.txt", context).strip()
        body = render_to_string(f"emails/complaint_{name}_body.txt", context)
    send_mail(header_text(subject), body, None, [complaint.public_email])
    return True
