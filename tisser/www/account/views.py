from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tisser.accounts.forms import ProfileForm
from tisser.accounts.services import profile_update


@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre profil est enregistré."))
            response = redirect("account:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax"
            )
            return response
    memberships = user.memberships.active().select_related("organisation", "invited_by")
    return render(request, "www/account/profile.html", {"form": form, "memberships": memberships})
