"""The evidence the bilans already hold: each provider reads at most three queries, whatever
the organisation's size, and counts only its own organisation's work."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bilans.helpers import closed_bilan
from tests.factories import member
from tisser.core.enums import Role
from tisser.quality import evidence
from tisser.quality.evidence import Span
from tisser.quality.evidence_documents import is_documents_provider

pytestmark = pytest.mark.django_db


def _bilans_providers():
    return [p for p in evidence.providers() if not is_documents_provider(p) and p.lines]


def test_the_bilans_providers_are_registered():
    names = {provider.name: provider.indicators for provider in _bilans_providers()}
    assert names["bilans.preliminary"] == (4, 5)
    assert names["bilans.endings"] == (12,)
    assert names["referentiel.rome"] == (24,)


def test_each_provider_reads_at_most_three_queries_and_only_its_organisation(people):
    organisation = people["coordinator"].memberships.get().organisation
    closed_bilan(people["consultant"], people["beneficiary"])
    other = member(Role.CONSULTANT)
    elsewhere = other.memberships.get().organisation
    closed_bilan(other, member(Role.BENEFICIARY, elsewhere, invited_by=other))
    today = timezone.localdate()
    span = Span(first_day=today - timedelta(days=30), last_day=today)
    for provider in _bilans_providers():
        with CaptureQueriesContext(connection) as context:
            lines = provider.lines(organisation, span)
        assert len(context.captured_queries) <= 3, provider.name
        assert lines, provider.name
    texts = [line.text for line in evidence.providers_of(11)[0].lines(organisation, span)]
    assert texts[0] == "1 bilan mené à son terme"
