"""Complaints and difficulties (indicator 31, docs/adr/0034): a member raises one from their
space and follows it; the coordinators list, acknowledge, handle, answer and close them. A
complaint is seen by its author and its organisation's coordinators only (404 otherwise)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tisser.bilans.models import Bilan
from tisser.bilans.models.core import party_of_bilan
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.quality.access import access_complaint_authored, access_complaint_coordinated
from tisser.quality.models import Complaint
from tisser.quality.models.complaints import ACKNOWLEDGE_WORKING_DAYS
from tisser.quality.services import complaints as service
from tisser.www.forms import form_conflict_apply, form_errors_apply
from tisser.www.quality.complaints_forms import (
    ComplaintFilterForm,
    ComplaintHandleForm,
    ComplaintRaiseForm,
)

PER_PAGE = 25
RAISING = (Role.BENEFICIARY, Role.MENTOR, Role.CONSULTANT)


def _bilans(request):
    return (
        Bilan.objects.filter(party_of_bilan(request.user))
        .filter(organisation_id=request.membership.organisation_id)
        .select_related("beneficiary")
    )


@role_required(*RAISING)
@require_http_methods(["GET", "POST"])
def complaint_raise(request):
    """The form to raise a complaint or a difficulty, above the person's earlier ones."""
    bilans = _bilans(request)
    form = ComplaintRaiseForm(request.POST or None, bilans=bilans)
    if not bilans.exists():
        del form.fields["bilan"]
    if request.method == "POST" and form.is_valid():
        try:
            complaint = service.complaint_raise(
                author=request.user,
                organisation=request.membership.organisation_id,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                bilan=form.cleaned_data.get("bilan"),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre message est transmis à la coordination de l'organisme. "
                    "Vous suivez ici sa prise en compte et sa réponse."
                ),
            )
            return redirect("quality:my_complaint", complaint.pk)
    mine = Complaint.objects.filter(author=request.user).order_by("-received_on", "-id")[:50]
    return render(
        request,
        "www/quality/complaints/raise.html",
        {"form": form, "mine": mine, "acknowledge_days": ACKNOWLEDGE_WORKING_DAYS},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*RAISING)
@require_GET
def my_complaint(request, complaint_id: int):
    """The follow-up its author sees: status, dates, deadlines, the answer; never the
    coordinators' internal notes."""
    complaint = access_complaint_authored(request.user, complaint_id)
    return render(
        request,
        "www/quality/complaints/mine.html",
        {"complaint": complaint, "today": timezone.localdate()},
    )


@role_required(Role.COORDINATOR)
@require_GET
def complaint_list(request):
    form = ComplaintFilterForm(request.GET or None)
    today = timezone.localdate()
    complaints = Complaint.objects.filter(
        organisation_id=request.membership.organisation_id
    ).select_related("author")
    if form.is_valid():
        if form.cleaned_data["status"]:
            complaints = complaints.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            complaints = complaints.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["overdue"]:
            complaints = complaints.overdue(today)
    page_obj = Paginator(complaints.order_by("-received_on", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "www/quality/complaints/list.html",
        {"form": form, "page_obj": page_obj, "today": today},
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def complaint_detail(request, complaint_id: int):
    complaint = access_complaint_coordinated(request.user, complaint_id)
    conflict = None
    if request.method == "POST":
        form = ComplaintHandleForm(request.POST)
        step = request.POST.get("step", "")
        if step not in service.STEPS:
            form.add_error(None, _("Choisissez une étape."))
        elif form.is_valid():
            try:
                service.complaint_progress(
                    coordinator=request.user,
                    complaint=complaint,
                    step=step,
                    expected_version=form.cleaned_data["version"],
                    # The answer's field is there while the complaint is open (a draft
                    # saved with the notes is shown to nobody until it is sent).
                    answer=form.cleaned_data["answer"] if complaint.is_open else None,
                    internal_notes=form.cleaned_data["internal_notes"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=["answer", "internal_notes"])
                complaint = access_complaint_coordinated(request.user, complaint_id)
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _STEP_DONE[step]())
                return redirect("quality:complaint", complaint.pk)
    else:
        form = ComplaintHandleForm(
            initial={
                "answer": complaint.answer,
                "internal_notes": complaint.internal_notes,
                "version": complaint.version,
            }
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    steps = [step for step in _STEP_BUTTONS if complaint.status in service.STEPS[step]]
    return render(
        request,
        "www/quality/complaints/detail.html",
        {
            "complaint": complaint,
            "form": form,
            "conflict": conflict,
            "steps": [(step, _STEP_BUTTONS[step]()) for step in steps],
            "actions": complaint.improvement_actions.select_related("owner"),
            "today": timezone.localdate(),
        },
        status=status,
    )


_STEP_BUTTONS = {
    service.ACKNOWLEDGE: lambda: _("Accuser réception"),
    service.HANDLE: lambda: _("Prendre en charge"),
    service.ANSWER: lambda: _("Envoyer la réponse"),
    service.CLOSE: lambda: _("Clore"),
    service.NOTES: lambda: _("Enregistrer les notes"),
}

_STEP_DONE = {
    service.ACKNOWLEDGE: lambda: _("Réception accusée : la personne en est informée."),
    service.HANDLE: lambda: _("La réclamation est en cours de traitement."),
    service.ANSWER: lambda: _("Réponse envoyée : la personne la reçoit."),
    service.CLOSE: lambda: _("La réclamation est close."),
    service.NOTES: lambda: _("Notes enregistrées."),
}
