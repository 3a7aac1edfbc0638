"""The demo's mentoring: a pool in every state, a cohort ready for a round, one mentorship
under way; running the seed twice adds nothing."""

from django.core.management import call_command

from tisser.mentoring import matching
from tisser.mentoring.demo import COHORT
from tisser.mentoring.models import MenteeProfile, MentorProfile, Mentorship


def test_the_demo_has_mentors_a_cohort_and_a_mentorship_under_way(rome):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    statuses = sorted((p.status, p.paused_at is not None) for p in MentorProfile.objects.all())
    assert statuses.count(("validated", False)) == 5
    assert ("submitted", False) in statuses and ("validated", True) in statuses
    cohort = MenteeProfile.objects.filter(cohort=COHORT)
    assert cohort.count() == 6
    # Hugo's (the programme cohort's mentorships of `tisser.outcomes.demo` are over but two)
    mentorship = Mentorship.objects.get(mentee__email="hugo.lambert@demo.tisser.fr")
    assert mentorship.agreement.is_signed and mentorship.series is not None
    assert mentorship.goals.count() == 2 and mentorship.updates.count() == 1
    # and a round over the cohort matches people, within the places left
    organisation = mentorship.organisation
    result = matching.round_compute(organisation, list(cohort))
    assert result.matches
    assert {m.mentor_id for m in result.matches} <= set(
        MentorProfile.objects.available().values_list("id", flat=True)
    )
