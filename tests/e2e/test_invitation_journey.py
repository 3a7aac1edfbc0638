"""A consultant invites a beneficiary; the beneficiary opens the link, creates an account and
lands in "Mon parcours". Then every page of every space passes axe-core."""

import re

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.factories import member
from tisser.accounts.services import invitation_create
from tisser.core.enums import Role


def sign_in_as(page, live_server, user) -> None:
    """Open a session for `user` in the browser without typing (two-factor is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_consultant_invites_and_the_beneficiary_joins(page, live_server, transactional_db):
    consultant = member(Role.CONSULTANT, user__first_name="Claire")
    sign_in_as(page, live_server, consultant)

    page.goto("/")
    page.wait_for_url("**/conseiller/")
    axe_check(page)
    page.get_by_role("link", name="Inviter un·e bénéficiaire").click()
    page.wait_for_url("**/invitations/")
    axe_check(page)

    # A mistyped address is refused next to the field, the rest is kept.
    page.get_by_label("Adresse e-mail").fill("zoe.martin@")
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator(".field-error").filter(has_text="Adresse e-mail")).to_be_visible()
    assert page.get_by_label("Prénom").input_value() == "Zoé"
    axe_check(page)

    page.get_by_label("Adresse e-mail").fill("zoe.martin@example.org")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_role("status").inner_text().startswith("Invitation envoyée")
    assert "zoe.martin@example.org" in page.locator("table").inner_text()
    link = re.search(r"http\S+/invitation/\S+/", mail.outbox[-1].body).group(0)

    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert "Claire" in page.get_by_role("main").inner_text()
    axe_check(page)
    page.get_by_label(re.compile(r"^Nom")).fill("Martin")
    page.get_by_label(re.compile(r"^Mot de passe")).fill("une phrase de passe solide")
    page.get_by_label("Confirmez le mot de passe").fill("une phrase de passe solide")
    page.get_by_role("button", name="Créer mon compte").click()

    page.wait_for_url("**/beneficiaire/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Zoé"
    assert "Claire" in page.get_by_role("main").inner_text()
    axe_check(page)


PAGES_BY_ROLE = {
    Role.BENEFICIARY: [
        "/beneficiaire/",
        "/compte/profil/",
        "/metiers/?q=epicier",
        "/metiers/D1902/",
    ],
    Role.CONSULTANT: ["/conseiller/", "/invitations/", "/comptes/2fa/"],
    Role.MENTOR: ["/mentor/", "/compte/profil/"],
    Role.COORDINATOR: ["/coordination/", "/invitations/", "/comptes/email/"],
    None: [
        "/",
        "/accessibilite/",
        "/donnees-personnelles/",
        "/comptes/login/",
        "/comptes/password/reset/",
        "/invitation/lien-inconnu/",
        "/metiers/",
    ],
}


@pytest.mark.parametrize("role", list(PAGES_BY_ROLE), ids=lambda r: r or "anonymous")
def test_every_space_passes_axe(page, live_server, transactional_db, role):
    from django.core.management import call_command

    from tests.e2e.test_metier_journey import FIXTURE

    call_command("import_rome", str(FIXTURE), verbosity=0)
    if role is not None:
        organisation_user = member(Role.COORDINATOR)
        organisation = organisation_user.memberships.get().organisation
        user = member(role, organisation)
        invitation_create(
            inviter=organisation_user,
            inviter_membership=organisation_user.memberships.get(),
            email="mentor@example.org",
            role=Role.MENTOR,
        )
        sign_in_as(page, live_server, user)

    for path in PAGES_BY_ROLE[role]:
        response = page.goto(path)
        assert response.status in (200, 410), f"{path}: {response.status}"
        axe_check(page)
