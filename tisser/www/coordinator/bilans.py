"""The bilans of the organisation for its coordinator: aggregates only (see
`tisser.bilans.stats`), on a page and as a CSV file for French spreadsheets."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tisser.bilans.stats import MIN_RESPONSES, NOT_ENOUGH, bilan_stats, bilan_stats_rows
from tisser.core.access import role_required
from tisser.core.enums import Role


@role_required(Role.COORDINATOR)
@require_GET
def bilans_overview(request):
    stats = bilan_stats(coordinator=request.user, organisation=request.membership.organisation)
    return render(
        request,
        "www/coordinator/bilans.html",
        {"stats": stats, "min_responses": MIN_RESPONSES, "not_enough": NOT_ENOUGH},
    )


@role_required(Role.COORDINATOR)
@require_GET
def bilans_overview_csv(request):
    """The same aggregates as the page: UTF-8 with a BOM and ";" between columns, so that
    French Excel opens it with its accents and columns right."""
    stats = bilan_stats(coordinator=request.user, organisation=request.membership.organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate(stats.computed_at)
    response["Content-Disposition"] = (
        f'attachment; filename="bilans-{stats.organisation.slug}-{day:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerows(bilan_stats_rows(stats))
    return response
