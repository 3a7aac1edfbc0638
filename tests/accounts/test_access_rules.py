"""The two role relations every access rule is made of (ADR 0008): "coordinator of this
organisation" and "the consultant of this beneficiary"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.factories import MembershipFactory, OrganisationFactory, member
from tisser.accounts.access import access_invited_beneficiary, require_coordinator_of
from tisser.accounts.models import Membership, User
from tisser.bilans.stats import bilan_stats
from tisser.core.enums import Role
from tisser.mentoring.services import round_run
from tisser.peers.services.formation import formation_run


@pytest.fixture
def coordinator(organisation):
    return member(Role.COORDINATOR, organisation)


def test_an_active_coordinator_is_coordinator_of_their_organisation(organisation, coordinator):
    assert Membership.objects.is_coordinator_of(coordinator, organisation)
    assert Membership.objects.is_coordinator_of(coordinator, organisation.pk)
    require_coordinator_of(coordinator, organisation)


def test_a_coordinator_of_another_organisation_is_refused(organisation, coordinator):
    other = OrganisationFactory()

    assert not Membership.objects.is_coordinator_of(coordinator, other)
    with pytest.raises(PermissionDenied):
        require_coordinator_of(coordinator, other)


def test_an_inactive_coordinator_membership_is_refused(organisation, coordinator):
    Membership.objects.filter(user=coordinator).update(is_active=False)

    assert not Membership.objects.is_coordinator_of(coordinator, organisation)
    assert not coordinator.memberships.coordinated_organisation_ids().exists()
    with pytest.raises(PermissionDenied):
        require_coordinator_of(coordinator, organisation)


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MENTOR, Role.BENEFICIARY])
def test_another_role_of_the_same_organisation_is_refused(organisation, role):
    person = member(role, organisation)

    with pytest.raises(PermissionDenied):
        require_coordinator_of(person, organisation)


def test_a_superuser_without_the_membership_is_refused(organisation):
    admin = User.objects.create_superuser("admin@example.org", "x")

    with pytest.raises(PermissionDenied):
        require_coordinator_of(admin, organisation)


def test_an_anonymous_visitor_is_refused(organisation):
    assert not Membership.objects.is_coordinator_of(AnonymousUser(), organisation)
    with pytest.raises(PermissionDenied):
        require_coordinator_of(AnonymousUser(), organisation)


def test_coordinated_organisations_are_the_active_coordinator_ones_only(organisation):
    person = member(Role.COORDINATOR, organisation)
    former = MembershipFactory(user=person, role=Role.COORDINATOR, is_active=False).organisation
    consulted = MembershipFactory(user=person, role=Role.CONSULTANT).organisation

    ids = {row["organisation_id"] for row in person.memberships.coordinated_organisation_ids()}

    assert ids == {organisation.pk}
    assert former.pk not in ids and consulted.pk not in ids


def test_coordinators_of_go_through_the_same_rule(organisation, coordinator):
    former = member(Role.COORDINATOR, organisation)
    Membership.objects.filter(user=former).update(is_active=False)
    elsewhere = member(Role.COORDINATOR)

    assert list(User.objects.coordinators_of(organisation.pk)) == [coordinator]
    assert elsewhere not in User.objects.coordinators_of(organisation.pk)


def test_beneficiaries_of_a_consultant_are_those_they_invited_and_still_active(people):
    consultant, beneficiary = people["consultant"], people["beneficiary"]
    colleague = member(Role.CONSULTANT, consultant.memberships.get().organisation)
    theirs = member(
        Role.BENEFICIARY, colleague.memberships.get().organisation, invited_by=colleague
    )
    gone = member(
        Role.BENEFICIARY, beneficiary.memberships.get().organisation, invited_by=consultant
    )
    Membership.objects.filter(user=gone).update(is_active=False)

    invited = set(Membership.objects.beneficiaries_of(consultant).values_list("user", flat=True))

    assert invited == {beneficiary.pk}
    assert theirs.pk not in invited


def test_the_inviting_consultant_opens_their_beneficiary(people):
    membership = access_invited_beneficiary(people["consultant"], people["beneficiary"].pk)

    assert membership.user == people["beneficiary"]


def test_a_colleagues_beneficiary_is_a_404(people):
    colleague = member(Role.CONSULTANT, people["consultant"].memberships.get().organisation)

    with pytest.raises(Http404):
        access_invited_beneficiary(colleague, people["beneficiary"].pk)


def test_a_former_beneficiary_is_a_404(people):
    Membership.objects.filter(user=people["beneficiary"]).update(is_active=False)

    with pytest.raises(Http404):
        access_invited_beneficiary(people["consultant"], people["beneficiary"].pk)


def test_the_beneficiary_of_another_organisation_is_a_404_when_the_page_names_one(people):
    other = OrganisationFactory()

    with pytest.raises(Http404):
        access_invited_beneficiary(
            people["consultant"], people["beneficiary"].pk, organisation=other
        )


def _bilan_stats(person, organisation):
    bilan_stats(coordinator=person, organisation=organisation)


def _formation_run(person, organisation):
    formation_run(organisation=organisation, cohort="", target_size=4, by=person)


def _round_run(person, organisation):
    round_run(organisation=organisation, cohort="", by=person)


@pytest.mark.parametrize("service", [_bilan_stats, _formation_run, _round_run])
def test_services_of_the_coordination_refuse_a_former_or_foreign_coordinator(
    organisation, coordinator, service
):
    """These services each had their own copy of the check; they now share the rule."""
    foreign = member(Role.COORDINATOR)
    Membership.objects.filter(user=coordinator).update(is_active=False)

    for person in (coordinator, foreign):
        with pytest.raises(PermissionDenied):
            service(person, organisation)
