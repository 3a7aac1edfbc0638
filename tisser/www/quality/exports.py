"""The auditor's export for the coordinator (issue #18, ADR 0039): ask for a span, follow the
build (htmx polls the status while it runs, then stops: 286), download the archive."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.quality.models import AuditExport
from tisser.quality.services.exports import (
    audit_export_download,
    audit_export_request,
    default_span,
)
from tisser.www.forms import form_errors_apply
from tisser.www.quality.exports_forms import ExportForm

# The exports listed on the page, newest first.
SHOWN = 20


def _exports(request):
    return AuditExport.objects.visible_to(request.user).filter(
        organisation=request.membership.organisation
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def exports(request):
    span = default_span()
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            try:
                audit_export_request(
                    coordinator=request.user,
                    organisation=request.membership.organisation,
                    first_day=form.cleaned_data["first_day"],
                    last_day=form.cleaned_data["last_day"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                return redirect("quality:exports")
    else:
        form = ExportForm(initial={"first_day": span.first_day, "last_day": span.last_day})
    return render(
        request,
        "www/quality/exports/exports.html",
        {"form": form, "exports": list(_exports(request).select_related("requested_by")[:SHOWN])},
    )


@role_required(Role.COORDINATOR)
@require_GET
def export_status(request, export_id: int):
    """Where one export stands, for htmx: the same fragment while it builds; once it is
    ready or failed, its last state answered 286 so that htmx stops polling. Without
    JavaScript, the page of the exports."""
    export = get_object_or_404(_exports(request), pk=export_id)
    if not request.htmx:
        return redirect("quality:exports")
    response = render(request, "www/quality/exports/_status.html", {"export": export})
    if export.finished or export.stale:
        response.status_code = 286
    return response


@role_required(Role.COORDINATOR)
@require_GET
def export_download(request, export_id: int):
    export = get_object_or_404(_exports(request), pk=export_id)
    try:
        path = audit_export_download(coordinator=request.user, export=export)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(path.open("rb"), as_attachment=True, filename=export.archive_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
