"""Émargement (docs/adr/0018): the sheet of a bilan as a PDF, the consultant's
confirmation of an entretien, and an entretien recorded afterwards.

The sheet is for the bilan's beneficiary and consultant and for the coordinators of its
organisation (management data: dates, times, confirmations); the two actions are the
consultant's. Anyone else gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import access_bilan_run
from tisser.bilans.models import Bilan
from tisser.bilans.services.emargement import (
    can_download_emargement,
    emargement_pdf,
    entretien_consultant_confirm,
    entretien_record_unplanned,
)
from tisser.www.bilans.emargement_forms import UnplannedEntretienForm
from tisser.www.bilans.synthesis_views import pdf_response
from tisser.www.forms import form_errors_apply


@require_GET
def emargement(request, bilan_id: int):
    bilan = get_object_or_404(
        Bilan.objects.visible_to(request.user).select_related(
            "beneficiary", "consultant", "organisation"
        ),
        pk=bilan_id,
    )
    if not can_download_emargement(request.user, bilan):  # a superuser outside it
        raise Http404
    content = emargement_pdf(actor=request.user, bilan=bilan)
    return pdf_response(content, bilans.bilan_pdf_filename(kind="feuille-emargement", bilan=bilan))


@require_POST
def entretien_confirm(request, bilan_id: int, occurrence_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    occurrence = get_object_or_404(bilans.bilan_entretiens(bilan), pk=occurrence_id)
    try:
        entretien_consultant_confirm(consultant=request.user, bilan=bilan, occurrence=occurrence)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Vous avez confirmé cet entretien."))
    url = reverse("bilans:sessions", args=[bilan.pk])
    return redirect(f"{url}#entretien-{occurrence.pk}")


@require_http_methods(["GET", "POST"])
def entretien_unplanned(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    form = UnplannedEntretienForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            occurrence = entretien_record_unplanned(
                consultant=request.user,
                bilan=bilan,
                start=form.start(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                mode=form.cleaned_data["mode"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_errors_apply(form, error, renames={"start": "date"})
        else:
            messages.success(
                request, _("L'entretien est enregistré : il compte dans les heures du bilan.")
            )
            url = reverse("bilans:sessions", args=[bilan.pk])
            return redirect(f"{url}#entretien-{occurrence.pk}")
    return render(
        request,
        "www/bilans/entretien_unplanned.html",
        {"bilan": bilan, "form": form, "hours": bilans.bilan_hours(bilan)},
        status=400 if form.errors else 200,
    )
