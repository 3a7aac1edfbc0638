"""The organisme's bilans for its coordinator (ADR 0021): the list (the consultant's
caseload tools: search, filters, sort, pages — `tisser.www.bilans.lists`), each bilan's
management view (phases, hours, émargement, documents; never private notes or working
documents), its hand-over to another consultant, and the beneficiaries with their
consultant of record. The aggregate indicators stay on `coordinator:bilans`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tisser.accounts.models import Membership
from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan_coordinated
from tisser.bilans.caseload import bilan_list, caseload_rows, organisation_bilans
from tisser.bilans.models import Funding, Phase, PhaseTransition
from tisser.bilans.services.emargement import emargement_rows
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.errors import StaleVersion
from tisser.core.french import de
from tisser.www.bilans.lists import OrganisationBilanListForm, bilan_list_page
from tisser.www.coordinator.bilan_list_forms import (
    BeneficiarySearchForm,
    ConsultantChoiceForm,
)
from tisser.www.forms import form_conflict_apply, form_errors_apply

PER_PAGE = 25


def _consultants(request):
    return bilans.active_consultants(request.membership.organisation_id)


@role_required(Role.COORDINATOR)
@require_GET
def bilan_list_view(request):
    form = OrganisationBilanListForm(request.GET or None, consultants=_consultants(request))
    listing = bilan_list_page(request, organisation_bilans(request.user), form, personal=False)
    return render(request, "www/coordinator/bilan_list.html", {"listing": listing})


def _documents(bilan) -> list[tuple[str, str]]:
    """The documents of `bilan` as a coordinator sees them: their state, never their
    content (the synthèse's text is the person's and their consultant's)."""
    rows = []
    if bilans.convention_applies(bilan):
        convention = getattr(bilan, "convention", None)
        rows.append((_("Convention"), bilans.convention_status(convention).state.label))
    if bilans.contract_applies(bilan):
        contract = getattr(bilan, "contract", None)
        rows.append((_("Contrat"), bilans.contract_status(contract).state.label))
    synthesis = getattr(bilan, "synthesis", None)
    rows.append(
        (
            _("Document de synthèse"),
            synthesis.get_status_display() if synthesis else _("Pas encore commencé"),
        )
    )
    return rows


@role_required(Role.COORDINATOR)
@require_GET
def bilan_manage(request, bilan_id: int):
    bilan = access_bilan_coordinated(request.user, bilan_id)
    (row,) = caseload_rows(
        bilan_list(organisation_bilans(request.user).filter(pk=bilan.pk), personal=False)
    )
    transitions = PhaseTransition.objects.filter(bilan=bilan).select_related("by")
    return render(
        request,
        "www/coordinator/bilan.html",
        {
            "bilan": bilan,
            "row": row,
            "hours": row.hours,
            "transitions": transitions,
            "emargement": emargement_rows(bilan),
            "documents": _documents(bilan),
            "is_cpf": bilan.funding == Funding.CPF,
            "ended": bilan.status == Phase.CLOSED,
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def bilan_hand_over(request, bilan_id: int):
    """Hand an open bilan over to another active consultant of the organisation."""
    bilan = access_bilan_coordinated(request.user, bilan_id)
    consultants = _consultants(request).exclude(pk=bilan.consultant_id)
    conflict = None
    if request.method == "POST":
        form = ConsultantChoiceForm(request.POST, consultants=consultants)
        if form.is_valid():
            try:
                bilans.bilan_hand_over(
                    coordinator=request.user,
                    bilan=bilan,
                    consultant=form.cleaned_data["consultant"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=["consultant"])
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                consultant = form.cleaned_data["consultant"]
                messages.success(
                    request,
                    _(
                        "Le bilan est confié à %(name)s. La personne en est informée par "
                        "une notification et un e-mail."
                    )
                    % {"name": consultant.get_full_name() or consultant.email},
                )
                return redirect("coordinator:bilan", bilan_id=bilan.pk)
    else:
        form = ConsultantChoiceForm(initial={"version": bilan.version}, consultants=consultants)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/coordinator/bilan_hand_over.html",
        {
            "bilan": bilan,
            "form": form,
            "conflict": conflict,
            "ended": bilan.status == Phase.CLOSED,
        },
        status=status,
    )


def _beneficiaries(request):
    return Membership.objects.visible_to(request.user).filter(
        role=Role.BENEFICIARY,
        organisation_id=request.membership.organisation_id,
        is_active=True,
    )


@role_required(Role.COORDINATOR)
@require_GET
def beneficiaries(request):
    """The organisation's beneficiaries with their consultant of record, searched by name
    or by consultant ("sans consultant·e": the people nobody follows yet)."""
    form = BeneficiarySearchForm(request.GET or None, consultants=_consultants(request))
    people = _beneficiaries(request).select_related("user", "consultant")
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    for word in (data.get("q") or "").split()[:5]:
        people = people.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    if data.get("sans_consultant"):
        people = people.filter(consultant__isnull=True)
    elif data.get("consultant"):
        people = people.filter(consultant=data["consultant"])
    people = people.order_by("user__last_name", "user__first_name", "pk")
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "www/coordinator/beneficiaries.html", {"form": form, "page_obj": page})


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def beneficiary_consultant(request, membership_id: int):
    """Name a beneficiary's consultant of record."""
    membership = get_object_or_404(
        _beneficiaries(request).select_related("user", "consultant"), pk=membership_id
    )
    consultants = _consultants(request)
    open_bilan = (
        organisation_bilans(request.user)
        .open()
        .filter(beneficiary_id=membership.user_id)
        .select_related("consultant")
        .first()
    )
    conflict = None
    if request.method == "POST":
        form = ConsultantChoiceForm(request.POST, consultants=consultants)
        if form.is_valid():
            try:
                bilans.beneficiary_consultant_assign(
                    coordinator=request.user,
                    membership=membership,
                    consultant=form.cleaned_data["consultant"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error, fields=["consultant"])
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                consultant = form.cleaned_data["consultant"]
                messages.success(
                    request,
                    _("Le suivi %(de_name)s est désormais confié à %(consultant)s.")
                    % {
                        "consultant": consultant.get_full_name() or consultant.email,
                        "de_name": de(membership.user.get_full_name() or membership.user.email),
                    },
                )
                return redirect("coordinator:beneficiaries")
    else:
        form = ConsultantChoiceForm(
            initial={"version": membership.version, "consultant": membership.consultant_id},
            consultants=consultants,
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "www/coordinator/beneficiary_consultant.html",
        {
            "membership": membership,
            "person": membership.user,
            "form": form,
            "conflict": conflict,
            "open_bilan": open_bilan,
        },
        status=status,
    )
