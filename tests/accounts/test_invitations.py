import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import member
from tisser.accounts.models import Invitation, Membership, User
from tisser.accounts.services import (
    InvitationInvalid,
    invitation_accept_existing_user,
    invitation_accept_new_user,
    invitation_create,
    invitation_revoke,
)
from tisser.core.enums import Role
from tisser.core.models import AuditEvent

NEW_PASSWORD = "une-phrase-de-passe-solide"


@dataclass(frozen=True)
class Issued:
    invitation: Invitation
    raw_token: str


def invite(inviter, role=Role.BENEFICIARY, email="nouvelle@example.org") -> Issued:
    """Invite, and read the link's token in the e-mail: the task that sends it creates it
    (nothing else ever holds it, ADR 0010)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = invitation_create(
            inviter=inviter,
            inviter_membership=inviter.memberships.get(),
            email=email,
            role=role,
            first_name="Camille",
        )
    prefix = reverse("public:invitation_accept", args=["JETON"]).split("JETON")[0]
    token = re.search(re.escape(prefix) + r"([\w-]+)/", mail.outbox[-1].body).group(1)
    return Issued(invitation=issued.invitation, raw_token=token)


@pytest.mark.parametrize(
    ("inviter_role", "invited_role", "allowed"),
    [
        (Role.CONSULTANT, Role.BENEFICIARY, True),
        (Role.CONSULTANT, Role.MENTOR, False),
        (Role.CONSULTANT, Role.CONSULTANT, False),
        (Role.COORDINATOR, Role.CONSULTANT, True),
        (Role.COORDINATOR, Role.MENTOR, True),
        (Role.BENEFICIARY, Role.BENEFICIARY, False),
        (Role.MENTOR, Role.BENEFICIARY, False),
    ],
)
def test_who_may_invite_whom(organisation, inviter_role, invited_role, allowed):
    inviter = member(inviter_role, organisation)

    if allowed:
        issued = invite(inviter, role=invited_role)
        assert issued.invitation.role == invited_role
    else:
        with pytest.raises(PermissionDenied):
            invite(inviter, role=invited_role)


def test_invitation_sends_a_single_use_link_and_stores_only_its_hash(people):
    issued = invite(people["consultant"])

    assert len(mail.outbox) == 1
    assert issued.raw_token in mail.outbox[0].body
    assert "Camille" in mail.outbox[0].body
    assert not Invitation.objects.filter(token_hash=issued.raw_token).exists()
    assert AuditEvent.objects.filter(action="invitation.create").count() == 1


def test_accepting_creates_a_verified_account_and_membership(people):
    issued = invite(people["consultant"])

    user = invitation_accept_new_user(
        raw_token=issued.raw_token, first_name="Camille", last_name="Roux", password=NEW_PASSWORD
    )

    membership = Membership.objects.get(user=user)
    assert membership.role == Role.BENEFICIARY
    assert membership.invited_by == people["consultant"]
    assert user.emailaddress_set.get().verified
    assert user.check_password(NEW_PASSWORD)


def test_a_link_works_only_once(people):
    issued = invite(people["consultant"])
    invitation_accept_new_user(
        raw_token=issued.raw_token, first_name="A", last_name="B", password=NEW_PASSWORD
    )

    with pytest.raises(InvitationInvalid, match="déjà été utilisé"):
        invitation_accept_new_user(
            raw_token=issued.raw_token, first_name="A", last_name="B", password=NEW_PASSWORD
        )


def test_an_expired_link_is_refused(people):
    issued = invite(people["consultant"])

    with (
        freeze_time(timezone.now() + timedelta(days=15)),
        pytest.raises(InvitationInvalid, match="expiré"),
    ):
        invitation_accept_new_user(
            raw_token=issued.raw_token, first_name="A", last_name="B", password=NEW_PASSWORD
        )


def test_a_revoked_link_is_refused(people):
    issued = invite(people["consultant"])
    invitation_revoke(actor=people["consultant"], invitation=issued.invitation)

    with pytest.raises(InvitationInvalid, match="annulée"):
        invitation_accept_new_user(
            raw_token=issued.raw_token, first_name="A", last_name="B", password=NEW_PASSWORD
        )


def test_reinviting_replaces_the_previous_link(people):
    first = invite(people["consultant"])
    second = invite(people["consultant"])

    with pytest.raises(InvitationInvalid):
        invitation_accept_new_user(
            raw_token=first.raw_token, first_name="A", last_name="B", password=NEW_PASSWORD
        )
    invitation_accept_new_user(
        raw_token=second.raw_token, first_name="A", last_name="B", password=NEW_PASSWORD
    )


def test_an_existing_member_cannot_be_invited_again(people):
    with pytest.raises(ValidationError) as error:
        invite(people["consultant"], email=people["beneficiary"].email.upper())

    assert "email" in error.value.error_dict


def test_an_existing_account_joins_through_the_link(people, organisation):
    coordinator = people["coordinator"]
    outsider = member(Role.MENTOR)
    issued = invite(coordinator, role=Role.MENTOR, email=outsider.email)

    invitation_accept_existing_user(raw_token=issued.raw_token, user=outsider)

    assert outsider.memberships.filter(organisation=organisation, role=Role.MENTOR).exists()


def test_accept_page_keeps_what_was_typed_and_shows_errors_next_to_fields(client, people):
    issued = invite(people["consultant"])
    url = reverse("public:invitation_accept", args=[issued.raw_token])

    response = client.post(
        url,
        {"first_name": "Camille", "last_name": "Roux", "password1": "court", "password2": "autre"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Camille"' in html
    assert 'value="Roux"' in html
    assert "Les deux mots de passe ne sont pas identiques." in html
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_accept_page_signs_the_new_person_in(client, people):
    issued = invite(people["consultant"])
    url = reverse("public:invitation_accept", args=[issued.raw_token])

    response = client.post(
        url,
        {
            "first_name": "Camille",
            "last_name": "Roux",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("beneficiary:home")
    assert "Bonjour Camille" in response.content.decode()


def test_a_used_link_page_says_why(client, people):
    issued = invite(people["consultant"])
    invitation_revoke(actor=people["consultant"], invitation=issued.invitation)

    response = client.get(reverse("public:invitation_accept", args=[issued.raw_token]))

    assert response.status_code == 410
    assert "annulée" in response.content.decode()


def test_invitation_form_shows_field_errors_and_keeps_input(client, people):
    client.force_login(people["consultant"])

    response = client.post(
        reverse("invitations:list"),
        {"email": people["beneficiary"].email, "first_name": "Zoé", "role": "beneficiary"},
    )

    html = response.content.decode()
    assert "Cette personne fait déjà partie de votre organisme." in html
    assert 'value="Zoé"' in html


def test_someone_elses_invitation_cannot_be_revoked(client, people):
    other_consultant = member(Role.CONSULTANT)
    issued = invite(other_consultant)
    client.force_login(people["consultant"])

    response = client.post(reverse("invitations:revoke", args=[issued.invitation.pk]))

    assert response.status_code == 404
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is None


def test_sending_the_email_again_gives_a_new_link_that_replaces_the_first(people):
    from tisser.accounts.tasks import invitation_email_send

    issued = invite(people["consultant"])
    first = issued.raw_token

    assert invitation_email_send.call(invitation_id=issued.invitation.pk) is True

    second = re.search(r"/([\w-]{30,})/", mail.outbox[-1].body).group(1)
    assert second != first
    with pytest.raises(InvitationInvalid):
        invitation_accept_new_user(
            raw_token=first, first_name="A", last_name="B", password=NEW_PASSWORD
        )
    invitation_accept_new_user(
        raw_token=second, first_name="A", last_name="B", password=NEW_PASSWORD
    )
    assert invitation_email_send.call(invitation_id=issued.invitation.pk) is False


def test_the_invitations_list_writes_dates_the_french_way(client, people):
    with freeze_time("2026-12-07 10:00"):
        invite(people["consultant"], email="decembre@example.org")
    with freeze_time("2027-06-01 10:00"):
        invite(people["consultant"], email="juin@example.org")
    client.force_login(people["consultant"])

    html = client.get(reverse("invitations:list")).content.decode()

    assert "7 déc. 2026" in html
    assert "1er juin 2027" in html
    assert "Déc" not in html
