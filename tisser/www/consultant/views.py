from django.db.models import OuterRef, Subquery
from django.shortcuts import render

from tisser.accounts.models import Invitation, Membership
from tisser.bilans.models import Bilan
from tisser.core.access import role_required
from tisser.core.enums import Role


@role_required(Role.CONSULTANT)
def home(request):
    """The consultant's beneficiaries: those who joined through their invitation, with the
    bilan they run for each (if open), and the invitations still waiting for an answer."""
    open_bilan = (
        Bilan.objects.visible_to(request.user)
        .open()
        .filter(beneficiary=OuterRef("user"), consultant=request.user)
        .values("pk")[:1]
    )
    beneficiaries = (
        Membership.objects.visible_to(request.user)
        .active()
        .filter(
            organisation=request.membership.organisation,
            role=Role.BENEFICIARY,
            invited_by=request.user,
        )
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
        {"beneficiaries": beneficiaries, "pending_invitations": pending},
    )
