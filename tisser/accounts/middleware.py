from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def active_memberships(user) -> list:
    """Every active membership of the signed-in person, oldest first (one query), with its
    organisation and, for a beneficiary, their consultant of record (their home and the safety
    net name them: read here, not by a query of their own)."""
    if not user.is_authenticated:
        return []
    return list(
        user.memberships.active().select_related("organisation", "consultant").order_by("id")
    )


def current_membership(user):
    """The membership that drives the signed-in person's space: their first active one."""
    memberships = active_memberships(user)
    return memberships[0] if memberships else None


class MembershipMiddleware:
    """`request.membership` drives the person's space; `request.memberships` holds all their
    active memberships, for the checks that concern every organisation they belong to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = active_memberships(request.user)
        request.membership = request.memberships[0] if request.memberships else None
        return self.get_response(request)


class RequireMfaMiddleware:
    """Consultants and coordinators handle sensitive personal data: until they activate
    two-factor authentication (TOTP), every page sends them to its set-up.

    The check covers every active membership, not only `request.membership`: pages fetch
    objects through `visible_to(user)`, which opens the rounds, formations and meetings of
    every organisation the person coordinates, whatever space they are in. A beneficiary who
    becomes coordinator elsewhere must therefore activate it before any page (ADR 0011).
    It runs on each request, so a role accepted during a session applies at once."""

    allowed_prefixes = ("/comptes/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_activate(request):
            messages.info(
                request,
                _(
                    "Vous accédez à des données personnelles sensibles : activez la double "
                    "authentification (application d'authentification) pour continuer."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_activate(self, request) -> bool:
        if not request.user.is_authenticated or request.path_info.startswith(self.allowed_prefixes):
            return False
        staff_roles = settings.TISSER_MFA_REQUIRED_ROLES
        if not any(membership.role in staff_roles for membership in request.memberships):
            return False
        return not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
