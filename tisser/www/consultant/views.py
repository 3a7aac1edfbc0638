from django import forms
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Invitation, Membership
from tisser.bilans.caseload import consultant_caseload
from tisser.bilans.models import Bilan, Phase
from tisser.core.access import role_required
from tisser.core.enums import Role


class CaseloadFilterForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", _("Toutes les phases"))]
        + [(phase.value, phase.label) for phase in Phase if phase != Phase.CLOSED],
    )


@role_required(Role.CONSULTANT)
def home(request):
    """The consultant's caseload — their open bilans with phase, hours, next entretien,
    isolation level and last activity, filterable by phase — then the beneficiaries who
    joined through their invitation, with the bilan they run for each (if open), and the
    invitations still waiting for an answer."""
    filter_form = CaseloadFilterForm(request.GET or None)
    phase = filter_form.cleaned_data["phase"] if filter_form.is_valid() else None
    caseload = consultant_caseload(request.user, phase=phase or None)
    open_bilan = (
        Bilan.objects.visible_to(request.user)
        .open()
        .filter(beneficiary=OuterRef("user"), consultant=request.user)
        .values("pk")[:1]
    )
    beneficiaries = (
        Membership.objects.visible_to(request.user)
        .beneficiaries_of(request.user)
        .filter(organisation=request.membership.organisation)
        .select_related("user")
        .annotate(open_bilan_id=Subquery(open_bilan))
        .order_by("user__last_name", "user__first_name", "id")
    )
    pending = (
        Invitation.objects.visible_to(request.user)
        .pending()
        .filter(invited_by=request.user, role=Role.BENEFICIARY)
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "www/consultant/home.html",
        {
            "caseload": caseload,
            "filter_form": filter_form,
            "phase_filtered": bool(phase),
            "beneficiaries": beneficiaries,
            "pending_invitations": pending,
        },
    )
