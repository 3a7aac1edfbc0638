"""Evidence for Qualiopi indicator 30 (« Le prestataire recueille les appréciations des parties
prenantes : bénéficiaires, financeurs, équipes pédagogiques et entreprises concernées »): the
appraisals received in the span by audience, the invitations sent and answered, and the
beneficiaries' end and +6-month satisfaction answers; for the auditor, a CSV of the aggregates
per audience and question (a withheld cell empty, with a note)."""

import codecs
from collections.abc import Iterable

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.bilans.models import SatisfactionMoment, SatisfactionResponse
from tisser.core.dates import french_date
from tisser.outcomes.tables import tables_csv
from tisser.quality.appraisal_results import results_of, results_tables
from tisser.quality.evidence import EvidenceLine, ExportFile, Span, register
from tisser.quality.models import Appraisal, AppraisalInvitation, Audience


def appraisal_lines(organisation, span: Span) -> list[EvidenceLine]:
    """Three queries whatever the organisation's size."""
    url = reverse("quality:appraisals")
    by_audience = dict(
        Appraisal.objects.filter(
            organisation=organisation,
            created_at__date__gte=span.first_day,
            created_at__date__lte=span.last_day,
        )
        .values_list("audience")
        .annotate(n=Count("pk"))
        .values_list("audience", "n")
    )
    lines = []
    for audience in Audience:
        count = by_audience.get(audience.value, 0)
        lines.append(
            EvidenceLine(
                ngettext(
                    "%(audience)s : %(count)s appréciation reçue sur la période",
                    "%(audience)s : %(count)s appréciations reçues sur la période",
                    count,
                )
                % {"audience": audience.label, "count": count},
                url,
            )
        )
    sent = AppraisalInvitation.objects.filter(
        organisation=organisation,
        created_at__date__gte=span.first_day,
        created_at__date__lte=span.last_day,
    ).aggregate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    total, answered = sent["total"], sent["answered"]
    if total:
        text = ngettext(
            "%(total)s invitation envoyée aux employeurs et financeurs, %(answered)s avec réponse "
            "(%(rate)s %%)",
            "%(total)s invitations envoyées aux employeurs et financeurs, %(answered)s avec "
            "réponse (%(rate)s %%)",
            total,
        ) % {"total": total, "answered": answered, "rate": round(100 * answered / total)}
    else:
        text = _("Aucune invitation envoyée aux employeurs et financeurs sur la période")
    lines.append(EvidenceLine(text, url))
    moments = dict(
        SatisfactionResponse.objects.filter(
            bilan__organisation=organisation,
            created_at__date__gte=span.first_day,
            created_at__date__lte=span.last_day,
        )
        .values_list("moment")
        .annotate(n=Count("pk"))
        .values_list("moment", "n")
    )
    for moment in SatisfactionMoment:
        count = moments.get(moment.value, 0)
        lines.append(
            EvidenceLine(
                ngettext(
                    "Bénéficiaires, %(moment)s : %(count)s questionnaire de satisfaction rempli",
                    "Bénéficiaires, %(moment)s : %(count)s questionnaires de satisfaction remplis",
                    count,
                )
                % {"moment": str(moment.label).lower(), "count": count},
                reverse("coordinator:bilans"),
            )
        )
    return lines


def appraisal_files(organisation, span: Span) -> Iterable[ExportFile]:
    results = results_of(organisation, first_day=span.first_day, last_day=span.last_day)
    heading = [
        [_("Appréciations des parties prenantes (indicateur 30)")],
        [
            _("Du %(first)s au %(last)s")
            % {
                "first": french_date(span.first_day, "j F Y"),
                "last": french_date(span.last_day, "j F Y"),
            }
        ],
    ]
    text = tables_csv(results_tables(results), heading=heading)
    yield ExportFile(
        name="appreciations/appreciations-par-public-et-question.csv",
        content=codecs.BOM_UTF8 + text.encode("utf-8"),
    )


register("appraisals", indicators=(30,), lines=appraisal_lines, files=appraisal_files)
