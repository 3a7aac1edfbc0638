import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, member
from tisser.accounts.services import invitation_create
from tisser.core.enums import Role


def test_navigation_follows_the_role(client, people):
    client.force_login(people["consultant"])

    html = client.get(reverse("consultant:home")).content.decode()

    assert "Mes bénéficiaires" in html
    assert reverse("invitations:list") in html
    assert "Mon parcours" not in html


@pytest.mark.parametrize(
    ("role", "link", "absent"),
    [
        ("beneficiary", "bilans:mine", "coordinator:bilans"),
        ("coordinator", "coordinator:bilans", "bilans:mine"),
    ],
)
def test_beneficiaries_and_coordinators_reach_the_bilans_from_the_menu(
    client, people, role, link, absent
):
    client.force_login(people[role])

    html = client.get(reverse("account:profile")).content.decode()

    assert f'href="{reverse(link)}"' in html
    assert f'href="{reverse(absent)}"' not in html


def test_only_the_closest_menu_entry_is_current(client, people):
    client.force_login(people["coordinator"])

    html = client.get(reverse("coordinator:bilans")).content.decode()

    assert html.count('aria-current="page"') == 1
    assert f'href="{reverse("coordinator:bilans")}" aria-current="page"' in html


def test_public_pages_need_no_account(client, db):
    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    assert 'href="#contenu"' in response.content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_consultant_home_does_not_query_per_beneficiary(
    client, people, organisation, django_assert_max_num_queries, n
):
    consultant = people["consultant"]
    for _ in range(n):
        MembershipFactory(organisation=organisation, role=Role.BENEFICIARY, invited_by=consultant)
    client.force_login(consultant)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("consultant:home"))

    assert response.content.decode().count("<tr>") == n + 1 + 1  # header + original + n


@pytest.mark.parametrize("n", [1, 8])
def test_invitation_list_does_not_query_per_row(client, people, django_assert_max_num_queries, n):
    coordinator = people["coordinator"]
    for i in range(n):
        invitation_create(
            inviter=coordinator,
            inviter_membership=coordinator.memberships.get(),
            email=f"mentor{i}@example.org",
            role=Role.MENTOR,
        )
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("invitations:list"))

    assert response.content.decode().count("mentor") >= n


def test_coordinator_sees_their_team_not_other_organisations(client, people):
    stranger = member(Role.CONSULTANT)
    client.force_login(people["coordinator"])

    html = client.get(reverse("coordinator:home")).content.decode()

    assert people["consultant"].email in html
    assert stranger.email not in html


def test_consultant_sees_only_the_beneficiaries_they_invited(client, people, organisation):
    colleague = member(Role.CONSULTANT, organisation)
    theirs = MembershipFactory(
        organisation=organisation, role=Role.BENEFICIARY, invited_by=colleague
    )
    client.force_login(people["consultant"])

    html = client.get(reverse("consultant:home")).content.decode()

    assert people["beneficiary"].email in html
    assert theirs.user.email not in html


def test_api_docs_are_served_from_our_static_files(client, people):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("api-v1:openapi-view")).content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_coordinator_home_counts_members_with_plural_role_nouns(client, people, organisation):
    for i in range(2):
        MembershipFactory(organisation=organisation, role=Role.MENTOR, user__first_name=f"M{i}")
    client.force_login(people["coordinator"])

    html = " ".join(client.get(reverse("coordinator:home")).content.decode().split())

    assert '<span class="figure">3</span> mentors' in html
    assert '<span class="figure">1</span> coordinateur·rice' in html
    assert "</span> Mentor" not in html
