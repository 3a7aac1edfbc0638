"""Consultants' records (Qualiopi indicators 21 and 22, docs/adr/0036): the consultant edits
their own; the coordinator sees who is due for what and edits any record of their
organisation. Anyone else, and another consultant's record: 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.french import de
from tisser.quality.consultant_access import (
    access_consultant_item,
    access_consultant_membership,
    item_kind,
)
from tisser.quality.consultant_pdf import consultant_record_context, consultant_record_pdf
from tisser.quality.consultants import DueKind, organisation_consultant_rows
from tisser.quality.files import file_response
from tisser.quality.models import ConsultantRecord
from tisser.quality.services import consultants as services
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.quality.consultants_forms import FORMS, ConsultantListForm, RecordForm

PER_PAGE = 25

TITLES = {
    "diplomes": (
        gettext_lazy("Ajouter un diplôme ou une certification"),
        gettext_lazy("Diplôme ou certification"),
    ),
    "methodes": (gettext_lazy("Ajouter une méthode ou un outil"), gettext_lazy("Méthode ou outil")),
    "formations": (
        gettext_lazy("Ajouter une formation continue"),
        gettext_lazy("Formation continue"),
    ),
}


def _name(membership) -> str:
    return membership.user.get_full_name() or membership.user.email


def _is_own(request, membership) -> bool:
    return membership.user_id == request.user.pk


def _record_url(membership) -> str:
    return reverse("quality:consultant_record", args=[membership.pk])


@role_required(Role.CONSULTANT)
@require_GET
def consultant_record_mine(request):
    return redirect("quality:consultant_record", membership_id=request.membership.pk)


@role_required(Role.COORDINATOR)
@require_GET
def consultant_list(request):
    """The organisme's consultants and what each is due for: one query for them all, sorted
    and filtered here, then paged."""
    form = ConsultantListForm(request.GET or None)
    due = sort = ""
    if form.is_valid():
        due, sort = form.cleaned_data["echeance"], form.cleaned_data["tri"]
    rows = organisation_consultant_rows(
        request.membership.organisation_id, today=timezone.localdate()
    )
    if due == "a-prevoir":
        rows = [row for row in rows if row.dues]
    elif due == "a-jour":
        rows = [row for row in rows if not row.dues]
    elif due:
        rows = [row for row in rows if any(d.kind == DueKind(due) for d in row.dues)]
    if sort != "nom":
        rows.sort(key=lambda row: row.first_due_on)  # stable: by name within a day
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "www/quality/consultants/list.html",
        {"form": form, "page_obj": page, "filtered": bool(due), "today": timezone.localdate()},
    )


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_GET
def consultant_record(request, membership_id: int):
    membership = access_consultant_membership(request.user, membership_id)
    context = consultant_record_context(membership)
    context.update(editable=True, own=_is_own(request, membership), name=_name(membership))
    return render(request, "www/quality/consultants/record.html", context)


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_GET
def consultant_record_download(request, membership_id: int):
    membership = access_consultant_membership(request.user, membership_id)
    return file_response(
        consultant_record_pdf(membership),
        content_type="application/pdf",
        filename=f"dossier-consultant-{membership.pk}.pdf",
    )


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultant_profile_edit(request, membership_id: int):
    membership = access_consultant_membership(request.user, membership_id)
    record = ConsultantRecord.objects.filter(membership=membership).first()
    conflict = None
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consultant_record_save(
                    actor=request.user,
                    membership=membership,
                    expected_version=data["version"],
                    years_in_guidance=data["years_in_guidance"],
                    previous_roles=data["previous_roles"],
                    summary=data["summary"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=list(services.RECORD_FIELDS))
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("L'expérience est enregistrée."))
                return redirect(_record_url(membership))
    else:
        initial = {"version": record.version if record else 0}
        if record:
            initial.update({name: getattr(record, name) for name in services.RECORD_FIELDS})
        form = RecordForm(initial=initial)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/quality/consultants/form.html",
        {
            "form": form,
            "conflict": conflict,
            "membership": membership,
            "name": _name(membership),
            "own": _is_own(request, membership),
            "title": _("Expérience"),
            "submit": _("Enregistrer l'expérience"),
            "multipart": False,
            "item": None,
            "kind": "",
        },
        status=status,
    )


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultant_item_add(request, membership_id: int, kind: str):
    membership = access_consultant_membership(request.user, membership_id)
    item_kind(kind)
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.consultant_item_add(
                    actor=request.user,
                    membership=membership,
                    kind=services.RecordItemKind(kind),
                    values=form.values(),
                    proof=form.cleaned_data.get("proof"),
                    proof_name=form.proof_name,
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("C'est enregistré dans le dossier."))
                return redirect(_record_url(membership))
    else:
        form = form_class()
    return render(
        request,
        "www/quality/consultants/form.html",
        {
            "form": form,
            "conflict": None,
            "membership": membership,
            "name": _name(membership),
            "own": _is_own(request, membership),
            "title": TITLES[kind][0],
            "submit": _("Enregistrer"),
            "multipart": True,
            "item": None,
            "kind": kind,
        },
        status=200 if request.method == "GET" else 400,
    )


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultant_item_edit(request, membership_id: int, kind: str, item_id: int):
    item = access_consultant_item(request.user, membership_id, kind, item_id)
    membership = item.membership
    form_class = FORMS[kind]
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, has_proof=item.has_proof)
        if form.is_valid():
            try:
                services.consultant_item_update(
                    actor=request.user,
                    item=item,
                    expected_version=form.cleaned_data["version"] or 0,
                    values=form.values(),
                    proof=form.cleaned_data.get("proof"),
                    proof_name=form.proof_name,
                    proof_remove=form.cleaned_data.get("proof_remove", False),
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=list(form.fields_order))
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("C'est enregistré dans le dossier."))
                return redirect(_record_url(membership))
    else:
        initial = {name: getattr(item, name) for name in form_class.fields_order}
        form = form_class(initial={**initial, "version": item.version}, has_proof=item.has_proof)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/quality/consultants/form.html",
        {
            "form": form,
            "conflict": conflict,
            "membership": membership,
            "name": _name(membership),
            "own": _is_own(request, membership),
            "title": TITLES[kind][1],
            "submit": _("Enregistrer"),
            "multipart": True,
            "item": item,
            "kind": kind,
        },
        status=status,
    )


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_POST
def consultant_item_delete(request, membership_id: int, kind: str, item_id: int):
    item = access_consultant_item(request.user, membership_id, kind, item_id)
    membership = item.membership
    asked = confirmation_asked(
        request,
        question=_("Retirer cet élément du dossier %(de_name)s ?")
        % {"de_name": de(_name(membership))},
        consequences=[_("Il est retiré du dossier avec son justificatif.")],
        confirm_label=_("Retirer"),
        cancel_url=reverse("quality:consultant_item_edit", args=[membership.pk, kind, item.pk]),
    )
    if asked is not None:
        return asked
    services.consultant_item_delete(actor=request.user, item=item)
    messages.success(request, _("L'élément est retiré du dossier."))
    return redirect(_record_url(membership))


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_GET
def consultant_item_proof(request, membership_id: int, kind: str, item_id: int):
    item = access_consultant_item(request.user, membership_id, kind, item_id)
    if not item.has_proof:
        raise Http404
    services.consultant_proof_read(actor=request.user, item=item)
    return file_response(
        item.proof,
        content_type=item.proof_content_type,
        filename=item.proof_name or f"justificatif-{item.pk}",
    )
