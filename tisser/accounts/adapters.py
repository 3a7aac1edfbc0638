from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.mfa.utils import is_mfa_enabled
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
        _password_sign_in_counts_as_recent(request, user)
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


def _password_sign_in_counts_as_recent(request, user) -> None:
    """allauth counts only its own re-authentication as "recent" (records flagged
    `reauthenticated`), not the sign-in itself: a consultant or coordinator without a second
    factor, sent to its activation right after typing their password, was asked for it again.

    The password typed in this very request is that proof, so its record is flagged, exactly
    as the invitation acceptance does (tisser.www.public.views): it holds for allauth's
    ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes), after which sensitive changes ask again.
    Only for a password sign-in completed without a second factor: once TOTP is active, the
    sign-in ends with the code (method "mfa"), and nothing is relaxed for it."""
    if is_mfa_enabled(user):
        return
    records = get_authentication_records(request, user)
    if not records or records[-1].get("method") != "password":
        return
    records = [*records[:-1], {**records[-1], "reauthenticated": True}]
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
