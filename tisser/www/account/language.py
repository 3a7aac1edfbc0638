"""The language switcher of every page's footer (ADR 0028). Django's `set_language` writes the
cookie; here the choice is also kept: on the account of a signed-in person, in the session of
a visitor, so that signing in right after does not bring the other language back."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.i18n import set_language as django_set_language

from tisser.accounts.adapters import CHOSEN_LANGUAGE_SESSION_KEY
from tisser.accounts.services import preferred_language_set


@login_not_required
def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            preferred_language_set(user=request.user, language=language)
        else:
            request.session[CHOSEN_LANGUAGE_SESSION_KEY] = language
    return response
