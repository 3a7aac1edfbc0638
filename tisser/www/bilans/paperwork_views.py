"""The bilan's funding and its paperwork: funding, funder and price (the consultant, while
the bilan is open), the tripartite convention (R6313-8) and the self-funded contract
(L6353-3 to L6353-7) with their signatures, and the beneficiary's acceptance in the app.

Bilans come through the access helpers: the consultant who runs the bilan writes, its
beneficiary reads and signs; anyone else — a coordinator included — gets a 404, and so does a
bilan whose funding calls for neither document."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import (
    access_bilan,
    access_bilan_run,
    access_employer_bilan_run,
    access_own_bilan,
    access_personal_bilan_run,
)
from tisser.bilans.models import Bilan, Contract, Convention, Phase
from tisser.bilans.services.contract import FIELDS as CONTRACT_FIELDS
from tisser.bilans.services.contract import SIGNATURE_FIELDS as CONTRACT_SIGNATURE_FIELDS
from tisser.bilans.services.convention import FIELDS as CONVENTION_FIELDS
from tisser.bilans.services.convention import SIGNATURE_FIELDS as CONVENTION_SIGNATURE_FIELDS
from tisser.core.errors import StaleVersion
from tisser.www.bilans.paperwork_forms import (
    AcceptForm,
    BilanFundingForm,
    ContractForm,
    ContractSignaturesForm,
    ConventionForm,
    ConventionSignaturesForm,
)
from tisser.www.forms import form_conflict_apply, form_errors_apply


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def paperwork_context(bilan: Bilan) -> dict:
    """What the bilan pages show of the funding's paperwork: the convention or contract and
    where it stands (deadline, withdrawal period)."""
    context: dict = {"convention": None, "contract": None}
    if bilans.convention_applies(bilan):
        convention = Convention.objects.filter(bilan=bilan).first()
        context |= {
            "convention": convention,
            "convention_status": bilans.convention_status(convention),
            "accept_form": AcceptForm(initial={"version": convention.version})
            if convention
            else None,
        }
    elif bilans.contract_applies(bilan):
        contract = Contract.objects.filter(bilan=bilan).first()
        context |= {
            "contract": contract,
            "contract_status": bilans.contract_status(contract),
            "accept_form": AcceptForm(initial={"version": contract.version}) if contract else None,
        }
    return context


# --- Funding, funder, price -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def funding_edit(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    editable = bilan.status != Phase.CLOSED
    conflict = None
    status = 200
    if request.method == "POST" and editable:
        form = BilanFundingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bilans.bilan_funding_update(
                    consultant=request.user,
                    bilan=bilan,
                    funding=data["funding"],
                    funder_name=data["funder_name"],
                    price_euros=data["price_euros"],
                    planned_hours=data["planned_hours"],
                    expected_version=data["version"],
                )
            except StaleVersion as error:
                conflict = form_conflict_apply(form, error)
                status = 409
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                messages.success(request, _("Le financement du bilan est enregistré."))
                return redirect("bilans:detail", bilan_id=bilan.pk)
        else:
            status = 400
    else:
        form = BilanFundingForm(initial=BilanFundingForm.initial_of(bilan))
    return render(
        request,
        "www/bilans/funding_edit.html",
        {
            "bilan": bilan,
            "form": form,
            "conflict": conflict,
            "editable": editable,
            "price_signed": bilans.price_is_signed(bilan),
        },
        status=status,
    )


# --- Convention -------------------------------------------------------------------------------


def render_convention(
    request, bilan: Bilan, *, form=None, signatures_form=None, conflict=None, status=200
):
    convention = Convention.objects.filter(bilan=bilan).first()
    if form is None:
        if convention is not None:
            form = ConventionForm(
                initial={
                    **{name: getattr(convention, name) for name in CONVENTION_FIELDS},
                    "price_euros": bilan.price_euros,
                    "version": convention.version,
                }
            )
        else:
            form = ConventionForm(initial={**bilans.convention_initial(bilan), "version": 0})
    if signatures_form is None and convention is not None:
        signatures_form = ConventionSignaturesForm(
            initial={
                **{name: getattr(convention, name) for name in CONVENTION_SIGNATURE_FIELDS},
                "version": convention.version,
            }
        )
    return render(
        request,
        "www/bilans/convention_edit.html",
        {
            "bilan": bilan,
            "convention": convention,
            "convention_status": bilans.convention_status(convention),
            "form": form,
            "signatures_form": signatures_form,
            "conflict": conflict,
            "editable": bilan.status != Phase.CLOSED
            and (convention is None or convention.beneficiary_signed_on is None),
            "open": bilan.status != Phase.CLOSED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def convention_edit(request, bilan_id: int):
    bilan = access_employer_bilan_run(request.user, bilan_id)
    if request.method != "POST":
        return render_convention(request, bilan)
    form = ConventionForm(request.POST)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in (*CONVENTION_FIELDS, "price_euros")}
        try:
            convention = bilans.convention_save(
                consultant=request.user,
                bilan=bilan,
                values=values,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error, changed_only=True)
            return render_convention(request, bilan, form=form, conflict=conflict, status=409)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("La convention est enregistrée."))
            if convention.transmitted_on is None and form.cleaned_data["version"]:
                messages.info(
                    request,
                    _(
                        "La convention modifiée est à transmettre à nouveau à la personne : "
                        "indiquez la date de transmission, un nouveau délai de dix jours "
                        "commence."
                    ),
                )
            return redirect("bilans:convention_edit", bilan_id=bilan.pk)
    return render_convention(request, bilan, form=form, status=400)


@require_POST
def convention_signatures(request, bilan_id: int):
    bilan = access_employer_bilan_run(request.user, bilan_id)
    form = ConventionSignaturesForm(request.POST)
    if form.is_valid():
        try:
            bilans.convention_signatures_save(
                consultant=request.user,
                bilan=bilan,
                values={name: form.cleaned_data[name] for name in CONVENTION_SIGNATURE_FIELDS},
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error, changed_only=True)
            return render_convention(
                request, bilan, signatures_form=form, conflict=conflict, status=409
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("La transmission et les signatures sont enregistrées."))
            return redirect("bilans:convention_edit", bilan_id=bilan.pk)
    return render_convention(request, bilan, signatures_form=form, status=400)


@require_POST
def convention_accept(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("bilans:mine")
    try:
        bilans.convention_accept(
            beneficiary=request.user, bilan=bilan, expected_version=form.cleaned_data["version"]
        )
    except (StaleVersion, ValidationError) as error:
        for text in getattr(error, "messages", [str(error)]):
            messages.error(request, text)
    else:
        messages.success(request, _("Merci : votre acceptation de la convention est enregistrée."))
    return redirect("bilans:mine")


@require_GET
def convention_pdf(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related(
            "bilan__organisation", "bilan__beneficiary", "bilan__consultant"
        ),
        bilan=bilan,
    )
    content = bilans.convention_pdf(actor=request.user, convention=convention)
    return pdf_response(content, bilans.bilan_pdf_filename(kind="convention", bilan=bilan))


# --- Contract (self-funded) ---------------------------------------------------------------------


def render_contract(
    request, bilan: Bilan, *, form=None, signatures_form=None, conflict=None, status=200
):
    contract = Contract.objects.filter(bilan=bilan).first()
    if form is None:
        if contract is not None:
            form = ContractForm(
                initial={
                    **{name: getattr(contract, name) for name in CONTRACT_FIELDS},
                    "price_euros": bilan.price_euros,
                    "version": contract.version,
                }
            )
        else:
            form = ContractForm(initial={**bilans.contract_initial(bilan), "version": 0})
    if signatures_form is None and contract is not None:
        signatures_form = ContractSignaturesForm(
            initial={
                **{name: getattr(contract, name) for name in CONTRACT_SIGNATURE_FIELDS},
                "version": contract.version,
            }
        )
    return render(
        request,
        "www/bilans/contract_edit.html",
        {
            "bilan": bilan,
            "contract": contract,
            "contract_status": bilans.contract_status(contract),
            "form": form,
            "signatures_form": signatures_form,
            "conflict": conflict,
            "editable": bilan.status != Phase.CLOSED
            and (contract is None or contract.signed_on is None),
            "open": bilan.status != Phase.CLOSED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request, bilan_id: int):
    bilan = access_personal_bilan_run(request.user, bilan_id)
    if request.method != "POST":
        return render_contract(request, bilan)
    form = ContractForm(request.POST)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in (*CONTRACT_FIELDS, "price_euros")}
        try:
            bilans.contract_save(
                consultant=request.user,
                bilan=bilan,
                values=values,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error, changed_only=True)
            return render_contract(request, bilan, form=form, conflict=conflict, status=409)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le contrat est enregistré."))
            return redirect("bilans:contract_edit", bilan_id=bilan.pk)
    return render_contract(request, bilan, form=form, status=400)


@require_POST
def contract_signatures(request, bilan_id: int):
    bilan = access_personal_bilan_run(request.user, bilan_id)
    form = ContractSignaturesForm(request.POST)
    if form.is_valid():
        try:
            bilans.contract_signatures_save(
                consultant=request.user,
                bilan=bilan,
                values={name: form.cleaned_data[name] for name in CONTRACT_SIGNATURE_FIELDS},
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            conflict = form_conflict_apply(form, error, changed_only=True)
            return render_contract(
                request, bilan, signatures_form=form, conflict=conflict, status=409
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Les signatures et les paiements sont enregistrés."))
            return redirect("bilans:contract_edit", bilan_id=bilan.pk)
    return render_contract(request, bilan, signatures_form=form, status=400)


@require_POST
def contract_accept(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("bilans:mine")
    try:
        bilans.contract_accept(
            beneficiary=request.user, bilan=bilan, expected_version=form.cleaned_data["version"]
        )
    except (StaleVersion, ValidationError) as error:
        for text in getattr(error, "messages", [str(error)]):
            messages.error(request, text)
    else:
        messages.success(
            request,
            _(
                "Merci : votre signature du contrat est enregistrée. Vous pouvez vous "
                "rétracter dans les dix jours."
            ),
        )
    return redirect("bilans:mine")


@require_GET
def contract_pdf(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related(
            "bilan__organisation", "bilan__beneficiary", "bilan__consultant"
        ),
        bilan=bilan,
    )
    content = bilans.contract_pdf(actor=request.user, contract=contract)
    return pdf_response(content, bilans.bilan_pdf_filename(kind="contrat", bilan=bilan))
