"""The PDF of a bilan's paperwork (convention or contract): the same rendering, access rule
and audit entry for both."""

from datetime import date

from django.core.exceptions import PermissionDenied

from tisser.accounts.models import User
from tisser.bilans.models import Bilan, RenderedPdf
from tisser.bilans.services.hours import hours_text
from tisser.bilans.services.rendered_pdf import bilan_pdf
from tisser.core.audit import audit_record


def paperwork_pdf(
    *, actor: User, bilan: Bilan, document, name: str, title: str, template: str
) -> bytes:
    """`document` (a convention or a contract of `bilan`) as a PDF, for the bilan's
    consultant or beneficiary (PermissionDenied otherwise); the download is in the audit log
    as "<name>.download". `document` is in the template's context as `name`."""
    if not bilan.involves(actor):
        raise PermissionDenied
    content = paperwork_pdf_content(
        bilan=bilan, document=document, name=name, title=title, template=template
    )
    audit_record(
        actor=actor,
        action=f"{name}.download",
        target=document,
        organisation=bilan.organisation,
        data={"bilan_id": bilan.pk, "version": document.version},
    )
    return content


def paperwork_pdf_content(*, bilan: Bilan, document, name: str, title: str, template: str) -> bytes:
    """The PDF bytes of `document`, with no access check and no audit entry: for a caller
    that checked and records who asks itself (the auditor's export, tisser.quality)."""
    return bilan_pdf(
        bilan=bilan,
        kind=RenderedPdf.Kind(name),
        template_name=template,
        context={
            "document_title": title,
            "organisation": bilan.organisation,
            "bilan": bilan,
            name: document,
            "duration_text": hours_text(document.duration_hours),
            "today": date.today(),
        },
    )
