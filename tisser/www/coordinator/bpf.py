"""The bilans' part of the bilan pédagogique et financier (BPF) for a chosen year: counts,
hours and amounts by funder line, on a page and as a CSV file for French spreadsheets
(`tisser.bilans.services.bpf`, ADR 0017)."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tisser.bilans.services import bpf as bpf_service
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.www.coordinator.cpf_forms import YearForm


def _year(request) -> tuple[YearForm, int | None]:
    default = timezone.localdate().year - 1
    if "year" not in request.GET:
        return YearForm(initial={"year": default}), default
    form = YearForm(request.GET)
    return form, form.cleaned_data["year"] if form.is_valid() else None


@role_required(Role.COORDINATOR)
@require_GET
def bpf(request):
    form, year = _year(request)
    figures = None
    if year is not None:
        figures = bpf_service.bpf_compute(
            coordinator=request.user, organisation=request.membership.organisation, year=year
        )
    return render(
        request,
        "www/coordinator/bpf.html",
        {"form": form, "bpf": figures, "year": year},
        status=200 if year is not None else 400,
    )


@role_required(Role.COORDINATOR)
@require_GET
def bpf_csv(request):
    _form, year = _year(request)
    if year is None:
        return bpf(request)
    figures = bpf_service.bpf_compute(
        coordinator=request.user, organisation=request.membership.organisation, year=year
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = request.membership.organisation.slug
    response["Content-Disposition"] = f'attachment; filename="bpf-bilans-{slug}-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerows(bpf_service.bpf_rows(figures))
    return response
