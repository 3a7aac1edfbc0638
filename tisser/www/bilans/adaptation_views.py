"""A bilan's need for adaptation (indicator 26, ADR 0037): one page for its beneficiary and
its consultant — the need in her words, the adaptations made, the référent handicap to write
to — and the posts that write it. Anyone else, the coordination included, gets 404 (it sees
counts on /qualite/handicap/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan
from tisser.bilans.models import Bilan, Phase
from tisser.core.errors import StaleVersion
from tisser.www.bilans.adaptation_forms import (
    ConsultantNeedForm,
    MeasureDeleteForm,
    MeasureForm,
    NeedForm,
    VersionForm,
)
from tisser.www.confirmation import confirmation_asked
from tisser.www.forms import form_conflict_apply, form_errors_apply


def _is_beneficiary(request, bilan: Bilan) -> bool:
    return request.user.pk == bilan.beneficiary_id


def _need_form(request, bilan: Bilan, adaptation, data=None):
    form_class = NeedForm if _is_beneficiary(request, bilan) else ConsultantNeedForm
    if data is not None:
        return form_class(data)
    initial: dict = {"version": adaptation.version if adaptation else 0}
    if adaptation:
        initial["need"] = adaptation.need
        if adaptation.consent_on:
            initial |= {"consent": True, "consent_on": adaptation.consent_on}
    return form_class(initial=initial)


def _render(request, bilan: Bilan, *, form=None, measure_form=None, conflict=None, status=200):
    adaptation = bilans.adaptation_of(bilan)
    beneficiary = _is_beneficiary(request, bilan)
    editable = bilan.status != Phase.CLOSED
    if adaptation is not None and not beneficiary and request.method == "GET":
        bilans.adaptation_read(consultant=request.user, bilan=bilan, adaptation=adaptation)
    if measure_form is None and adaptation is not None and not beneficiary:
        measure_form = MeasureForm(
            initial={"version": adaptation.version, "started_on": timezone.localdate()}
        )
    return render(
        request,
        "www/bilans/adaptation.html",
        {
            "bilan": bilan,
            "adaptation": adaptation,
            "measures": list(adaptation.measures.all()) if adaptation else [],
            "is_beneficiary": beneficiary,
            "editable": editable,
            "form": form or (_need_form(request, bilan, adaptation) if editable else None),
            "measure_form": measure_form if editable else None,
            "conflict": conflict,
            "organisation": bilan.organisation,
            "back_url": reverse("bilans:mine")
            if beneficiary
            else reverse("bilans:detail", args=[bilan.pk]),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def adaptation(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    if request.method == "GET":
        return _render(request, bilan)
    form = _need_form(request, bilan, None, data=request.POST)
    if not form.is_valid():
        return _render(request, bilan, form=form, status=400)
    data = form.cleaned_data
    try:
        bilans.adaptation_need_save(
            actor=request.user,
            bilan=bilan,
            need=data["need"],
            consent_on=data.get("consent_on") if data.get("consent") else None,
            expected_version=data["version"],
        )
    except StaleVersion as error:
        conflict = form_conflict_apply(form, error, fields=["need"])
        return _render(request, bilan, form=form, conflict=conflict, status=409)
    except ValidationError as error:
        form_errors_apply(form, error)
        return _render(request, bilan, form=form, status=400)
    if _is_beneficiary(request, bilan):
        messages.success(
            request,
            _(
                "C'est noté. Votre consultant·e le lit et en parle avec vous ; vous pouvez le "
                "retirer à tout moment."
            ),
        )
    else:
        messages.success(request, _("Le besoin d'aménagement est noté."))
    return redirect("bilans:adaptation", bilan_id=bilan.pk)


@require_POST
def adaptation_measure_add(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    if _is_beneficiary(request, bilan):
        raise Http404
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return _render(request, bilan, measure_form=form, status=400)
    data = form.cleaned_data
    try:
        bilans.adaptation_measure_add(
            consultant=request.user,
            bilan=bilan,
            kind=data["kind"],
            detail=data["detail"],
            started_on=data["started_on"],
            expected_version=data["version"],
        )
    except StaleVersion:
        messages.error(
            request,
            _("Le besoin a été modifié entre-temps : relisez-le avant de noter l'aménagement."),
        )
        return _render(request, bilan, measure_form=form, status=409)
    except ValidationError as error:
        form_errors_apply(form, error)
        return _render(request, bilan, measure_form=form, status=400)
    messages.success(request, _("L'aménagement est noté."))
    return redirect("bilans:adaptation", bilan_id=bilan.pk)


@require_POST
def adaptation_measure_delete(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    if _is_beneficiary(request, bilan):
        raise Http404
    form = MeasureDeleteForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        bilans.adaptation_measure_delete(
            consultant=request.user,
            bilan=bilan,
            measure_id=form.cleaned_data["measure"],
            expected_version=form.cleaned_data["version"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("L'aménagement est retiré."))
    return redirect("bilans:adaptation", bilan_id=bilan.pk)


@require_POST
def adaptation_withdraw(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    if not _is_beneficiary(request, bilan):
        raise Http404
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    asked = confirmation_asked(
        request,
        question=_("Retirer votre besoin d'aménagement ?"),
        consequences=[
            _("Ce que vous avez écrit et les aménagements notés sont effacés de votre bilan."),
            _("Votre consultant·e ne les verra plus. Vous pourrez en noter un autre ensuite."),
        ],
        confirm_label=_("Oui, retirer"),
        cancel_url=reverse("bilans:adaptation", args=[bilan.pk]),
        cancel_label=_("Non, garder"),
    )
    if asked is not None:
        return asked
    try:
        bilans.adaptation_withdraw(
            beneficiary=request.user, bilan=bilan, expected_version=form.cleaned_data["version"]
        )
    except StaleVersion:
        messages.error(
            request,
            _("Votre consultant·e vient d'y ajouter quelque chose : relisez avant de le retirer."),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Votre besoin d'aménagement est retiré de votre bilan."))
    return redirect("bilans:adaptation", bilan_id=bilan.pk)
