"""The end of a bilan, for its beneficiary: take their documents before they are destroyed
(the synthèse PDF, the "résultats détaillés" PDF), and agree in writing — or not — to keep
some of them for their follow-up, one year after the end at most (R6313-7, ADR 0014).

Only the beneficiary reaches these pages (`access_own_bilan`): anyone else gets a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import access_own_bilan
from tisser.bilans.journey import UNREAD
from tisser.bilans.models import Bilan, KeepAgreement, SynthesisDocument
from tisser.bilans.services.retention import bilan_exceptions
from tisser.bilans.working_documents import kind_label
from tisser.core.errors import StaleVersion
from tisser.www.bilans.final_forms import AgreementWithdrawForm, KeepAgreementForm
from tisser.www.bilans.synthesis_views import pdf_response
from tisser.www.forms import form_errors_apply


def final_context(
    bilan: Bilan, *, offered_at=UNREAD, downloads: bool = True, synthesis=UNREAD
) -> dict:
    """What the bilan pages show of the end: exceptions with their end dates, the final
    download (open or not, offered since when, downloaded when); `offered_at` when the
    page knows it already (`final_download_offered_at`). `downloads=False` for a page that
    does not show when each document was downloaded (their dict is then empty); `synthesis`
    when the page has read the bilan's synthèse (None: there is none)."""
    downloaded = {}
    if downloads:
        for download in bilan.final_downloads.order_by("at", "id"):
            downloaded[download.kind] = download.at
    return {
        "exceptions": bilan_exceptions(bilan, has_synthesis=synthesis is not None),
        "final_open": bilans.final_download_open(bilan),
        "final_offered_at": bilans.final_download_offered_at(bilan)
        if offered_at is UNREAD
        else offered_at,
        "final_downloads": downloaded,
        "management_years": settings.TISSER_MANAGEMENT_RETENTION_YEARS,
    }


def render_final(request, bilan: Bilan, *, form=None, status=200):
    synthesis = SynthesisDocument.objects.filter(bilan=bilan).first()
    agreements = KeepAgreement.objects.filter(bilan=bilan).order_by("-given_at", "-id")
    return render(
        request,
        "www/bilans/final_download.html",
        {
            **final_context(bilan),
            "bilan": bilan,
            "synthesis": synthesis,
            "pdf_ready": synthesis is not None
            and synthesis.is_validated
            and bilans.synthesis_pdf_ready(synthesis),
            "agreements": [
                (
                    agreement,
                    [str(kind_label(kind)) for kind in agreement.kinds],
                    AgreementWithdrawForm(initial={"version": agreement.version}),
                )
                for agreement in agreements
            ],
            "form": form or KeepAgreementForm(),
            "latest_day": bilans.keep_agreement_latest_day(bilan),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def final_download(request, bilan_id: int):
    """The page: GET shows it; POST records a written agreement to keep documents."""
    bilan = access_own_bilan(request.user, bilan_id)
    if request.method == "GET":
        return render_final(request, bilan)
    form = KeepAgreementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            bilans.keep_agreement_give(
                beneficiary=request.user,
                bilan=bilan,
                agreement=bilans.AgreementInput(
                    kinds=data["kinds"], need=data["need"], until=data["until"]
                ),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre accord est enregistré."))
            return redirect("bilans:final_download", bilan_id=bilan.pk)
    return render_final(request, bilan, form=form, status=400)


@require_GET
def results_pdf(request, bilan_id: int):
    """The "résultats détaillés" PDF, for the beneficiary, until the documents are gone."""
    bilan = access_own_bilan(request.user, bilan_id)
    try:
        content = bilans.results_pdf(actor=request.user, bilan=bilan)
    except PermissionDenied as error:
        raise Http404 from error
    return pdf_response(content, bilans.results_pdf_filename(bilan))


@require_POST
def keep_agreement_withdraw(request, bilan_id: int, agreement_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    agreement = get_object_or_404(KeepAgreement.objects.filter(bilan=bilan), pk=agreement_id)
    form = AgreementWithdrawForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        bilans.keep_agreement_withdraw(
            beneficiary=request.user,
            agreement=agreement,
            expected_version=form.cleaned_data["version"],
        )
    except StaleVersion:
        messages.error(
            request, _("Cet accord a changé entre-temps : voici son état actuel, réessayez.")
        )
    else:
        messages.success(
            request,
            _(
                "Votre accord est retiré : ces documents seront détruits avec les autres, le "
                "lendemain de la fin du bilan (dès demain si elle est passée)."
            ),
        )
    return redirect("bilans:final_download", bilan_id=bilan.pk)
