from datetime import date

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tisser.accounts.forms import InvitationAcceptForm
from tisser.accounts.services import (
    InvitationInvalid,
    invitation_accept_existing_user,
    invitation_accept_new_user,
    invitation_resolve,
)
from tisser.core.context_processors import SPACE_HOME
from tisser.www.public.privacy import controller, privacy_context

# When the accessibility statement was last written; update it with the statement.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 7)


@login_not_required
def home(request):
    """The front door: the presentation for visitors, one's own space once signed in."""
    if request.user.is_authenticated and request.membership is not None:
        return redirect(SPACE_HOME[request.membership.role][0])
    return render(request, "www/public/home.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitation = invitation_resolve(raw_token=token)
    except InvitationInvalid as error:
        return render(
            request, "www/public/invitation_invalid.html", {"reason": error.message}, status=410
        )

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                invitation_accept_existing_user(raw_token=token, user=request.user)
            except InvitationInvalid as error:
                messages.error(request, error.message)
                return redirect("public:home")
            messages.success(
                request,
                _("Vous avez rejoint %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("public:home")
        return render(request, "www/public/invitation_join.html", {"invitation": invitation})

    form = InvitationAcceptForm(
        request.POST or None,
        email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept_new_user(
                raw_token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationInvalid as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # The person has just typed their new password in this very request: that is the
            # proof allauth's re-authentication would ask for before the second factor is
            # activated (staff go there next). Recorded as such, it spares them typing it a
            # second time within ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes).
            record_authentication(
                request, user, method="password", email=user.email, reauthenticated=True
            )
            messages.success(request, _("Bienvenue sur Tisser, votre compte est prêt."))
            return redirect("public:home")
    return render(
        request, "www/public/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@login_not_required
def accessibility(request):
    """The accessibility statement (ADR 0028): "non conforme" until a RGAA audit is done, what
    was checked instead, its date, and whom to write to (the organisation's disability
    referent when the visitor belongs to one organisation)."""
    context = {
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        "organisation": controller(request),
    }
    return render(request, "www/public/accessibility.html", context)


@login_not_required
def privacy(request):
    return render(request, "www/public/privacy.html", privacy_context(request))
