"""`tisser.bilans.access`: "the beneficiary or their consultant" is one rule
(`Bilan.objects.involving`, `party_of_bilan`), and every helper answers 404 to anyone else
(ADR 0008)."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.bilans.helpers import open_bilan
from tests.factories import member
from tisser.bilans import access
from tisser.bilans.models import Bilan, Experience
from tisser.bilans.services import experience_create
from tisser.core.enums import Role


@pytest.fixture
def bilan(people):
    return open_bilan(people["consultant"], people["beneficiary"])


@pytest.fixture
def colleague(organisation):
    """Another consultant of the same organisation, with a beneficiary of their own."""
    consultant = member(Role.CONSULTANT, organisation)
    member(Role.BENEFICIARY, organisation, invited_by=consultant)
    return consultant


def test_the_beneficiary_and_their_consultant_take_part_in_the_bilan(people, bilan):
    for role in ("beneficiary", "consultant"):
        assert list(Bilan.objects.involving(people[role])) == [bilan]
        assert access.access_bilan(people[role], bilan.pk) == bilan


def test_the_coordinator_sees_the_bilan_but_does_not_take_part_in_it(people, bilan):
    coordinator = people["coordinator"]

    assert list(Bilan.objects.visible_to(coordinator)) == [bilan]
    assert not Bilan.objects.involving(coordinator).exists()
    with pytest.raises(Http404):
        access.access_bilan(coordinator, bilan.pk)


@pytest.mark.parametrize(
    "helper", [access.access_bilan, access.access_bilan_run, access.access_own_bilan]
)
def test_a_consultant_of_someone_elses_beneficiary_gets_a_404(bilan, colleague, helper):
    with pytest.raises(Http404):
        helper(colleague, bilan.pk)


def test_only_the_consultant_runs_the_bilan_and_only_the_beneficiary_owns_it(people, bilan):
    assert access.access_bilan_run(people["consultant"], bilan.pk) == bilan
    assert access.access_own_bilan(people["beneficiary"], bilan.pk) == bilan
    with pytest.raises(Http404):
        access.access_bilan_run(people["beneficiary"], bilan.pk)
    with pytest.raises(Http404):
        access.access_own_bilan(people["consultant"], bilan.pk)


def test_a_convention_page_of_a_bilan_without_an_employer_is_a_404(people, bilan):
    with pytest.raises(Http404):
        access.access_employer_bilan_run(people["consultant"], bilan.pk)


def test_what_belongs_to_a_bilan_follows_the_same_rule(people, bilan, colleague):
    experience = experience_create(
        actor=people["beneficiary"],
        bilan=bilan,
        kind=Experience.Kind.JOB,
        title="Aide-soignante",
        started_on=date(2015, 1, 1),
    )

    assert set(Experience.objects.visible_to(people["consultant"])) == {experience}
    assert not Experience.objects.visible_to(colleague).exists()
    assert not Experience.objects.visible_to(people["coordinator"]).exists()
    assert access.access_experience(people["consultant"], bilan, experience.pk) == experience
    with pytest.raises(Http404):
        access.access_experience(colleague, bilan, experience.pk)


def test_a_part_of_another_bilan_is_a_404_even_for_one_of_its_parties(people, organisation, bilan):
    other_beneficiary = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    other = open_bilan(people["consultant"], other_beneficiary)
    experience = experience_create(
        actor=other_beneficiary,
        bilan=other,
        kind=Experience.Kind.JOB,
        title="Comptable",
        started_on=date(2010, 1, 1),
    )

    with pytest.raises(Http404):
        access.access_experience(people["consultant"], bilan, experience.pk)


def test_a_loaded_bilan_involves_its_two_parties_only(people, bilan, colleague):
    assert bilan.involves(people["beneficiary"])
    assert bilan.involves(people["consultant"])
    for outsider in (colleague, people["coordinator"], people["mentor"], AnonymousUser()):
        assert not bilan.involves(outsider)
