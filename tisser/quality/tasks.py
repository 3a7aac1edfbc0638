"""The quality app's background work, run by `manage.py tisser_worker` (immediately in unit
tests): the e-mail that asks an employer or a funder for its appraisal of a bilan, the e-mails
to the author of a public complaint, the auditor's export and its daily clean-up. Each takes ids
and is safe to run twice."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tisser.core.mail import header_text
from tisser.quality.services.exports import audit_export_build, audit_exports_prune


@task()
def appraisal_email_send(*, invitation_id: int) -> bool:
    """E-mail the appraisal link, created here (`appraisal_link_issue`) so that the task's
    arguments hold an id and no secret (ADR 0010). Running twice sends a second e-mail whose
    new link replaces the first; an answered or expired invitation is skipped."""
    # Inside the function: the services import this module to enqueue the task.
    from tisser.quality.services.appraisals import appraisal_link_issue, person_short

    issued = appraisal_link_issue(invitation_id=invitation_id)
    if issued is None:
        return False
    invitation, raw_token = issued
    base_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {
        "invitation": invitation,
        "person": person_short(invitation.bilan),
        "link": base_url + reverse("quality_public:appraisal", args=[raw_token]),
    }
    with translation.override("fr"):
        subject = render_to_string("emails/appraisal_subject.txt", context).strip()
        body = render_to_string("emails/appraisal_body.txt", context)
    send_mail(header_text(subject), body, None, [invitation.email])
    return True


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


@task()
def audit_export_build_task(*, export_id: int) -> bool:
    """Build the auditor's export `export_id` (nothing when another run already took it)."""
    export = audit_export_build(export_id=export_id)
    return export is not None and export.status == export.Status.READY


@task()
def audit_exports_prune_task(organisation_id: int | None = None) -> int:
    """Daily: remove the archives past their expiry and close the builds a dead worker left,
    of the organisation (of every organisation without `organisation_id`)."""
    return audit_exports_prune(organisation_id=organisation_id)
