from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations only: there is no open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request, user, **kwargs):
        """Open the interface in the person's chosen language."""
        from django.conf import settings

        response = super().post_login(request, user, **kwargs)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            samesite="Lax",
            max_age=365 * 24 * 3600,
        )
        return response
