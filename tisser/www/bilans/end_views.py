"""How a bilan ends, and its preliminary record.

The consultant ends a bilan early (interrupted or abandoned) and cancels the entretiens still
to come; the beneficiary withdraws their consent. The consultant writes the preliminary
record, the beneficiary reads and acknowledges it. Bilans come through `tisser.bilans.access`
narrowed to the person's part in it: anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan_run, access_own_bilan
from tisser.bilans.models import Bilan, Phase, PreliminaryRecord
from tisser.bilans.services.preliminary import FIELDS as PRELIMINARY_FIELDS
from tisser.core.errors import StaleVersion
from tisser.www.bilans.end_forms import (
    BilanEndForm,
    ConsentWithdrawForm,
    PreliminaryAcknowledgeForm,
    PreliminaryRecordForm,
)
from tisser.www.forms import form_conflict_apply, form_errors_apply


def final_download_url(bilan: Bilan) -> str:
    """The page where the person downloads everything that is theirs before the documents
    are destroyed, when this version of Tisser has one."""
    try:
        return reverse("bilans:final_download", args=[bilan.pk])
    except NoReverseMatch:
        return ""


# --- Early end (consultant) ------------------------------------------------------------------


def _render_end(request, bilan: Bilan, form, *, status=200):
    return render(
        request,
        "www/bilans/end.html",
        {
            "bilan": bilan,
            "form": form,
            "hours": bilans.bilan_hours(bilan),
            "future_count": bilans.future_sessions(bilan).count(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def bilan_end(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    if bilan.status == Phase.CLOSED:
        messages.info(request, _("Ce bilan est déjà terminé."))
        return redirect("bilans:detail", bilan_id=bilan.pk)
    if request.method == "GET":
        return _render_end(request, bilan, BilanEndForm(initial={"version": bilan.version}))
    form = BilanEndForm(request.POST)
    if not form.is_valid():
        return _render_end(request, bilan, form, status=400)
    data = form.cleaned_data
    bilan.version = data["version"]
    try:
        bilans.bilan_end_early(
            consultant=request.user,
            bilan=bilan,
            outcome=data["outcome"],
            reason=data["reason"],
            ended_on=data["ended_on"],
            note=data["note"],
            cancel_future_sessions=data["cancel_sessions"],
        )
    except StaleVersion as error:
        form.add_error(None, error)
        data = form.data.copy()
        data["version"] = error.version
        form.data = data
        return _render_end(request, bilan, form, status=409)
    except ValidationError as error:
        form_errors_apply(form, error)
        return _render_end(request, bilan, form, status=400)
    messages.success(
        request,
        _("Le bilan est terminé : %(outcome)s.") % {"outcome": bilan.get_outcome_display()},
    )
    return redirect("bilans:detail", bilan_id=bilan.pk)


@require_POST
def sessions_cancel_future(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    try:
        count = bilans.bilan_future_sessions_cancel(consultant=request.user, bilan=bilan)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s entretien à venir est annulé, avec ses rappels.",
                "%(count)s entretiens à venir sont annulés, avec leurs rappels.",
                count,
            )
            % {"count": count},
        )
    return redirect("bilans:detail", bilan_id=bilan.pk)


# --- Withdrawal of consent (beneficiary) -----------------------------------------------------


def _render_withdraw(request, bilan: Bilan, form, *, status=200):
    return render(
        request,
        "www/bilans/withdraw.html",
        {
            "bilan": bilan,
            "form": form,
            "final_download_url": final_download_url(bilan),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    if bilan.status == Phase.CLOSED:
        messages.info(request, _("Ce bilan est déjà terminé."))
        return redirect("bilans:mine")
    if request.method == "GET":
        return _render_withdraw(
            request, bilan, ConsentWithdrawForm(initial={"version": bilan.version})
        )
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        return _render_withdraw(request, bilan, form, status=400)
    bilan.version = form.cleaned_data["version"]
    try:
        bilans.bilan_consent_withdraw(beneficiary=request.user, bilan=bilan)
    except StaleVersion:
        messages.error(
            request,
            _("Votre bilan vient de changer : relisez la page avant de confirmer."),
        )
        return redirect("bilans:consent_withdraw", bilan_id=bilan.pk)
    except ValidationError as error:
        form_errors_apply(form, error)
        return _render_withdraw(request, bilan, form, status=400)
    messages.success(
        request,
        _("Vous avez retiré votre consentement : votre bilan est arrêté."),
    )
    return redirect("bilans:mine")


# --- The preliminary record ------------------------------------------------------------------


def _record_of(bilan: Bilan) -> PreliminaryRecord | None:
    return PreliminaryRecord.objects.filter(bilan=bilan).first()


def _render_preliminary(request, bilan: Bilan, form, *, conflict=None, status=200):
    return render(
        request,
        "www/bilans/preliminary_edit.html",
        {
            "bilan": bilan,
            "record": _record_of(bilan),
            "form": form,
            "conflict": conflict,
            "editable": bilan.status != Phase.CLOSED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def preliminary_edit(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    if request.method == "GET":
        record = _record_of(bilan)
        initial = {"version": record.version if record else 0}
        if record:
            initial |= {name: getattr(record, name) for name in PRELIMINARY_FIELDS}
        else:
            initial["individual_hours"] = bilan.planned_hours
        return _render_preliminary(request, bilan, PreliminaryRecordForm(initial=initial))
    form = PreliminaryRecordForm(request.POST)
    if not form.is_valid():
        return _render_preliminary(request, bilan, form, status=400)
    data = form.cleaned_data
    try:
        bilans.preliminary_record_save(
            consultant=request.user,
            bilan=bilan,
            data=bilans.PreliminaryData(**{name: data[name] for name in PRELIMINARY_FIELDS}),
            expected_version=data["version"],
        )
    except StaleVersion as error:
        conflict = form_conflict_apply(form, error, fields=list(PRELIMINARY_FIELDS))
        return _render_preliminary(request, bilan, form, conflict=conflict, status=409)
    except ValidationError as error:
        form_errors_apply(form, error)
        return _render_preliminary(request, bilan, form, status=400)
    messages.success(
        request,
        _("Le compte rendu est enregistré. La personne le lit et l'approuve depuis son bilan."),
    )
    return redirect("bilans:detail", bilan_id=bilan.pk)


def _render_preliminary_mine(request, bilan: Bilan, form=None, *, status=200):
    record = _record_of(bilan)
    return render(
        request,
        "www/bilans/preliminary_mine.html",
        {
            "bilan": bilan,
            "record": record,
            "form": form
            or (record and PreliminaryAcknowledgeForm(initial={"version": record.version})),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def preliminary_mine(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    if request.method == "GET":
        return _render_preliminary_mine(request, bilan)
    form = PreliminaryAcknowledgeForm(request.POST)
    if not form.is_valid():
        return _render_preliminary_mine(request, bilan, form, status=400)
    try:
        bilans.preliminary_record_acknowledge(
            beneficiary=request.user, bilan=bilan, expected_version=form.cleaned_data["version"]
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "Votre conseiller·ère vient de modifier ce compte rendu : relisez-le avant de "
                "l'approuver."
            ),
        )
        return redirect("bilans:preliminary_mine", bilan_id=bilan.pk)
    except ValidationError as error:
        form_errors_apply(form, error)
        return _render_preliminary_mine(request, bilan, form, status=400)
    messages.success(request, _("Merci : votre accord est enregistré."))
    return redirect("bilans:mine")
