from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tisser.accounts.forms import ProfileForm
from tisser.accounts.services import profile_update
from tisser.core.personal_data import personal_data_erase, personal_data_stream
from tisser.network.models import Contact
from tisser.www.forms import form_errors_apply


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
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre profil est enregistré."))
            response = redirect("account:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax"
            )
            return response
    memberships = user.memberships.active().select_related("organisation", "invited_by")
    return render(
        request,
        "www/account/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "contact_count": Contact.objects.owned_by(user).count(),
        },
    )


@require_GET
def data_export(request):
    """The person's data as one JSON file (see `tisser.core.personal_data`), streamed as it
    is read: a network of thousands of contacts is never held whole in memory."""
    response = StreamingHttpResponse(
        personal_data_stream(user=request.user), content_type="application/json; charset=utf-8"
    )
    filename = f"mes-donnees-tisser-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def network_erase(request):
    """Erase the person's whole professional network, once they confirmed it."""
    if request.POST.get("confirm") != "1":
        messages.error(
            request,
            _("Cochez la case pour confirmer : l'effacement de votre réseau est définitif."),
        )
        return redirect("account:profile")
    deleted = personal_data_erase("network", user=request.user)
    contacts = deleted.get("network.Contact", 0)
    messages.success(
        request,
        ngettext(
            "Votre réseau professionnel est effacé (%(count)s contact).",
            "Votre réseau professionnel est effacé (%(count)s contacts).",
            contacts,
        )
        % {"count": number_format(contacts, force_grouping=True)},
    )
    return redirect("account:profile")
