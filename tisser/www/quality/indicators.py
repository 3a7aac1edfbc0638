"""The indicator map (issue #18, ADR 0033): the référentiel national qualité's criteria with the
indicators that apply to bilans, for each what Tisser holds (the evidence registry's lines for
a span of days) and what the organisme supplies itself (its documents, with their date, owner
and review date); the ten that do not apply, folded at the end with why. Then the
organisme's documents: the list, the upload, a document's page (edit, replace, delete) and
its file. Coordinators only (another role gets the 404 of someone else's page); a constant
number of queries whatever the organisation's size."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality import evidence
from tisser.quality.evidence_documents import is_documents_provider
from tisser.quality.files import file_response
from tisser.quality.indicators import CRITERIA, INDICATORS, NOT_APPLICABLE, TO_SUPPLY
from tisser.quality.models import OrganismeDocument
from tisser.quality.models.documents import kinds_expected
from tisser.quality.services.documents import (
    organisme_document_delete,
    organisme_document_update,
    organisme_document_upload,
    owners_of,
)
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.quality.indicators_forms import DocumentForm, SpanForm


def _documents_of(organisation) -> list[OrganismeDocument]:
    """The organisation's documents without their bytes, their owner in the same query."""
    return list(
        OrganismeDocument.objects.filter(organisation=organisation)
        .defer("content")
        .select_related("owner")
        .order_by("kind", "-document_date", "id")
    )


@role_required(Role.COORDINATOR)
@require_GET
def indicator_map(request):
    organisation = request.membership.organisation
    today = timezone.localdate()
    form = SpanForm(request.GET, today=today)
    span = form.span()
    documents = _documents_of(organisation)
    for document in documents:
        document.state = document.review_state(today)
    criteria = []
    for criterion in CRITERIA:
        items = []
        for indicator in INDICATORS:
            if indicator.criterion != criterion.number or not indicator.applies_to_bilans:
                continue
            lines = []
            if span is not None:
                for provider in evidence.providers_of(indicator.number):
                    if provider.lines is None or is_documents_provider(provider):
                        continue
                    lines.extend(provider.lines(organisation, span))
            items.append(
                {
                    "indicator": indicator,
                    "lines": lines,
                    "to_supply": TO_SUPPLY.get(indicator.number, ""),
                    "kinds": [kind.label for kind in kinds_expected(indicator.number)],
                    "documents": [d for d in documents if indicator.number in d.indicators],
                }
            )
        criteria.append({"criterion": criterion, "items": items})
    not_applying = [
        {"indicator": indicator, "why": NOT_APPLICABLE[indicator.number]}
        for indicator in INDICATORS
        if not indicator.applies_to_bilans
    ]
    return render(
        request,
        "www/quality/indicators/map.html",
        {
            "form": form,
            "span": span,
            "criteria": criteria,
            "not_applying": not_applying,
            "documents_count": len(documents),
        },
        status=200 if span is not None else 400,
    )


def _document(request, document_id: int) -> OrganismeDocument:
    return get_object_or_404(
        OrganismeDocument.objects.visible_to(request.user)
        .filter(organisation=request.membership.organisation)
        .defer("content")
        .select_related("owner", "organisation"),
        pk=document_id,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def documents(request):
    organisation = request.membership.organisation
    owners = owners_of(organisation).order_by("last_name", "first_name", "id")
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, owners=owners)
        if form.is_valid():
            try:
                document = organisme_document_upload(
                    coordinator=request.user,
                    organisation=organisation,
                    fields=form.document_fields(),
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("Le document « %(title)s » est déposé.") % {"title": document.title},
                )
                return redirect("quality:documents")
    else:
        form = DocumentForm(
            owners=owners,
            initial={"owner": request.user.pk, "document_date": timezone.localdate()},
        )
    today = timezone.localdate()
    listed = _documents_of(organisation)
    for document in listed:
        document.state = document.review_state(today)
    return render(
        request,
        "www/quality/indicators/documents.html",
        {"form": form, "documents": listed},
        status=200 if request.method == "GET" else 400,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def document_edit(request, document_id: int):
    document = _document(request, document_id)
    owners = owners_of(document.organisation).order_by("last_name", "first_name", "id")
    conflict = None
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, owners=owners, file_required=False)
        if form.is_valid():
            try:
                organisme_document_update(
                    coordinator=request.user,
                    document=document,
                    fields=form.document_fields(),
                    upload=form.cleaned_data["file"] or None,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(
                    form,
                    error,
                    fields=["kind", "title", "document_date", "owner", "review_due_on"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Le document est enregistré."))
                return redirect("quality:documents")
    else:
        form = DocumentForm(
            owners=owners,
            file_required=False,
            initial={
                "kind": document.kind,
                "title": document.title,
                "indicators": [str(number) for number in document.indicators],
                "document_date": document.document_date,
                "owner": document.owner_id,
                "review_due_on": document.review_due_on,
                "version": document.version,
            },
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/quality/indicators/document.html",
        {"form": form, "document": document, "conflict": conflict},
        status=status,
    )


@role_required(Role.COORDINATOR)
@require_GET
def document_file(request, document_id: int):
    document = get_object_or_404(
        OrganismeDocument.objects.visible_to(request.user).filter(
            organisation=request.membership.organisation
        ),
        pk=document_id,
    )
    if not document.content:
        raise Http404
    return file_response(
        document.content, content_type=document.content_type, filename=document.filename
    )


@role_required(Role.COORDINATOR)
@require_POST
def document_delete(request, document_id: int):
    document = _document(request, document_id)
    asked = confirmation_asked(
        request,
        question=_("Supprimer le document « %(title)s » ?") % {"title": document.title},
        consequences=[
            _("Le fichier est effacé : il ne figurera plus dans l'export pour l'auditeur."),
            _("Cette suppression est définitive."),
        ],
        confirm_label=_("Supprimer le document"),
        cancel_url=reverse("quality:document", kwargs={"document_id": document.pk}),
    )
    if asked is not None:
        return asked
    organisme_document_delete(coordinator=request.user, document=document)
    messages.success(
        request, _("Le document « %(title)s » est supprimé.") % {"title": document.title}
    )
    return redirect("quality:documents")
