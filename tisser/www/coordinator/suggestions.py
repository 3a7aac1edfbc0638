"""What people keep of the compétences Tisser suggests for their réussites (ADR 0040), for the
coordinator: per rank of the suggestion, the first decisions of a period and the share kept,
and the same table as a CSV file for French spreadsheets. Aggregates only, under the
small-numbers rule (`tisser.outcomes.suggestions`); one query for the figures, whatever their
number."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.outcomes.suggestions import acceptance_table
from tisser.outcomes.tables import tables_csv
from tisser.www.coordinator.suggestions_forms import SuggestionsPeriodForm


def period_text(first: date, last: date) -> str:
    return _("du %(first)s au %(last)s") % {
        "first": french_date(first, "j F Y"),
        "last": french_date(last, "j F Y"),
    }


@role_required(Role.COORDINATOR)
@require_GET
def suggestions(request):
    form = SuggestionsPeriodForm(request.GET, today=timezone.localdate())
    period = form.period()
    table = rows = None
    if period is not None:
        table = acceptance_table(request.membership.organisation, *period)
        rows = [(row.label, list(zip(table.columns, row.cells, strict=True))) for row in table.rows]
    return render(
        request,
        "www/coordinator/suggestions.html",
        {
            "form": form,
            "period": period,
            "period_text": period_text(*period) if period else "",
            "table": table,
            "rows": rows,
        },
    )


@role_required(Role.COORDINATOR)
@require_GET
def suggestions_csv(request):
    """The page's table for the same period: UTF-8 with a BOM and ";" between columns. A wrong
    period goes back to the page, which says what to correct."""
    form = SuggestionsPeriodForm(request.GET, today=timezone.localdate())
    period = form.period()
    if period is None:
        query = request.GET.urlencode()
        return redirect(reverse("coordinator:suggestions") + (f"?{query}" if query else ""))
    organisation = request.membership.organisation
    first, last = period
    heading = [
        [_("Suggestions de compétences : ce que les personnes en gardent")],
        [_("Organisme"), organisation.name],
        [_("Période"), period_text(first, last)],
        [_("Édité le"), french_date(timezone.localdate(), "j F Y")],
    ]
    text = tables_csv([acceptance_table(organisation, first, last)], heading=heading)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="suggestions-{organisation.slug}-'
        f'{first:%Y-%m-%d}-{last:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff" + text)
    return response
