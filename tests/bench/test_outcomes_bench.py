"""bench/outcomes.py grows what it says, at a tiny size: people with a bilan ended in the last
two years, most left as anonymous records, the others read live with their checks, and the
programme's cohort finds every one of them once."""

from bench.outcomes import grow
from tests.factories import member
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Bilan, KeepAgreement, OutcomeRecord
from tisser.core.enums import Role
from tisser.outcomes.cohort import cohort_of

N = 40


def test_grow_creates_what_it_says(organisation):
    coordinator = member(Role.COORDINATOR, organisation)

    grown = grow(organisation, n=N, coordinator=coordinator)

    assert grown["records"] + grown["live_bilans"] == N
    assert OutcomeRecord.objects.filter(organisation=organisation).count() == grown["records"]
    live = Bilan.objects.filter(organisation=organisation, outcome_recorded_at__isnull=True)
    # The live ones, and the long story's bilan, still open.
    assert live.count() == grown["live_bilans"] + 1
    assert KeepAgreement.objects.count() == grown["live_bilans"]
    heavy = grown["heavy"]
    assert IsolationCheck.objects.filter(user=heavy).count() == 40
    assert heavy.contacts.count() == 300
    # Their dates are the past the bench gave them, not the moment it ran.
    assert IsolationCheck.objects.filter(user=heavy).dates("created_at", "year").count() >= 2
    assert len(cohort_of(organisation.pk).rows) == N
