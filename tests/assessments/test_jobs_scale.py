"""The safety net's daily job works for one organisation in a number of queries that does not
grow with the requests it deletes (issue #16): 3 or 30, the same count, notices included;
the other organisations' requests are left alone."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import OrganisationFactory, member
from tisser.assessments.models import SafetyConcern
from tisser.assessments.notice_kinds import AssessmentNotice, safety_concern_key_prefix
from tisser.assessments.safety_jobs import safety_concerns_expire_task
from tisser.core.enums import Role
from tisser.notifications.models import Notification

pytestmark = pytest.mark.django_db


def organisation_of(count: int):
    """An organisation with `count` requests, each with its notice in the app and by e-mail."""
    organisation = OrganisationFactory()
    consultant = member(Role.CONSULTANT, organisation)
    person = member(Role.BENEFICIARY, organisation)
    for _ in range(count):
        concern = SafetyConcern.objects.create(
            user=person, organisation=organisation, consultant=consultant, situation="unsaid"
        )
        for channel in ("in_app", "email"):
            Notification.objects.create(
                recipient=consultant,
                channel=channel,
                kind=AssessmentNotice.SAFETY_CONCERN,
                idempotency_key=f"{safety_concern_key_prefix(concern.pk)}{channel}",
                subject="…",
                body="…",
                scheduled_for=timezone.now(),
            )
    return organisation


def queries(organisation) -> int:
    with CaptureQueriesContext(connection) as context:
        safety_concerns_expire_task.call(organisation_id=organisation.pk)
    return len(context.captured_queries)


def test_the_expiry_takes_as_many_queries_for_3_requests_as_for_30():
    small, grown, other = organisation_of(3), organisation_of(30), organisation_of(2)

    with freeze_time(timezone.now() + timedelta(days=400)):
        assert queries(small) == queries(grown)

    assert set(SafetyConcern.objects.values_list("organisation_id", flat=True)) == {other.pk}
    assert Notification.objects.count() == 4
