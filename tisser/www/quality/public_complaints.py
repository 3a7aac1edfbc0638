"""The organisme's public complaint form (indicator 31, docs/adr/0034), for anyone without an
account — an employer, a funder, a relative: rate-limited per client address, with a honeypot
and a minimum fill time (`spam`). The author receives an e-mail acknowledging the receipt,
then the answer; the form gives no link to follow it, so nothing secret is ever issued."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from tisser.accounts.models import Organisation
from tisser.quality.models.complaints import ACKNOWLEDGE_WORKING_DAYS, ANSWER_DAYS
from tisser.quality.services import complaints as service
from tisser.www.forms import form_errors_apply
from tisser.www.quality.complaints_forms import PublicComplaintForm
from tisser.www.quality.spam import PUBLIC_FORM_RATE, client_address, stamp_issue

RATE_GROUP = "quality.public_complaint"


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _context(organisation, form) -> dict:
    return {
        "organisation": organisation,
        "form": form,
        "acknowledge_days": ACKNOWLEDGE_WORKING_DAYS,
        "answer_days": ANSWER_DAYS,
    }


@login_not_required
@require_http_methods(["GET", "POST"])
@ratelimit(group=RATE_GROUP, key=client_address, rate=PUBLIC_FORM_RATE, method="POST", block=False)
def public_complaint(request, slug: str):
    organisation = _organisation(slug)
    status = 200
    if request.method == "POST":
        form = PublicComplaintForm(request.POST)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Trop de messages ont été envoyés depuis votre connexion. Votre saisie est "
                    "conservée : réessayez dans une heure, ou écrivez directement à l'organisme."
                ),
            )
            status = 429
        elif form.honeypot_filled():
            # A robot: answered as a success, nothing recorded.
            return redirect("quality_public:complaint_sent", organisation.slug)
        elif form.is_valid():
            try:
                service.complaint_receive(
                    organisation=organisation,
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    relation=form.cleaned_data["relation"],
                    subject=form.cleaned_data["subject"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
                status = 400
            else:
                return redirect("quality_public:complaint_sent", organisation.slug)
        else:
            status = 400
        # A fresh stamp for the next try; what was typed stays.
        data = form.data.copy()
        data["stamp"] = stamp_issue()
        form.data = data
    else:
        form = PublicComplaintForm(initial={"stamp": stamp_issue()})
    return render(
        request, "www/quality/public/complaint.html", _context(organisation, form), status=status
    )


@login_not_required
@require_GET
def public_complaint_sent(request, slug: str):
    organisation = _organisation(slug)
    return render(
        request,
        "www/quality/public/complaint_sent.html",
        _context(organisation, None),
    )
