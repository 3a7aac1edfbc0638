"""Background tasks of the bilans, run by `manage.py tisser_worker` (immediately in unit tests):
they take ids, are safe to run twice (every message they queue has an idempotency key), and
call services."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tisser.accounts.job_scope import batches_run, organisation_ids
from tisser.bilans.cpf_reminders import cpf_reminders_batch
from tisser.bilans.followup import followup_reminders_batch
from tisser.bilans.services.convention import convention_reminders_plan
from tisser.bilans.services.retention import retention_apply
from tisser.bilans.services.sharing import (
    synthesis_share_email_sent,
    synthesis_share_link_issue,
)
from tisser.bilans.services.synthesis import synthesis_pdf_render
from tisser.core.mail import header_text


@task()
def synthesis_pdf_render_task(*, document_id: int) -> bool:
    """Render the PDF of a validated synthèse (nothing to do when it is already rendered for
    its current version, or not validated)."""
    return synthesis_pdf_render(document_id=document_id) is not None


@task()
def synthesis_share_email_send(*, share_id: int) -> bool:
    """E-mail the recipient of a share their private link, created here
    (`synthesis_share_link_issue`) so that the task's arguments hold an id and no secret
    (ADR 0010). The recipient has no account, so this goes out directly rather than through
    the outbox (whose rows are addressed to users), as invitations do. Safe to run twice: a
    share already e-mailed or revoked is skipped."""
    issued = synthesis_share_link_issue(share_id=share_id)
    if issued is None:
        return False
    share, raw_token = issued
    bilan = share.document.bilan
    base_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {
        "share": share,
        "beneficiary": bilan.beneficiary.get_full_name() or bilan.beneficiary.email,
        "organisation": bilan.organisation.name,
        "link": base_url + reverse("bilans:synthesis_shared", args=[raw_token]),
    }
    with translation.override("fr"):
        subject = render_to_string("emails/synthesis_share_subject.txt", context).strip()
        body = render_to_string("emails/synthesis_share_body.txt", context)
    send_mail(header_text(subject), body, None, [share.recipient_email])
    synthesis_share_email_sent(share=share)
    return True


@task()
def bilans_retention_apply(organisation_id: int | None = None) -> int:
    """Destroy the working documents of the bilans ended before today (except what an
    exception keeps), and the management data past its period (R6313-7, ADR 0014), of the
    organisation (of every organisation, one after the other, without `organisation_id`);
    returns how many bilans were touched."""
    total = 0
    for pk in organisation_ids(organisation_id):
        run = retention_apply(organisation_id=pk)
        total += len(run.documents) + len(run.management_deleted)
    return total


@task()
def bilans_followup_remind(organisation_id: int | None = None, after: int | None = None) -> int:
    """Queue the reminders after the bilan (satisfaction, isolation check) now due, of the
    organisation, one batch of bilans per task from the bilan `after` (of every organisation,
    every batch, without `organisation_id`): see `tisser.accounts.job_scope.batches_run`."""
    return batches_run(
        followup_reminders_batch,
        organisation_id=organisation_id,
        after=after,
        then=bilans_followup_remind.enqueue,
    )


@task()
def bilans_cpf_remind(organisation_id: int | None = None, after: int | None = None) -> int:
    """Queue the reminders of CPF declarations (entry, exit and service fait) now due, of the
    organisation, one batch of bilans per task (see `bilans_followup_remind`)."""
    return batches_run(
        cpf_reminders_batch,
        organisation_id=organisation_id,
        after=after,
        then=bilans_cpf_remind.enqueue,
    )


@task()
def bilans_convention_remind(organisation_id: int | None = None) -> int:
    """Queue the reminders of conventions whose ten days to sign run out soon (R6313-8), of
    the organisation (of every organisation, one after the other, without
    `organisation_id`)."""
    return sum(
        convention_reminders_plan(organisation_id=pk) for pk in organisation_ids(organisation_id)
    )
