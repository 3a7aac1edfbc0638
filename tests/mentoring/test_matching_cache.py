"""The per-process cache of the suggestions' pool: the same answers as a fresh build, a new
build after any change the index reads, the places left counted on every call, and a
bounded number of queries once warm."""

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.accounts.models import Membership
from tisser.core.enums import Role
from tisser.mentoring import matching, services
from tisser.mentoring.models import HelpKind, MeetingPreference, MentorProfile, Mentorship
from tisser.referentiel.models import Competence, Metier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    matching.clear_pool_cache()
    yield
    matching.clear_pool_cache()


def uncached_suggestions(mentee, k=5) -> list[tuple[int, float, list[dict]]]:
    """What `suggestions_for` answered before the cache: the pool rebuilt from the models,
    its capacities the places left."""
    index, _profiles = matching.pool_index(mentee.organisation)
    found = matching.suggest_mentors(
        matching.mentee_needs(mentee),
        index,
        matching.weights(),
        k=k,
        exclusions=matching.exclusions(mentee.organisation, [mentee.user_id]),
    )
    return [
        (item.mentor_id, item.score, matching.explanation_rows(item.top_factors)) for item in found
    ]


def suggested(mentee, k=5) -> list[tuple[int, float, list[dict]]]:
    return [
        (item.mentor.pk, item.score, item.explanation)
        for item in matching.suggestions_for(mentee, k=k)
    ]


def start(mentor, organisation) -> Mentorship:
    return services.mentorship_start(
        mentee=member(Role.BENEFICIARY, organisation),
        mentor=mentor,
        origin=Mentorship.Origin.ROUND,
        by=member(Role.COORDINATOR, organisation),
    )


@pytest.fixture
def pool(rome, organisation):
    """Mentors differing in fiches, skills, help, logistics and places left."""
    skills = list(Competence.objects.order_by("code_ogr")[:3])
    near = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    near.skills.set(skills)
    close = mentor_profile(organisation, fiches=["A1902"], employer="Acme")
    close.past_fiches.set(Metier.objects.filter(code_rome="K1901"))
    far = mentor_profile(
        organisation,
        fiches=["D1902"],
        help_offered=[HelpKind.NETWORK],
        mode=MeetingPreference.EITHER,
        departement="69",
        languages=["fr", "en"],
    )
    full = mentor_profile(organisation, fiches=["A1901"], capacity=1)
    start(full, organisation)
    return {"near": near, "close": close, "far": far, "full": full}


def test_the_cached_pool_holds_the_offers_of_a_fresh_build_at_full_capacity(pool, organisation):
    fresh = [
        matching.mentor_offer(profile, profile.capacity)
        for profile in matching.mentor_pool(organisation)
    ]

    assert list(matching.get_pool_index(organisation).mentors) == fresh


@pytest.mark.parametrize("targets", [["A1901"], ["D1902", "A1902"], ["K1902"], []])
def test_cached_suggestions_equal_uncached_ones(pool, organisation, targets):
    mentee = mentee_profile(organisation, targets=targets, employer="ACME")

    for _ in range(2):  # cold, then warm
        assert suggested(mentee, k=10) == uncached_suggestions(mentee, k=10)


def test_a_warm_pool_is_reused_until_a_profile_changes(pool, organisation):
    first = matching.get_pool_index(organisation)

    assert matching.get_pool_index(organisation) is first
    mentor_profile(organisation, fiches=["K1902"])
    assert matching.get_pool_index(organisation) is not first


def test_a_profile_edit_rebuilds_the_pool_with_its_new_fiches(pool, organisation):
    mentee = mentee_profile(organisation, targets=["K1902"])
    moved = pool["far"]
    assert suggested(mentee)[0][0] != moved.pk

    services.mentor_profile_save(
        user=moved.user,
        organisation=organisation,
        data=services.MentorProfileData(
            headline=moved.headline,
            career_path=moved.career_path,
            motivation=moved.motivation,
            current_fiches=list(Metier.objects.filter(code_rome="K1902")),
            help_offered=[HelpKind.JOB_DISCOVERY],
            capacity=2,
            availability=moved.availability,
            languages=["fr"],
            mode=MeetingPreference.REMOTE,
        ),
        expected_version=moved.version,
    )

    assert suggested(mentee)[0][0] == moved.pk
    assert suggested(mentee) == uncached_suggestions(mentee)


def test_a_pause_takes_the_mentor_out_and_a_resume_brings_them_back(pool, organisation):
    mentee = mentee_profile(organisation, targets=["A1901"])
    near = pool["near"]
    assert suggested(mentee)[0][0] == near.pk

    services.mentor_profile_pause(user=near.user, profile=near, paused=True)
    assert near.pk not in [row[0] for row in suggested(mentee)]

    services.mentor_profile_pause(user=near.user, profile=near, paused=False)
    assert suggested(mentee)[0][0] == near.pk


def test_a_validation_brings_the_profile_in(pool, organisation):
    mentee = mentee_profile(organisation, targets=["K1902"])
    waiting = mentor_profile(organisation, fiches=["K1902"], status=MentorProfile.Status.SUBMITTED)
    assert waiting.pk not in [row[0] for row in suggested(mentee)]

    services.mentor_profile_review(
        coordinator=member(Role.COORDINATOR, organisation), profile=waiting, approve=True
    )

    assert suggested(mentee)[0][0] == waiting.pk


@pytest.mark.parametrize("deactivated", ["membership", "account"])
def test_a_deactivated_membership_or_account_takes_the_mentor_out(pool, organisation, deactivated):
    mentee = mentee_profile(organisation, targets=["A1901"])
    near = pool["near"]
    assert suggested(mentee)[0][0] == near.pk

    if deactivated == "membership":
        Membership.objects.filter(user=near.user, organisation=organisation).update(is_active=False)
    else:
        near.user.is_active = False
        near.user.save(update_fields=["is_active"])

    assert near.pk not in [row[0] for row in suggested(mentee)]
    assert suggested(mentee) == uncached_suggestions(mentee)


def test_a_new_mentorship_takes_the_last_place_and_an_ended_one_gives_it_back(pool, organisation):
    mentee = mentee_profile(organisation, targets=["A1901"])
    near = pool["near"]
    index = matching.get_pool_index(organisation)
    assert suggested(mentee)[0][0] == near.pk

    mentorship = start(near, organisation)
    assert near.pk not in [row[0] for row in suggested(mentee)]

    services.mentorship_close(
        actor=near.user,
        mentorship=mentorship,
        summary="Objectif atteint.",
        expected_version=mentorship.version,
    )
    assert suggested(mentee)[0][0] == near.pk
    # Places left are counted per call: the cached index itself was never rebuilt.
    assert matching.get_pool_index(organisation) is index


def test_a_mentor_already_full_is_never_suggested_even_from_a_warm_pool(pool, organisation):
    mentee = mentee_profile(organisation, targets=["A1901"])

    for _ in range(2):
        assert pool["full"].pk not in [row[0] for row in suggested(mentee)]


def test_the_pool_of_another_organisation_is_its_own(pool, organisation):
    other = OrganisationFactory()
    theirs = mentor_profile(other, fiches=["A1901"])
    ours = mentee_profile(organisation, targets=["A1901"])
    their_mentee = mentee_profile(other, targets=["A1901"])

    assert theirs.pk not in [row[0] for row in suggested(ours)]
    assert [row[0] for row in suggested(their_mentee)] == [theirs.pk]


def test_a_warm_suggestion_call_runs_a_bounded_number_of_queries(
    pool, organisation, django_assert_max_num_queries
):
    for _ in range(20):
        mentor_profile(organisation, fiches=["A1902"])
    mentee = mentee_profile(organisation, targets=["A1901"])
    matching.suggestions_for(mentee)  # warms the pool
    mentee = type(mentee).objects.select_related("organisation").get(pk=mentee.pk)

    # 1 for the version, 1 for the places left, 2 exclusions, 2 for the mentee's needs
    # (no bilan here), 1 + 2 for the suggested profiles: none grows with the pool.
    with django_assert_max_num_queries(9):
        found = matching.suggestions_for(mentee)

    assert len(found) == 5


def test_suggested_profiles_come_with_their_user_fiches_and_active_count(
    pool, organisation, django_assert_num_queries
):
    mentee = mentee_profile(organisation, targets=["A1901"])
    found = matching.suggestions_for(mentee)

    with django_assert_num_queries(0):
        near = found[0].mentor
        assert (near.pk, near.user.pk) == (pool["near"].pk, pool["near"].user.pk)
        assert near.active_count == 0
        assert [m.code_rome for m in near.current_fiches.all()] == ["A1901"]
        assert list(near.past_fiches.all()) == []


def test_the_version_counts_the_same_profiles_as_available(pool, organisation):
    near, far = pool["near"], pool["far"]
    Membership.objects.filter(user=far.user, organisation=organisation).update(role=Role.CONSULTANT)
    mentor_profile(organisation, status=MentorProfile.Status.REJECTED)
    mentor_profile(organisation, paused_at=timezone.now())
    elsewhere = mentor_profile(organisation)
    Membership.objects.create(
        user=elsewhere.user, organisation=OrganisationFactory(), role=Role.MENTOR
    )

    available = MentorProfile.objects.available().filter(organisation=organisation)
    version = matching.pool_version(organisation.pk)

    assert version[:2] == (available.count(), sum(available.values_list("id", flat=True)))
    assert near in available and far not in available


def test_a_pause_before_the_first_call_is_seen(organisation, rome):
    mentee = mentee_profile(organisation, targets=["A1901"])
    mentor_profile(organisation, fiches=["A1901"], paused_at=timezone.now())

    assert matching.suggestions_for(mentee) == []


def test_a_round_reads_the_same_pool_and_needs_in_a_few_queries(
    pool, organisation, django_assert_max_num_queries
):
    # The round's bulk reads (round_pool, mentees_needs) give what the per-profile ones give.
    from tisser.bilans.models import Funding, PortfolioItem
    from tisser.bilans.models.investigation import ItemKind
    from tisser.bilans.services import bilan_open
    from tisser.referentiel.models import MetierCompetence

    consultant = member(Role.CONSULTANT, organisation)
    mentees = []
    for targets in (["A1901"], ["D1902", "A1902"], ["K1902"], []):
        user = member(Role.BENEFICIARY, organisation, invited_by=consultant)
        mentee = mentee_profile(organisation, user=user, targets=targets)
        mentee.bilan = bilan_open(
            consultant=consultant, beneficiary=mentee.user, funding=Funding.CPF
        )
        mentee.save()
        for code_ogr in MetierCompetence.objects.filter(
            metier__code_rome=(targets or ["A1901"])[0]
        ).values_list("competence__code_ogr", flat=True)[:2]:
            PortfolioItem.objects.create(
                bilan=mentee.bilan,
                kind=ItemKind.COMPETENCE,
                code_ogr=code_ogr,
                label=str(code_ogr),
                level=3,
            )
        mentees.append(mentee)
    index, _profiles = matching.pool_index(organisation)
    expected = [matching.mentee_needs(mentee) for mentee in mentees]

    with django_assert_max_num_queries(10):
        needs = matching.mentees_needs(mentees)
        pool_index = matching.round_pool(organisation)

    assert needs == expected
    assert any(item.skill_gap for item in needs)
    assert list(pool_index.mentors) == list(index.mentors)
