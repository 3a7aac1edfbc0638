"""Mentorat's hub: each role finds where to start, with its own figures only."""

from django.urls import reverse

from tests.factories import OrganisationFactory, member
from tests.mentoring.helpers import mentee_profile, mentor_profile
from tisser.core.enums import Role
from tisser.mentoring import services
from tisser.mentoring.models import MentorProfile, Mentorship


def test_a_beneficiary_without_needs_is_invited_to_describe_them(client, people):
    client.force_login(people["beneficiary"])

    page = client.get(reverse("mentoring:home")).content.decode()

    assert reverse("mentoring:mentee_needs") in page
    assert reverse("mentoring:suggestions") not in page


def test_a_mentee_sees_their_mentorship_and_the_way_to_suggestions(client, people, organisation):
    needs = mentee_profile(organisation, user=people["beneficiary"])
    mentor = mentor_profile(organisation)
    mentorship = services.mentorship_start(
        mentee=needs.user, mentor=mentor, origin=Mentorship.Origin.ROUND, by=people["coordinator"]
    )
    client.force_login(people["beneficiary"])

    page = client.get(reverse("mentoring:home")).content.decode()

    assert reverse("mentoring:mentorship", args=[mentorship.pk]) in page
    assert reverse("mentoring:suggestions") in page


def test_a_mentor_sees_places_left_on_their_home_and_the_hub(client, people, organisation):
    mentor = mentor_profile(organisation, user=people["mentor"], capacity=3)
    services.mentorship_start(
        mentee=people["beneficiary"],
        mentor=mentor,
        origin=Mentorship.Origin.ROUND,
        by=people["coordinator"],
    )
    client.force_login(people["mentor"])

    for url in (reverse("mentoring:home"), reverse("mentor:home")):
        page = client.get(url).content.decode()
        text = " ".join(page.split())
        assert "1 mentorat en cours pour une capacité de 3 — 2 places libres" in text
        assert people["beneficiary"].get_full_name() in page


def test_the_coordination_sees_its_own_figures_only(
    client, people, organisation, django_assert_max_num_queries
):
    mentor_profile(organisation, capacity=2)
    mentor_profile(organisation, status=MentorProfile.Status.SUBMITTED)
    mentee_profile(organisation)
    mentor_profile(OrganisationFactory(), capacity=9)
    mentee_profile(member(Role.COORDINATOR).memberships.get().organisation)
    client.force_login(people["coordinator"])

    with django_assert_max_num_queries(20):
        response = client.get(reverse("mentoring:home"))

    figures = response.context["figures"]
    assert (figures.validated, figures.awaiting, figures.places, figures.free) == (1, 1, 2, 2)
    assert figures.seeking_without_mentor == 1
    assert reverse("mentoring:rounds") in response.content.decode()
