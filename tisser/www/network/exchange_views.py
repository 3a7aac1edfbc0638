"""Importing and exporting one's contacts (CSV, vCard). The beneficiary's own network only:
a contact's vCard is fetched among the person's own contacts, anyone else's is a 404.

A small file is imported while the page waits; a larger one (over
`settings.TISSER_IMPORT_BACKGROUND_BYTES`) by a task, whose page shows its progress
(docs/adr/0012-bounded-imports.md)."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.network.exchange import UnreadableFile, contacts_export, contacts_import
from tisser.network.exchange.background import contact_import_start
from tisser.network.exchange.importer import ImportReport
from tisser.network.exchange.reading import figure, max_rows
from tisser.network.models import Contact, ContactImport
from tisser.www.network.exchange_forms import MAX_UPLOAD_BYTES, ContactsImportForm, UploadCap


def _download(exported) -> StreamingHttpResponse:
    # Streamed: a network of thousands of contacts is written as it is read (ADR 0030).
    response = StreamingHttpResponse(exported.chunks, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@csrf_exempt  # checked by `_contacts_import`, once the upload's handlers are in place
@role_required(Role.BENEFICIARY)
@require_http_methods(["GET", "POST"])
def contacts_import_view(request):
    request.upload_handlers.insert(0, UploadCap(request))
    return _contacts_import(request)


@csrf_protect
def _contacts_import(request):
    form = ContactsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.TISSER_IMPORT_BACKGROUND_BYTES:
                job = contact_import_start(
                    owner=request.user,
                    filename=upload.name,
                    raw=upload.read(),
                    how_known=form.cleaned_data["how_known"],
                )
                return redirect("network:contacts_import_progress", import_id=job.pk)
            report = contacts_import(
                owner=request.user, raw=upload, how_known=form.cleaned_data["how_known"]
            )
        except UnreadableFile as error:
            form.add_error("file", error.message)
        else:
            return render(
                request,
                "www/network/exchange/import_report.html",
                {"report": report, "filename": form.cleaned_data["file"].name},
            )
    running = ContactImport.objects.visible_to(request.user).pending()
    return render(
        request,
        "www/network/exchange/import.html",
        {
            "form": form,
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "running": running.first(),
            "max_rows": figure(max_rows()),
        },
    )


@require_GET
def contacts_import_progress(request, import_id: int):
    """A background import: its progress while it runs (polled by htmx, which reloads the
    whole page once it ends; without JavaScript, a link reloads it), then its report."""
    job = get_object_or_404(ContactImport.objects.visible_to(request.user), pk=import_id)
    if request.htmx and (job.finished or job.stale):
        return HttpResponseClientRefresh()
    if job.status == ContactImport.Status.DONE:
        return render(
            request,
            "www/network/exchange/import_report.html",
            {"report": ImportReport.from_data(job.report), "filename": job.filename},
        )
    template = "_import_progress.html" if request.htmx else "import_progress.html"
    return render(request, f"www/network/exchange/{template}", {"job": job})


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
    contact = get_object_or_404(Contact.objects.owned_by(request.user), pk=contact_id)
    return _download(contacts_export(owner=request.user, format="vcard", contact=contact))
