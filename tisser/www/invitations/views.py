"""Invitations, shared by the consultant and coordinator spaces: the service decides which
roles each may invite."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tisser.accounts.forms import InvitationForm
from tisser.accounts.models import Invitation
from tisser.accounts.services import (
    invitable_roles,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tisser.core.access import role_required
from tisser.core.enums import Role
from tisser.core.french import de
from tisser.www.forms import form_errors_apply


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    roles = invitable_roles(inviter_membership=request.membership)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            issued = invitation_create(
                inviter=request.user,
                inviter_membership=request.membership,
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s. Le lien est valable %(days)s jours.")
                % {"email": issued.invitation.email, "days": settings.TISSER_INVITATION_DAYS},
            )
            return redirect("invitations:list")
    invitations = (
        Invitation.objects.visible_to(request.user)
        .filter(organisation=request.membership.organisation)
        .select_related("invited_by", "accepted_by")
        .order_by("-created_at", "-id")[:200]
    )
    return render(
        request,
        "www/invitations/list.html",
        {
            "form": form,
            "invitations": invitations,
            "pending_status": Invitation.Status.PENDING,
            "resendable": (Invitation.Status.PENDING, Invitation.Status.EXPIRED),
        },
    )


@role_required(Role.CONSULTANT, Role.COORDINATOR)
@require_POST
def invitation_revoke_view(request, invitation_id: int):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=invitation_id)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("L'invitation %(de_email)s est annulée.") % {"de_email": de(invitation.email)},
        )
    return redirect("invitations:list")


@require_POST
def invitation_resend_view(request, invitation_id: int):
    """Send the invitation again with a new link (the old one stops working). Another role's
    page and someone else's invitation answer 404."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in (Role.CONSULTANT, Role.COORDINATOR):
        raise Http404
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).filter(organisation=membership.organisation),
        pk=invitation_id,
    )
    try:
        invitation = invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Invitation renvoyée à %(email)s avec un nouveau lien, valable %(days)s jours ; "
                "le lien précédent ne fonctionne plus."
            )
            % {"email": invitation.email, "days": settings.TISSER_INVITATION_DAYS},
        )
    return redirect("invitations:list")
