"""The document de synthèse, its sharing and the attestation de présence (the convention and
the contract: `paperwork_views`).

The consultant of a bilan writes its synthèse; the beneficiary reads,
comments, validates and shares their synthèse. Bilans come through `Bilan.objects.visible_to`
narrowed to the person's part in it, so anyone else — a coordinator included — gets a 404.
The recipient of a share has no account: their private link is the only public page here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.bilans import services as bilans
from tisser.bilans.access import (
    access_bilan,
    access_bilan_run,
    access_own_bilan,
)
from tisser.bilans.models import (
    Bilan,
    Phase,
    SynthesisDocument,
    SynthesisShare,
    SynthesisStatus,
)
from tisser.bilans.services.synthesis import SECTIONS, WRITING_PHASES
from tisser.core.errors import StaleVersion
from tisser.www.bilans.synthesis_forms import (
    SynthesisForm,
    SynthesisObservationsForm,
    SynthesisReturnForm,
    SynthesisShareForm,
    SynthesisValidateForm,
    VersionForm,
)
from tisser.www.forms import form_conflict_apply, form_errors_apply


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def synthesis_of(bilan: Bilan) -> SynthesisDocument | None:
    return SynthesisDocument.objects.filter(bilan=bilan).first()


def pdf_due(document: SynthesisDocument, bilan: Bilan) -> bool:
    """Whether the synthèse has a PDF (being prepared or ready): validated, or presented
    when its bilan closed."""
    return document.is_validated or (document.is_submitted and bilan.status == Phase.CLOSED)


# --- The consultant's editor -----------------------------------------------------------------


def render_editor(
    request, bilan: Bilan, *, form=None, conflict=None, conflict_comment="", status=200
):
    document = synthesis_of(bilan)
    if form is None:
        initial = {"version": document.version if document else 0}
        for name in SECTIONS:
            initial[name] = getattr(document, name) if document else ""
        if request.GET.get("preremplir") and (document is None or document.is_draft):
            # Only the empty sections: the pre-fill never replaces what is written.
            prefill = bilans.synthesis_draft_initial(bilan)
            for name in SECTIONS:
                if not initial[name].strip():
                    initial[name] = getattr(prefill, name)
        form = SynthesisForm(initial=initial)
    can_write = bilan.status in WRITING_PHASES
    return render(
        request,
        "www/bilans/synthesis_edit.html",
        {
            "bilan": bilan,
            "document": document,
            "form": form,
            "conflict": conflict,
            "conflict_comment": conflict_comment,
            "can_write": can_write,
            "editable": can_write and (document is None or document.is_draft),
            "action_form": document and VersionForm(initial={"version": document.version}),
            "pdf_ready": document is not None and bilans.synthesis_pdf_ready(document),
            "pdf_due": document is not None and pdf_due(document, bilan),
            "can_submit": bilan.status == Phase.CONCLUSION,
            "page_url": reverse("bilans:synthesis_edit", args=[bilan.pk]),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def synthesis_edit(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    if request.method == "GET":
        return render_editor(request, bilan)
    form = SynthesisForm(request.POST)
    if not form.is_valid():
        return render_editor(request, bilan, form=form, status=400)
    data = form.cleaned_data
    sections = bilans.SynthesisSections(**{name: data[name] for name in SECTIONS})
    try:
        bilans.synthesis_save(
            consultant=request.user,
            bilan=bilan,
            sections=sections,
            expected_version=data["version"],
        )
    except StaleVersion as error:
        # What was typed stays; the form takes the saved version so that saving again,
        # after reading the other text, is a deliberate choice.
        conflict = form_conflict_apply(form, error, fields=list(SECTIONS))
        return render_editor(
            request,
            bilan,
            form=form,
            conflict=conflict,
            conflict_comment=error.current.beneficiary_comment if error.current else "",
            status=409,
        )
    except ValidationError as error:
        form_errors_apply(form, error)
        return render_editor(request, bilan, form=form, status=400)
    messages.success(request, _("La synthèse est enregistrée."))
    return redirect("bilans:synthesis_edit", bilan_id=bilan.pk)


def _version_action(request, bilan: Bilan, service, success: str, *, as_role: str):
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = {as_role: request.user}
    try:
        service(**person, bilan=bilan, expected_version=form.cleaned_data["version"])
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    messages.success(request, success)
    return True


@require_POST
def synthesis_submit(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    _version_action(
        request,
        bilan,
        bilans.synthesis_submit,
        _(
            "La synthèse est présentée à la personne, qui peut la relire, y ajouter ses "
            "observations et la valider."
        ),
        as_role="consultant",
    )
    return redirect("bilans:synthesis_edit", bilan_id=bilan.pk)


@require_POST
def synthesis_withdraw(request, bilan_id: int):
    bilan = access_bilan_run(request.user, bilan_id)
    _version_action(
        request,
        bilan,
        bilans.synthesis_withdraw,
        _("La synthèse est reprise en brouillon."),
        as_role="consultant",
    )
    return redirect("bilans:synthesis_edit", bilan_id=bilan.pk)


# --- The beneficiary's page ------------------------------------------------------------------


def shares_of(document: SynthesisDocument):
    return document.shares.annotate(
        download_count=Count("downloads"), last_download=Max("downloads__at")
    ).order_by("-given_at", "-id")


def render_mine(
    request,
    bilan: Bilan,
    *,
    return_form=None,
    validate_form=None,
    share_form=None,
    observations_form=None,
    status=200,
):
    document = synthesis_of(bilan)
    visible = document is not None and not document.is_draft
    version = {"version": document.version} if document else {}
    return render(
        request,
        "www/bilans/synthesis_mine.html",
        {
            "bilan": bilan,
            "document": document if visible else None,
            "drafting": document is not None and document.is_draft,
            "return_form": return_form or SynthesisReturnForm(initial=version),
            "validate_form": validate_form or SynthesisValidateForm(initial=version),
            "share_form": share_form or SynthesisShareForm(),
            "observations_form": observations_form
            or SynthesisObservationsForm(
                initial=version
                | {"observations": document.beneficiary_observations if document else ""}
            ),
            "pdf_due": visible and pdf_due(document, bilan),
            "shares": shares_of(document) if visible and document.is_validated else [],
            "pdf_ready": visible and bilans.synthesis_pdf_ready(document),
            "page_url": reverse("bilans:synthesis_mine", args=[bilan.pk]),
        },
        status=status,
    )


def synthesis_mine(request, bilan_id: int):
    return render_mine(request, access_own_bilan(request.user, bilan_id))


@require_POST
def synthesis_return(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    form = SynthesisReturnForm(request.POST)
    if form.is_valid():
        try:
            bilans.synthesis_return(
                beneficiary=request.user,
                bilan=bilan,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request, _("Votre commentaire est transmis à votre conseiller·ère. Merci.")
            )
            return redirect("bilans:synthesis_mine", bilan_id=bilan.pk)
    return render_mine(request, bilan, return_form=form, status=400)


@require_POST
def synthesis_validate(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    form = SynthesisValidateForm(request.POST)
    if form.is_valid():
        try:
            bilans.synthesis_validate(
                beneficiary=request.user,
                bilan=bilan,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre synthèse est validée. Son PDF est en préparation, il sera prêt dans "
                    "quelques instants."
                ),
            )
            return redirect("bilans:synthesis_mine", bilan_id=bilan.pk)
    return render_mine(request, bilan, validate_form=form, status=400)


@require_POST
def synthesis_observations(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    form = SynthesisObservationsForm(request.POST)
    if form.is_valid():
        try:
            bilans.synthesis_observations_save(
                beneficiary=request.user,
                bilan=bilan,
                observations=form.cleaned_data["observations"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            form_conflict_apply(form, error, fields=["observations"])
            return render_mine(request, bilan, observations_form=form, status=409)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Vos observations sont enregistrées dans votre synthèse."))
            return redirect("bilans:synthesis_mine", bilan_id=bilan.pk)
    return render_mine(request, bilan, observations_form=form, status=400)


# --- The PDF ---------------------------------------------------------------------------------


@require_GET
def synthesis_pdf(request, bilan_id: int):
    """The PDF of the synthèse (validated, or presented when the bilan closed), for its
    beneficiary and its consultant only."""
    bilan = access_bilan(request.user, bilan_id)
    document = get_object_or_404(
        SynthesisDocument.objects.visible_to(request.user).filter(
            bilan=bilan, status__in=[SynthesisStatus.SUBMITTED, SynthesisStatus.VALIDATED]
        )
    )
    if not pdf_due(document, bilan):
        raise Http404
    content = bilans.synthesis_pdf_download(actor=request.user, document=document)
    if content is None:
        messages.info(request, _("Le PDF est en préparation : réessayez dans quelques instants."))
        return redirect(_synthesis_page(request.user, bilan), bilan_id=bilan.pk)
    if request.user.pk == bilan.beneficiary_id:
        # The person takes their synthèse: the consultant's closing page shows it.
        bilans.final_download_record(actor=request.user, bilan=bilan, kind="synthesis")
    return pdf_response(content, bilans.synthesis_pdf_filename(document))


def _synthesis_page(user, bilan: Bilan) -> str:
    return "bilans:synthesis_mine" if user.pk == bilan.beneficiary_id else "bilans:synthesis_edit"


@require_GET
def synthesis_pdf_status(request, bilan_id: int):
    """Whether the PDF is ready: the partial an htmx poll asks for; without htmx, the page."""
    bilan = access_bilan(request.user, bilan_id)
    document = get_object_or_404(
        SynthesisDocument.objects.visible_to(request.user).filter(
            bilan=bilan, status__in=[SynthesisStatus.SUBMITTED, SynthesisStatus.VALIDATED]
        )
    )
    if not pdf_due(document, bilan):
        raise Http404
    if not request.htmx:
        return redirect(_synthesis_page(request.user, bilan), bilan_id=bilan.pk)
    return render(
        request,
        "www/bilans/_synthesis_pdf.html",
        {
            "bilan": bilan,
            "document": document,
            "pdf_ready": bilans.synthesis_pdf_ready(document),
            "page_url": reverse(_synthesis_page(request.user, bilan), args=[bilan.pk]),
        },
    )


# --- Sharing ---------------------------------------------------------------------------------


@require_POST
def synthesis_share_create(request, bilan_id: int):
    bilan = access_own_bilan(request.user, bilan_id)
    document = get_object_or_404(SynthesisDocument.objects.visible_to(request.user), bilan=bilan)
    form = SynthesisShareForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            bilans.synthesis_share_create(
                beneficiary=request.user,
                document=document,
                recipient=bilans.ShareRecipient(
                    name=data["recipient_name"],
                    email=data["recipient_email"],
                    role=data["recipient_role"],
                    organisation=data["recipient_organisation"],
                    purpose=data["purpose"],
                    to_cep=data["to_cep"],
                ),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre accord est enregistré : %(name)s reçoit un lien pour télécharger votre "
                    "synthèse."
                )
                % {"name": data["recipient_name"]},
            )
            return redirect("bilans:synthesis_mine", bilan_id=bilan.pk)
    return render_mine(request, bilan, share_form=form, status=400)


@require_POST
def synthesis_share_revoke(request, share_id: int):
    share = get_object_or_404(
        SynthesisShare.objects.visible_to(request.user).select_related("document__bilan"),
        pk=share_id,
    )
    bilans.synthesis_share_revoke(beneficiary=request.user, share=share)
    messages.success(
        request,
        _("Votre accord est retiré : %(name)s ne peut plus télécharger votre synthèse.")
        % {"name": share.recipient_name},
    )
    return redirect("bilans:synthesis_mine", bilan_id=share.document.bilan_id)


def _share_problem(request, error) -> HttpResponse | None:
    if isinstance(error, bilans.ShareRevoked):
        return render(
            request, "www/bilans/synthesis_shared_gone.html", {"share": error.share}, status=410
        )
    return render(request, "www/bilans/synthesis_shared_unknown.html", status=404)


@login_not_required
@require_GET
def synthesis_shared(request, token: str):
    """The recipient's page: whose synthèse, shared for what, and the download button."""
    try:
        share = bilans.synthesis_share_resolve(raw_token=token)
    except (bilans.ShareUnknown, bilans.ShareRevoked) as error:
        return _share_problem(request, error)
    document = share.document
    response = render(
        request,
        "www/bilans/synthesis_shared.html",
        {"share": share, "token": token, "pdf_ready": bilans.synthesis_pdf_ready(document)},
    )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def synthesis_shared_pdf(request, token: str):
    try:
        result = bilans.synthesis_share_download(
            raw_token=token, user_agent=request.headers.get("User-Agent", "")
        )
    except (bilans.ShareUnknown, bilans.ShareRevoked) as error:
        return _share_problem(request, error)
    if result is None:
        return redirect("bilans:synthesis_shared", token=token)
    content, filename = result
    return pdf_response(content, filename)


# --- Attestation de présence -----------------------------------------------------------------


@require_GET
def attestation_pdf(request, bilan_id: int):
    bilan = access_bilan(request.user, bilan_id)
    content = bilans.attestation_pdf(actor=request.user, bilan=bilan)
    return pdf_response(
        content, bilans.bilan_pdf_filename(kind="attestation-presence", bilan=bilan)
    )
