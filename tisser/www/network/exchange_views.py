"""Importing and exporting one's contacts (CSV, vCard). The beneficiary's own network only:
a contact's vCard is fetched among the person's own contacts, anyone else's is a 404."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.network.exchange import UnreadableFile, contacts_export, contacts_import
from tisser.network.models import Contact
from tisser.www.network.exchange_forms import MAX_UPLOAD_BYTES, ContactsImportForm


def _download(exported) -> HttpResponse:
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@role_required(Role.BENEFICIARY)
@require_http_methods(["GET", "POST"])
def contacts_import_view(request):
    form = ContactsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = contacts_import(
                owner=request.user,
                raw=form.cleaned_data["file"].read(),
                how_known=form.cleaned_data["how_known"],
            )
        except UnreadableFile as error:
            form.add_error("file", error.message)
        else:
            return render(
                request,
                "www/network/exchange/import_report.html",
                {"report": report, "filename": form.cleaned_data["file"].name},
            )
    return render(
        request,
        "www/network/exchange/import.html",
        {"form": form, "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


@role_required(Role.BENEFICIARY)
@require_GET
def contacts_export_view(request):
    count = Contact.objects.owned_by(request.user).count()
    return render(request, "www/network/exchange/export.html", {"count": count})


@role_required(Role.BENEFICIARY)
@require_GET
def contacts_export_csv(request):
    return _download(contacts_export(owner=request.user, format="csv"))


@role_required(Role.BENEFICIARY)
@require_GET
def contacts_export_vcard(request):
    return _download(contacts_export(owner=request.user, format="vcard"))


@require_GET
def contact_vcard(request, contact_id: int):
    contact = get_object_or_404(
        Contact.objects.owned_by(request.user).select_related("metier", "introduced_by"),
        pk=contact_id,
    )
    return _download(contacts_export(owner=request.user, format="vcard", contact=contact))
