"""The consultants' records as evidence for indicators 21 (the competences of those who run
the bilans) and 22 (their development): the map's lines and, for the auditor's export, each
consultant's record as a PDF with their proofs. Professional data only: a record never names
a beneficiary."""

from collections.abc import Iterator

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from tisser.core.enums import Role
from tisser.quality.consultant_pdf import consultant_record_pdf
from tisser.quality.consultants import DueKind, organisation_consultant_rows
from tisser.quality.evidence import EvidenceLine, ExportFile, Span, register
from tisser.quality.files import file_stem
from tisser.quality.models import ConsultantMethod, ConsultantQualification, ConsultantTraining


def _hours_text(hours) -> str:
    return f"{hours:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def consultant_lines(organisation, span: Span) -> list[EvidenceLine]:
    """Two queries: the consultants with what the due rule reads, the trainings of the span."""
    url = reverse("quality:consultant_list")
    rows = organisation_consultant_rows(organisation.pk, today=timezone.localdate())
    complete = sum(1 for row in rows if row.complete)
    training_due = sum(1 for row in rows if any(d.kind == DueKind.TRAINING for d in row.dues))
    renewal_due = sum(1 for row in rows if any(d.kind == DueKind.RENEWAL for d in row.dues))
    trainings = ConsultantTraining.objects.filter(
        membership__organisation=organisation,
        membership__role=Role.CONSULTANT,
        ended_on__gte=span.first_day,
        ended_on__lte=span.last_day,
    ).aggregate(count=Count("pk"), hours=Sum("hours"), people=Count("membership", distinct=True))
    count, hours = trainings["count"], trainings["hours"] or 0
    lines = [
        EvidenceLine(
            ngettext(
                "%(complete)s consultant·e sur %(total)s a un dossier complet (diplômes et "
                "expérience).",
                "%(complete)s consultant·es sur %(total)s ont un dossier complet (diplômes et "
                "expérience).",
                complete,
            )
            % {"complete": complete, "total": len(rows)},
            url,
        ),
        EvidenceLine(
            ngettext(
                "%(count)s formation continue suivie sur la période, %(hours)s h au total.",
                "%(count)s formations continues suivies sur la période, %(hours)s h au total.",
                count,
            )
            % {"count": count, "hours": _hours_text(hours)},
            url,
        ),
    ]
    if training_due:
        lines.append(
            EvidenceLine(
                ngettext(
                    "%(count)s consultant·e doit prévoir une formation continue.",
                    "%(count)s consultant·es doivent prévoir une formation continue.",
                    training_due,
                )
                % {"count": training_due},
                url + "?echeance=formation",
            )
        )
    if renewal_due:
        lines.append(
            EvidenceLine(
                ngettext(
                    "%(count)s consultant·e a une habilitation à renouveler.",
                    "%(count)s consultant·es ont une habilitation à renouveler.",
                    renewal_due,
                )
                % {"count": renewal_due},
                url + "?echeance=habilitation",
            )
        )
    return lines


def consultant_files(organisation, span: Span) -> Iterator[ExportFile]:
    """Per consultant: their record as a PDF, then the proofs of their diplomas, of their
    methods and of the trainings that ended in the span."""
    rows = organisation_consultant_rows(organisation.pk, today=span.last_day)
    for row in rows:
        membership = row.membership
        folder = "consultants/" + (file_stem(row.name) or f"consultant-{membership.pk}")
        yield ExportFile(
            f"{folder}/dossier.pdf", consultant_record_pdf(membership, today=span.last_day)
        )
        items = [
            *ConsultantQualification.objects.filter(membership=membership),
            *ConsultantMethod.objects.filter(membership=membership),
            *ConsultantTraining.objects.filter(
                membership=membership,
                ended_on__gte=span.first_day,
                ended_on__lte=span.last_day,
            ),
        ]
        for item in items:
            if not item.has_proof:
                continue
            extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
                item.proof_content_type, "bin"
            )
            kind = type(item).__name__.removeprefix("Consultant").lower()
            yield ExportFile(
                f"{folder}/justificatifs/{kind}-{item.pk}.{extension}", bytes(item.proof)
            )


register("consultants", indicators=(21, 22), lines=consultant_lines, files=consultant_files)
