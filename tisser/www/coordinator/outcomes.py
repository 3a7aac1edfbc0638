"""The programme's outcomes for the coordinator (issue #17): the closed loop and the programme's
activity for a period of months and a promotion, each table drawn as a bar chart with its data
table, and the same tables as a CSV file for French spreadsheets. Aggregates only, under the
small-numbers rule (ADR 0013); a constant number of queries whatever the number of people."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.outcomes.period import Period
from tisser.outcomes.programme import programme_tables
from tisser.outcomes.tables import Cell, Table, tables_csv
from tisser.peers.models import Promotion
from tisser.www.coordinator.outcomes_chart import bar_chart
from tisser.www.coordinator.outcomes_forms import OutcomesFilterForm


def _filter_form(request) -> OutcomesFilterForm:
    organisation = request.membership.organisation
    promotions = list(
        Promotion.objects.filter(organisation=organisation)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return OutcomesFilterForm(
        request.GET or None,
        promotions=promotions,
        default=Period.last_months(timezone.localdate()),
    )


def _labelled_rows(table: Table) -> list[tuple[str, list[tuple[str, Cell]]]]:
    """Each row's label and its cells beside their column's name (a phone shows each row as a
    card of labelled lines)."""
    return [(row.label, list(zip(table.columns, row.cells, strict=True))) for row in table.rows]


def period_text(period: Period) -> str:
    first = french_date(period.first_month, "F Y")
    last = french_date(period.last_month, "F Y")
    if first == last:
        return first
    return _("%(de_first)s à %(last)s") % {"de_first": de(first), "last": last}


def period_phrase(period: Period) -> str:
    """The period after « Bilans terminés »: « en mars 2026 », « de janvier à … »."""
    if period.first_month == period.last_month:
        return _("en %(month)s") % {"month": french_date(period.first_month, "F Y")}
    return period_text(period)


@role_required(Role.COORDINATOR)
@require_GET
def outcomes(request):
    form = _filter_form(request)
    period = form.period()
    sections = []
    if period is not None:
        tables = programme_tables(request.membership.organisation, period, now=timezone.now())
        sections = [(table, bar_chart(table), _labelled_rows(table)) for table in tables]
    return render(
        request,
        "www/coordinator/outcomes.html",
        {
            "form": form,
            "period": period,
            "period_text": period_phrase(period) if period else "",
            "sections": sections,
            # Nothing measured at all in the period: one sentence rather than empty tables.
            "nothing": bool(sections)
            and all(table.is_empty and not table.has_withheld for table, _c, _r in sections),
        },
    )


@role_required(Role.COORDINATOR)
@require_GET
def outcomes_csv(request):
    """The page's tables for the same filters: UTF-8 with a BOM and ";" between columns, so
    that French Excel opens it with its accents and columns right. Filters with an error go
    back to the page, which says what to correct."""
    form = _filter_form(request)
    period = form.period()
    if period is None:
        query = request.GET.urlencode()
        return redirect(reverse("coordinator:outcomes") + (f"?{query}" if query else ""))
    organisation = request.membership.organisation
    now = timezone.now()
    heading = [
        [_("Résultats du programme")],
        [_("Organisme"), organisation.name],
        [_("Période"), period_text(period)],
        [_("Promotion"), period.promotion or _("Toutes les promotions")],
        [_("Édité le"), french_date(timezone.localdate(now), "j F Y")],
    ]
    text = tables_csv(programme_tables(organisation, period, now=now), heading=heading)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="resultats-{organisation.slug}-'
        f'{period.first_month:%Y-%m}-{period.last_month:%Y-%m}.csv"'
    )
    response.write("\ufeff" + text)
    return response
