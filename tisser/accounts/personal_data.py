"""The account part of a person's archive ("Mes données"): the account and its e-mail
addresses, the two-factor methods set up (never their secret), memberships and the
invitations the person accepted. Registered in `tisser.core.personal_data` from
`AccountsConfig.ready()`; the archive itself is assembled there."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from tisser.accounts.models import Invitation
from tisser.core.personal_data import leave_out, register_exporter


@register_exporter(
    "account",
    covers=("accounts.User", "account.EmailAddress", "mfa.Authenticator"),
)
def account_personal_data(*, user) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user)
            .order_by("pk")
            .values("email", "verified", "primary")
        ),
        # Which methods protect the account and when they were used; the secrets (TOTP key,
        # recovery codes) stay out: a copy of them would weaken the account.
        "two_factor": list(
            Authenticator.objects.filter(user=user)
            .order_by("pk")
            .values("type", "created_at", "last_used_at")
        ),
    }


@register_exporter("memberships", covers=("accounts.Membership",))
def memberships_personal_data(*, user) -> list[dict]:
    return list(user.memberships.order_by("pk").values("organisation__name", "role", "is_active"))


@register_exporter("invitations", covers=("accounts.Invitation",))
def invitations_personal_data(*, user) -> list[dict]:
    """The invitations the person accepted. Those they sent as staff of an organisme are
    about the invitees and stay with the organisme."""
    return list(
        Invitation.objects.filter(accepted_by=user)
        .order_by("pk")
        .values("organisation__name", "role", "created_at", "accepted_at")
    )


leave_out(
    {
        "account.EmailConfirmation": (
            "A one-time key sent to confirm an address, useless once used and a credential "
            "while pending; the addresses themselves are in the archive."
        ),
    }
)
