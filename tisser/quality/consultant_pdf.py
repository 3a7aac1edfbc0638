"""A consultant's record as a PDF (indicators 21 and 22): for the consultant, the coordinator
and the auditor's export. Professional data only: never a beneficiary."""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership
from tisser.core.french import de
from tisser.quality.consultants import consultant_memberships, consultant_rows
from tisser.quality.models import (
    ConsultantMethod,
    ConsultantQualification,
    ConsultantRecord,
    ConsultantTraining,
)


def consultant_record_context(
    membership: Membership, *, today: datetime.date | None = None
) -> dict:
    """What the record's page and its PDF show."""
    today = today or timezone.localdate()
    record = ConsultantRecord.objects.filter(membership=membership).first()
    annotated = consultant_memberships(membership.organisation_id).filter(pk=membership.pk)
    rows = consultant_rows(annotated, today=today)
    return {
        "consultant": membership.user,
        "membership": membership,
        "organisation": membership.organisation,
        "record": record,
        "qualifications": list(ConsultantQualification.objects.filter(membership=membership)),
        "methods": list(ConsultantMethod.objects.filter(membership=membership)),
        "trainings": list(ConsultantTraining.objects.filter(membership=membership)),
        "dues": rows[0].dues if rows else [],
        "today": today,
        "editable": False,
    }


def consultant_record_pdf(membership: Membership, *, today: datetime.date | None = None) -> bytes:
    from tisser.documents.pdf import render_pdf  # WeasyPrint loads on first use

    context = consultant_record_context(membership, today=today)
    user = membership.user
    with translation.override("fr"):
        context["document_title"] = _("Dossier professionnel %(de_name)s") % {
            "de_name": de(user.get_full_name() or user.email)
        }
    return render_pdf(template_name="documents/consultant_record.html", context=context)
