"""The safety net's pages (docs/adr/0020-safety-net.md): the stable "Besoin d'aide ?" page,
open to everyone; "ma situation", where a beneficiary says their situation involves
harassment, discrimination or a toxic environment and, if they agree, tells their consultant;
the request itself, for its author and the consultant it was addressed to (404 for anyone
else, coordinators included)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.assessments import safety
from tisser.assessments import services as assessments
from tisser.assessments.models import SafetyConcern
from tisser.assessments.services.safety import retention_days
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.www.forms import form_errors_apply
from tisser.www.safety.forms import SituationForm


def _is_beneficiary(request) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role == Role.BENEFICIARY


def resources_context(context: safety.Context | str) -> dict:
    """What `www/safety/_resources.html` needs for `context`."""
    context = safety.Context(context)
    return {
        "safety_intro": safety.INTROS[context],
        "safety_resources": safety.resources_for(context),
        "safety_not_emergency": safety.NOT_AN_EMERGENCY_SERVICE,
    }


def situation_form_context(user) -> dict:
    """What `www/safety/_situation_form.html` needs: an empty form for `user`, their
    consultant (None when nobody can be told) and the request they may have made."""
    consultant = assessments.safety_consultant_of(user)
    return {
        "situation_form": SituationForm(consultant=consultant),
        "safety_consultant": consultant,
        "safety_concern": SafetyConcern.objects.filter(user=user).first(),
    }


@login_not_required
def help_page(request):
    context = resources_context(safety.Context.HELP)
    if request.user.is_authenticated and _is_beneficiary(request):
        context |= situation_form_context(request.user)
    return render(request, "www/safety/help.html", context)


@role_required(Role.BENEFICIARY)
@require_http_methods(["GET", "POST"])
def situation(request):
    consultant = assessments.safety_consultant_of(request.user)
    concern = SafetyConcern.objects.filter(user=request.user).first()
    form = SituationForm(request.POST or None, consultant=consultant)
    shown = concern.situation if concern is not None else safety.Context.HELP
    told_nobody = False
    if request.method == "POST" and form.is_valid():
        shown = form.cleaned_data["situation"]
        if form.cleaned_data.get("consent"):
            try:
                concern = assessments.safety_concern_tell(
                    user=request.user,
                    situation=form.cleaned_data["situation"],
                    note=form.cleaned_data.get("note", ""),
                    consent=True,
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _("Un message prévient %(name)s que vous souhaitez en parler.")
                    % {"name": concern.consultant.get_full_name()},
                )
                return redirect("safety:situation")
        else:
            # Nothing is stored and nobody is told: the page only shows the resources,
            # ordered by what the person chose.
            told_nobody = True
    return render(
        request,
        "www/safety/situation.html",
        {
            "situation_form": form,
            "safety_consultant": consultant,
            "safety_concern": concern,
            "told_nobody": told_nobody,
            **resources_context(shown),
        },
    )


def concern(request, concern_id: int):
    """The request, for its author or the consultant it was addressed to."""
    concern = get_object_or_404(
        SafetyConcern.objects.visible_to(request.user).select_related("user", "consultant"),
        pk=concern_id,
    )
    assessments.safety_concern_read(actor=request.user, concern=concern)
    return render(
        request,
        "www/safety/concern.html",
        {
            "concern": concern,
            "is_own": concern.user_id == request.user.pk,
            "retention_days": retention_days(),
        },
    )


@require_POST
def concern_withdraw(request, concern_id: int):
    concern = get_object_or_404(SafetyConcern.objects.filter(user=request.user), pk=concern_id)
    assessments.safety_concern_withdraw(actor=request.user, concern=concern)
    messages.success(
        request, _("Votre demande est retirée : votre conseiller·ère ne la voit plus.")
    )
    return redirect("safety:situation")
