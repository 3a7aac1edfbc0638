import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory, member
from tisser.core.enums import Role


def test_production_hashes_passwords_with_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert get_hasher().algorithm == "argon2"


def test_sign_in_with_email_lands_in_ones_space(client, people):
    response = client.post(
        reverse("account_login"),
        {"login": people["beneficiary"].email.upper(), "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("beneficiary:home")


def test_the_sign_in_message_speaks_the_person_s_language_not_the_browser_s(client, people):
    response = client.post(
        reverse("account_login"),
        {"login": people["beneficiary"].email, "password": PASSWORD},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    said = [str(message) for message in response.context["messages"]]
    assert said and not any("Successfully" in text for text in said), said


def test_wrong_password_keeps_the_email_and_says_so(client, people):
    response = client.post(
        reverse("account_login"), {"login": people["beneficiary"].email, "password": "faux"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert people["beneficiary"].email in html
    assert "incorrect" in html


def test_repeated_failed_logins_are_throttled(client, people):
    url = reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": people["beneficiary"].email, "password": "faux"})

    response = client.post(url, {"login": people["beneficiary"].email, "password": PASSWORD})

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_there_is_no_open_sign_up(client, db):
    response = client.get(reverse("account_signup"))

    assert "fermées" in response.content.decode() or response.status_code != 200


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.COORDINATOR])
def test_consultants_and_coordinators_must_activate_two_factor(client, db, role):
    membership = MembershipFactory(role=role)

    response = client.post(
        reverse("account_login"),
        {"login": membership.user.email, "password": PASSWORD},
        follow=True,
    )

    # The password just typed counts as recent: the activation itself, no second prompt.
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert client.get(reverse("consultant:home")).url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.COORDINATOR])
def test_with_two_factor_active_they_reach_their_space(client, organisation, role):
    client.force_login(member(role, organisation))

    response = client.get(reverse("public:home"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] != reverse("mfa_activate_totp")


def test_beneficiaries_do_not_need_two_factor(client, people):
    client.force_login(people["beneficiary"])

    response = client.get(reverse("beneficiary:home"))

    assert response.status_code == 200


def test_profile_update_keeps_input_on_error_and_saves_language(client, people):
    user = people["beneficiary"]
    client.force_login(user)

    bad = client.post(
        reverse("account:profile"),
        {"first_name": "", "last_name": "Durand", "preferred_language": "en"},
    )
    assert 'value="Durand"' in bad.content.decode()
    user.refresh_from_db()
    assert user.last_name != "Durand"

    client.post(
        reverse("account:profile"),
        {"first_name": "Zoé", "last_name": "Durand", "preferred_language": "en"},
    )
    user.refresh_from_db()
    assert (user.first_name, user.preferred_language) == ("Zoé", "en")
    assert client.cookies["django_language"].value == "en"


def test_a_coordinator_role_in_a_second_organisation_requires_two_factor(client, people):
    """The beneficiary's first membership needs no second factor; a coordinator role
    accepted in another organisation opens its rounds, so every page asks for TOTP."""
    from tests.factories import OrganisationFactory
    from tisser.mentoring.models import MatchingRound

    beneficiary = people["beneficiary"]
    elsewhere = OrganisationFactory()
    MembershipFactory(user=beneficiary, organisation=elsewhere, role=Role.COORDINATOR)
    their_round = MatchingRound.objects.create(
        organisation=elsewhere, cohort="", created_by=beneficiary
    )
    client.force_login(beneficiary)

    for url in (
        reverse("mentoring:round", kwargs={"round_id": their_round.pk}),
        reverse("mentoring:rounds"),
        reverse("beneficiary:home"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp"), url

    response = client.post(reverse("mentoring:round_discard", kwargs={"round_id": their_round.pk}))
    assert response.url == reverse("mfa_activate_totp")
    assert MatchingRound.objects.filter(pk=their_round.pk).exists()


def test_an_inactive_staff_membership_does_not_ask_for_two_factor(client, people):
    from tests.factories import OrganisationFactory

    beneficiary = people["beneficiary"]
    MembershipFactory(
        user=beneficiary, organisation=OrganisationFactory(), role=Role.CONSULTANT, is_active=False
    )
    client.force_login(beneficiary)

    assert client.get(reverse("beneficiary:home")).status_code == 200
