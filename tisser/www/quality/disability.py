"""Indicator 26 for the coordinator (ADR 0037): the référent handicap as the organisme's
identity names them (a link to edit it), and how many bilans recorded a need for adaptation
and had adaptations made, by kind — counts only, each withheld under the small-numbers rule.
Never a need, a name or a bilan: those are the person's and her consultant's."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tisser.bilans.services.adaptation import adaptation_figures
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.quality.evidence_disability import count_rows, disability_csv, referent_text


@role_required(Role.COORDINATOR)
@require_GET
def disability(request):
    organisation = request.membership.organisation
    figures = adaptation_figures(organisation_id=organisation.pk)
    rows = count_rows(figures)
    return render(
        request,
        "www/quality/disability/page.html",
        {
            "organisation": organisation,
            "designated": bool(
                organisation.disability_referent_name or organisation.disability_referent_email
            ),
            "referent": referent_text(organisation),
            "figures": figures,
            "rows": rows,
            "withheld": any(count is None for _label, count in rows),
        },
    )


@role_required(Role.COORDINATOR)
@require_GET
def disability_csv_download(request):
    organisation = request.membership.organisation
    response = HttpResponse(
        disability_csv(organisation, None), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="handicap-amenagements.csv"'
    return response
