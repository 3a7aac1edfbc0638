from django.shortcuts import render

from tisser.accounts.models import Invitation, Membership
from tisser.core.access import role_required
from tisser.core.enums import Role


@role_required(Role.CONSULTANT)
def home(request):
    """The consultant's beneficiaries: those who joined through their invitation, and the
    invitations still waiting for an answer."""
    beneficiaries = (
        Membership.objects.visible_to(request.user)
        .active()
        .filter(
            organisation=request.membership.organisation,
            role=Role.BENEFICIARY,
            invited_by=request.user,
        )
        .select_related("user")
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
        {"beneficiaries": beneficiaries, "pending_invitations": pending},
    )
