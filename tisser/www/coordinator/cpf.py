"""CPF dossiers for the coordinator: the organisation's CPF bilans with their declaration
deadlines (overdue first), each dossier's page, and the service-fait lines of a period, on a
page and as a CSV file for French spreadsheets. Management data: dates, hours and reasons,
never a working document (ADR 0017)."""

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from tisser.bilans.access import access_cpf_bilan_coordinated
from tisser.bilans.services import cpf
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.www.bilans.cpf_views import cpf_dossier_page
from tisser.www.coordinator.cpf_forms import PeriodForm, default_period

PER_PAGE = 50


@role_required(Role.COORDINATOR)
@require_GET
def cpf_dossiers(request):
    overview = cpf.cpf_dossiers_overview(
        coordinator=request.user, organisation=request.membership.organisation, everything=True
    )
    page_obj: Any = Paginator(overview.bilan_ids, PER_PAGE).get_page(request.GET.get("page"))
    # The deadlines order the whole list; only the page's bilans are read whole.
    page_obj.object_list = cpf.cpf_summaries(list(page_obj.object_list))
    return render(
        request,
        "www/coordinator/cpf.html",
        {"page_obj": page_obj, "overdue": overview.overdue, "to_do": overview.to_do},
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def cpf_dossier(request, bilan_id: int):
    bilan = access_cpf_bilan_coordinated(request.user, bilan_id)
    here = reverse("coordinator:cpf_dossier", args=[bilan.pk])
    return cpf_dossier_page(
        request,
        bilan,
        back_url=reverse("coordinator:cpf"),
        action_url=here,
        done_url=here,
    )


def _period(request) -> tuple[PeriodForm, list]:
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    form = PeriodForm(data, initial=default_period())
    if data is None:
        period = default_period()
    elif form.is_valid():
        period = form.cleaned_data
    else:
        return form, []
    lines = cpf.service_fait_lines(
        coordinator=request.user,
        organisation=request.membership.organisation,
        start=period["start"],
        end=period["end"],
    )
    return form, [
        (line, row) for line, row in zip(lines, cpf.service_fait_rows(lines)[1:], strict=True)
    ]


@role_required(Role.COORDINATOR)
@require_GET
def service_fait(request):
    form, lines = _period(request)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default_period()
    return render(
        request,
        "www/coordinator/cpf_service_fait.html",
        {
            "form": form,
            "lines": lines,
            "header": cpf.SERVICE_FAIT_HEADER,
            "csv_query": f"start={period['start']:%Y-%m-%d}&end={period['end']:%Y-%m-%d}",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@role_required(Role.COORDINATOR)
@require_GET
def service_fait_csv(request):
    """One line per CPF bilan ended in the period: UTF-8 with a BOM and ";" between columns,
    so that French Excel opens it with its accents and columns right."""
    form, lines = _period(request)
    if form.is_bound and not form.is_valid():
        return service_fait(request)
    period = form.cleaned_data if form.is_bound else default_period()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = request.membership.organisation.slug
    response["Content-Disposition"] = (
        f'attachment; filename="cpf-service-fait-{slug}-'
        f'{period["start"]:%Y-%m-%d}-{period["end"]:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(label) for label in cpf.SERVICE_FAIT_HEADER])
    writer.writerows(row for _line, row in lines)
    return response
