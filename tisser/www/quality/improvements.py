"""Improvement actions (indicator 32, docs/adr/0034): the coordinators' log — list, create
(from a complaint, or prefilled by another page: `?origine=appreciation&reference=…`), edit
with the optimistic lock's conflict shown beside what was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tisser.accounts.models import User
from tisser.core.access import role_required
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality.access import access_complaint_coordinated, access_improvement_action
from tisser.quality.models import ActionSource, ActionStatus, ImprovementAction
from tisser.quality.services import improvements as service
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.quality.improvements_forms import ActionFilterForm, ImprovementActionForm

PER_PAGE = 25

# `?origine=` as other pages write it (the appraisals page: `appreciation`).
ORIGINS = {
    "reclamation": ActionSource.COMPLAINT,
    "appreciation": ActionSource.APPRAISAL,
    "audit": ActionSource.AUDIT,
    "veille": ActionSource.WATCH,
    "autre": ActionSource.OTHER,
}


def _owners(request):
    return (
        User.objects.filter(
            memberships__organisation_id=request.membership.organisation_id,
            memberships__is_active=True,
            memberships__role__in=(Role.COORDINATOR, Role.CONSULTANT),
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@role_required(Role.COORDINATOR)
@require_GET
def action_list(request):
    form = ActionFilterForm(request.GET or None)
    today = timezone.localdate()
    actions = ImprovementAction.objects.filter(
        organisation_id=request.membership.organisation_id
    ).select_related("owner", "complaint")
    if form.is_valid():
        if form.cleaned_data["status"]:
            actions = actions.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["source"]:
            actions = actions.filter(source=form.cleaned_data["source"])
        if form.cleaned_data["overdue"]:
            actions = actions.overdue(today)
    page_obj = Paginator(actions.order_by("-created_on", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "www/quality/improvements/list.html",
        {"form": form, "page_obj": page_obj, "today": today},
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def action_create(request):
    complaint = None
    complaint_id = request.GET.get("reclamation", "")
    if complaint_id.isdigit():
        complaint = access_complaint_coordinated(request.user, int(complaint_id))
    owners = _owners(request)
    if request.method == "POST":
        form = ImprovementActionForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                action = service.improvement_action_create(
                    coordinator=request.user,
                    organisation=request.membership.organisation_id,
                    fields=form.action_fields(complaint),
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("L'action d'amélioration est enregistrée."))
                return redirect("quality:action", action.pk)
    else:
        initial = {"status": ActionStatus.PLANNED, "owner": request.user.pk}
        if complaint is not None:
            initial.update(
                source=ActionSource.COMPLAINT,
                source_reference=_("Réclamation du %(date)s : %(subject)s")
                % {
                    "date": french_date(complaint.received_on, "j F Y"),
                    "subject": complaint.subject,
                },
            )
        elif request.GET.get("origine") in ORIGINS:
            initial["source"] = ORIGINS[request.GET["origine"]]
        if complaint is None and request.GET.get("reference"):
            initial["source_reference"] = request.GET["reference"][:200]
        form = ImprovementActionForm(initial=initial, owners=owners)
    return render(
        request,
        "www/quality/improvements/form.html",
        {"form": form, "complaint": complaint, "action": None, "conflict": None},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def action_edit(request, action_id: int):
    action = access_improvement_action(request.user, action_id)
    owners = _owners(request)
    conflict = None
    if request.method == "POST":
        form = ImprovementActionForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                service.improvement_action_update(
                    coordinator=request.user,
                    action=action,
                    fields=form.action_fields(action.complaint),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(
                    form,
                    error,
                    fields=[
                        "title",
                        "description",
                        "source",
                        "source_reference",
                        "owner",
                        "due_on",
                        "status",
                        "result",
                    ],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("L'action d'amélioration est enregistrée."))
                return redirect("quality:action", action.pk)
    else:
        form = ImprovementActionForm(
            initial={
                "title": action.title,
                "description": action.description,
                "source": action.source,
                "source_reference": action.source_reference,
                "owner": action.owner_id,
                "due_on": action.due_on,
                "status": action.status,
                "result": action.result,
                "version": action.version,
            },
            owners=owners,
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/quality/improvements/form.html",
        {"form": form, "complaint": action.complaint, "action": action, "conflict": conflict},
        status=status,
    )
