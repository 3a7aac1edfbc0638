"""Invitations are re-sent with a new link (the old one stops working, only hashes are
stored, throttled, audited); a member of staff types their password once on their first
sign-in, then activates the second factor and continues from the recovery codes to their
space."""

import re
from datetime import timedelta

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.test_invitations import NEW_PASSWORD, invite
from tests.factories import PASSWORD, MembershipFactory
from tisser.accounts.models import Invitation, invitation_token_hash
from tisser.accounts.services import (
    RESEND_INTERVAL,
    RESEND_PER_DAY,
    InvitationInvalid,
    invitation_resend,
    invitation_resolve,
    invitation_revoke,
)
from tisser.core.enums import Role
from tisser.core.models import AuditEvent


def link_token(message) -> str:
    prefix = reverse("public:invitation_accept", args=["JETON"]).split("JETON")[0]
    return re.search(re.escape(prefix) + r"([\w-]+)/", message.body).group(1)


def resend(actor, invitation) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_resend(actor=actor, invitation=invitation)
    return link_token(mail.outbox[-1])


def test_resending_gives_a_new_link_and_the_old_one_stops_working(people):
    consultant = people["consultant"]
    issued = invite(consultant)

    with freeze_time(timezone.now() + RESEND_INTERVAL):
        new_token = resend(consultant, issued.invitation)

    assert new_token != issued.raw_token
    with pytest.raises(InvitationInvalid):
        invitation_resolve(raw_token=issued.raw_token)
    invitation = Invitation.objects.get(pk=issued.invitation.pk)
    assert invitation_resolve(raw_token=new_token) == invitation
    assert invitation.token_hash == invitation_token_hash(new_token)
    assert new_token not in str(list(Invitation.objects.values()))
    assert AuditEvent.objects.filter(
        action="invitation.resend", actor=consultant, target_id=str(invitation.pk)
    ).exists()


def test_an_expired_invitation_is_sent_again_valid_for_the_full_period(people, settings):
    consultant = people["consultant"]
    issued = invite(consultant)
    later = timezone.now() + timedelta(days=settings.TISSER_INVITATION_DAYS + 1)

    with freeze_time(later):
        assert issued.invitation.status == Invitation.Status.EXPIRED
        token = resend(consultant, issued.invitation)
        invitation = invitation_resolve(raw_token=token)
        assert invitation.status == Invitation.Status.PENDING
        assert invitation.expires_at > later + timedelta(days=settings.TISSER_INVITATION_DAYS - 1)


def test_resending_is_throttled(people):
    consultant = people["consultant"]
    issued = invite(consultant)
    start = timezone.now()

    with pytest.raises(ValidationError, match="vient d'être envoyée"):
        invitation_resend(actor=consultant, invitation=issued.invitation)
    for sent in range(RESEND_PER_DAY):
        with freeze_time(start + RESEND_INTERVAL * (sent + 1)):
            invitation_resend(actor=consultant, invitation=issued.invitation)
    with (
        freeze_time(start + RESEND_INTERVAL * (RESEND_PER_DAY + 2)),
        pytest.raises(ValidationError, match="réessayez demain"),
    ):
        invitation_resend(actor=consultant, invitation=issued.invitation)
    with freeze_time(start + timedelta(days=1, hours=1)):
        invitation_resend(actor=consultant, invitation=issued.invitation)


def test_a_used_or_cancelled_invitation_is_not_sent_again(people):
    consultant = people["consultant"]
    issued = invite(consultant)
    invitation_revoke(actor=consultant, invitation=issued.invitation)

    with (
        freeze_time(timezone.now() + RESEND_INTERVAL),
        pytest.raises(ValidationError, match="annulée"),
    ):
        invitation_resend(actor=consultant, invitation=issued.invitation)


def test_the_list_offers_to_resend_and_says_the_old_link_stops(client, people):
    consultant = people["consultant"]
    issued = invite(consultant)
    client.force_login(consultant)
    page = client.get(reverse("invitations:list")).content.decode()
    url = reverse("invitations:resend", args=[issued.invitation.pk])
    assert f'action="{url}"' in page

    too_soon = client.post(url, follow=True).content.decode()
    assert "vient d&#x27;être envoyée" in too_soon
    with (
        freeze_time(timezone.now() + RESEND_INTERVAL),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(url, follow=True)

    assert "le lien précédent ne fonctionne plus" in response.content.decode()
    assert link_token(mail.outbox[-1]) != issued.raw_token


def test_someone_elses_invitation_cannot_be_resent(client, people):
    issued = invite(people["consultant"])
    other = people["coordinator"].memberships.get().organisation
    from tests.factories import member

    outsider = member(Role.CONSULTANT)
    assert outsider.memberships.get().organisation != other
    client.force_login(outsider)

    response = client.post(reverse("invitations:resend", args=[issued.invitation.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="invitation.resend").exists()


def test_staff_type_their_password_once_then_activate_the_second_factor(client, people):
    """Invitation → password → straight to the second factor's activation, without being
    asked for the password again; then the recovery codes lead on to their space."""
    issued = invite(people["coordinator"], role=Role.CONSULTANT, email="nina@example.org")
    accept = reverse("public:invitation_accept", args=[issued.raw_token])

    response = client.post(
        accept,
        {
            "first_name": "Nina",
            "last_name": "Aubert",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert "reauthenticate" not in response.redirect_chain[-1][0]
    html = response.content.decode()
    assert 'name="code"' in html  # the activation form itself, not a password prompt
    assert 'name="password"' not in html


def test_later_sensitive_changes_still_ask_for_the_password(client, people):
    issued = invite(people["coordinator"], role=Role.CONSULTANT, email="nina@example.org")
    client.post(
        reverse("public:invitation_accept", args=[issued.raw_token]),
        {
            "first_name": "Nina",
            "last_name": "Aubert",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    later = timedelta(seconds=allauth_settings.REAUTHENTICATION_TIMEOUT + 1)
    with freeze_time(timezone.now() + later):
        response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


def test_the_recovery_codes_page_leads_on_to_the_persons_space(client, people):
    consultant = people["consultant"]  # their second factor is active (factories)
    assert Authenticator.objects.filter(user=consultant, type="totp").exists()
    client.force_login(consultant)
    session = client.session
    # Just re-authenticated, as after activating the second factor.
    session["account_authentication_methods"] = [
        {"method": "password", "at": timezone.now().timestamp(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(consultant.pk)
    session.save()

    response = client.get(reverse("mfa_view_recovery_codes"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Continuer vers mon espace" in html
    assert "Codes de récupération" in html  # allauth's French, kept
    assert "codes de récupération disponibles sur" in html
    assert "There are" not in html
    assert f'href="{reverse("public:home")}"' in html


def sign_in(client, user, **kwargs):
    """The real sign-in form, as a person types it (not force_login)."""
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, **kwargs
    )


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.COORDINATOR])
def test_staff_without_two_factor_who_sign_in_are_not_asked_their_password_again(client, db, role):
    user = MembershipFactory(role=role).user
    assert not Authenticator.objects.filter(user=user).exists()

    response = sign_in(client, user, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    html = response.content.decode()
    assert 'name="code"' in html  # the activation form itself, not a password prompt
    assert 'name="password"' not in html


def test_after_the_timeout_the_activation_asks_for_the_password_again(client, db):
    user = MembershipFactory(role=Role.CONSULTANT).user
    sign_in(client, user)

    later = timedelta(seconds=allauth_settings.REAUTHENTICATION_TIMEOUT + 1)
    with freeze_time(timezone.now() + later):
        response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


def test_with_two_factor_active_the_sign_in_relaxes_nothing(client, people):
    """A person whose second factor is active ends their sign-in with the code: their
    password record is not flagged, sensitive two-factor changes still ask."""
    consultant = people["consultant"]
    sign_in(client, consultant)

    records = client.session.get("account_authentication_methods", [])
    assert records and not any(record.get("reauthenticated") for record in records)
