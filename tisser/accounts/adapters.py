from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

# Written by the language switcher (tisser.www.account.language) for a visitor not signed in.
CHOSEN_LANGUAGE_SESSION_KEY = "tisser_chosen_language"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations only: there is no open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request, user, **kwargs):
        """Open the interface in the person's language: the one they just chose with the
        switcher before signing in (kept on their account), else the one their account keeps
        (ADR 0028)."""
        from django.conf import settings

        from tisser.accounts.services import preferred_language_set

        chosen = request.session.pop(CHOSEN_LANGUAGE_SESSION_KEY, None)
        if chosen:
            preferred_language_set(user=user, language=chosen)
        # The sign-in message is written now, in the request's language: make it the
        # person's, not the browser's (« Successfully signed in » on a French page).
        translation.activate(user.preferred_language or settings.LANGUAGE_CODE)
        response = super().post_login(request, user, **kwargs)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            samesite="Lax",
            max_age=365 * 24 * 3600,
        )
        return response
