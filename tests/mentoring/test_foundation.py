"""The adapter between models and engine, what a mentor may read, and the capacity rule."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import OrganisationFactory, member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring import matching, services
from tisser.mentoring.models import DeclaredConflict, MentorProfile, Mentorship
from tisser.mentoring.sharing import shared_needs


def test_suggestions_rank_the_closest_metier_first_and_explain_it(rome, organisation):
    near = mentor_profile(organisation, fiches=["A1902"])
    far = mentor_profile(organisation, fiches=["D1902"])
    mentee = mentee_profile(organisation, targets=["A1901"])

    found = matching.suggestions_for(mentee)

    assert [item.mentor for item in found] == [near, far]
    assert found[0].explanation[0]["factor"] == "fiche"
    assert matching.explanation_labels(found[0].explanation)[0]["label"]


def test_suggestions_leave_out_unvalidated_paused_full_and_excluded_mentors(rome, organisation):
    from django.utils import timezone

    mentee = mentee_profile(organisation, targets=["A1901"])
    kept = mentor_profile(organisation, fiches=["A1901"])
    mentor_profile(organisation, fiches=["A1901"], status=MentorProfile.Status.SUBMITTED)
    mentor_profile(organisation, fiches=["A1901"], paused_at=timezone.now())
    full = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    services.mentorship_start(
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=full,
        origin=Mentorship.Origin.ROUND,
        by=member(Role.COORDINATOR, organisation),
    )
    conflicted = mentor_profile(organisation, fiches=["A1901"])
    DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=mentee.user,
        mentor=conflicted,
        reason=DeclaredConflict.Reason.REPORTING_LINE,
    )
    same_employer = mentor_profile(organisation, fiches=["A1901"], employer="Acme  SAS")
    mentee.employer = "acme sas"
    mentee.save()
    other_organisation = mentor_profile(OrganisationFactory(), fiches=["A1901"])

    found = [item.mentor for item in matching.suggestions_for(mentee, k=10)]

    assert found == [kept]
    assert same_employer not in found and other_organisation not in found


def test_a_round_never_exceeds_the_places_left(rome, organisation):
    mentor = mentor_profile(organisation, fiches=["A1901"], capacity=2)
    services.mentorship_start(
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=mentor,
        origin=Mentorship.Origin.ROUND,
        by=member(Role.COORDINATOR, organisation),
    )
    mentees = [mentee_profile(organisation, targets=["A1901"]) for _ in range(3)]

    result = matching.round_compute(organisation, mentees)

    assert len(result.matches) == 1
    assert {item.reason.value for item in result.unmatched} == {"capacity_exhausted"}


def test_mentorship_start_refuses_the_place_that_is_no_longer_there(organisation):
    mentor = mentor_profile(organisation, capacity=1)
    coordinator = member(Role.COORDINATOR, organisation)
    first, second = (member(Role.BENEFICIARY, organisation) for _ in range(2))
    services.mentorship_start(
        mentee=first, mentor=mentor, origin=Mentorship.Origin.ROUND, by=coordinator
    )

    with pytest.raises(services.CapacityReached) as refused, translation.override("fr"):
        services.mentorship_start(
            mentee=second, mentor=mentor, origin=Mentorship.Origin.ROUND, by=coordinator
        )

    assert "n'a plus de place" in refused.value.messages[0]
    assert Mentorship.objects.filter(mentor=mentor).count() == 1


def test_mentorship_start_refuses_a_paused_mentor_and_a_pair_already_active(organisation):
    from django.utils import timezone

    mentor = mentor_profile(organisation, capacity=3)
    coordinator = member(Role.COORDINATOR, organisation)
    mentee = member(Role.BENEFICIARY, organisation)
    services.mentorship_start(
        mentee=mentee, mentor=mentor, origin=Mentorship.Origin.ROUND, by=coordinator
    )
    with pytest.raises(ValidationError):
        services.mentorship_start(
            mentee=mentee, mentor=mentor, origin=Mentorship.Origin.ROUND, by=coordinator
        )
    mentor.paused_at = timezone.now()
    mentor.save()
    with pytest.raises(ValidationError):
        services.mentorship_start(
            mentee=member(Role.BENEFICIARY, organisation),
            mentor=mentor,
            origin=Mentorship.Origin.ROUND,
            by=coordinator,
        )


def test_a_mentor_reads_only_the_fields_the_mentee_chose_to_share(rome, organisation):
    mentee = mentee_profile(organisation, targets=["A1901"], share_targets=False)

    hidden = shared_needs(mentee)
    mentee.share_targets = True
    mentee.save()
    shown = shared_needs(mentee)

    assert hidden.targets is None and hidden.project is None and hidden.gap is None
    assert len(hidden.withheld) == 3
    assert shown.targets == ["A1901 – Cultivateur / Cultivatrice de plantes aromatiques"]
    assert hidden.wishes == mentee.wishes


@pytest.mark.parametrize(
    "weights",
    [{"fiche": float("nan")}, {"fiche": -1}, {"unknown": 1}, {"fiche": "beaucoup"}, [0.3]],
)
def test_bad_matching_weights_are_reported_by_the_system_check(settings, weights):
    from tisser.mentoring.checks import mentoring_weights_check

    settings.TISSER_MENTORING_WEIGHTS = weights

    errors = mentoring_weights_check(None)

    assert [error.id for error in errors] == ["mentoring.E001"]


def test_the_default_weights_pass_the_system_check(settings):
    from tisser.mentoring.checks import mentoring_weights_check

    settings.TISSER_MENTORING_WEIGHTS = {"fiche": 0.5}

    assert mentoring_weights_check(None) == []
