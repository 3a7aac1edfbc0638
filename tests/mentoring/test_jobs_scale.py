"""Mentoring's daily jobs work for one organisation in a number of queries that does not grow
with its mentorships (issue #16): 3 or 30 (12 on SQLite), the same count; the other
organisations are left alone."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import OrganisationFactory, member
from tests.job_scale import GROWN, queries
from tisser.core.enums import Role
from tisser.mentoring.models import MentorProfile, Mentorship
from tisser.mentoring.tasks import (
    mentoring_followups_plan,
    mentoring_requests_remind,
    mentoring_retention_apply_task,
)
from tisser.notifications.models import Notification

pytestmark = pytest.mark.django_db
# Each grown mentorship calls for five messages, planned in one batch: on SQLite, under the
# row count at which it splits an INSERT (see tests.job_scale).
MENTORSHIPS = GROWN if connection.vendor == "postgresql" else 8


def organisation_of(count: int):
    """An organisation with a coordinator and `count` mentorships started 31 days ago, quiet
    for 50 days."""
    organisation = OrganisationFactory()
    member(Role.COORDINATOR, organisation)
    now = timezone.now()
    for _ in range(count):
        profile = MentorProfile.objects.create(
            organisation=organisation,
            user=member(Role.MENTOR, organisation),
            headline="Mentor",
            career_path="…",
        )
        Mentorship.objects.create(
            organisation=organisation,
            mentee=member(Role.BENEFICIARY, organisation),
            mentor=profile,
            origin="request",
            started_at=now - timedelta(days=31),
            planned_end=(now + timedelta(days=150)).date(),
            last_activity_at=now - timedelta(days=50),
        )
    return organisation


def test_the_followups_take_as_many_queries_for_3_mentorships_as_for_more():
    small, grown = organisation_of(3), organisation_of(MENTORSHIPS)

    assert queries(mentoring_followups_plan, small) == queries(mentoring_followups_plan, grown)
    # both members invited to give their view (in the app and by e-mail), the coordinator
    # told of the silence
    assert Notification.objects.filter(kind="mentoring_feedback_due").count() == 4 * (
        3 + MENTORSHIPS
    )
    assert Notification.objects.filter(kind="mentoring_inactive").count() == 3 + MENTORSHIPS
    assert queries(mentoring_followups_plan, small) == queries(mentoring_followups_plan, grown)


def test_the_followups_of_one_organisation_leave_the_others_alone():
    small, _other = organisation_of(3), organisation_of(2)

    assert mentoring_followups_plan.call(organisation_id=small.pk) == {
        "feedback_due": 12,
        "inactive": 3,
    }
    assert mentoring_followups_plan.call() == {"feedback_due": 8, "inactive": 2}


def test_the_requests_and_retention_read_as_many_queries_whatever_the_mentorships_not_due():
    # active mentorships, no pending request: nothing to remind, expire or delete
    small, grown = organisation_of(3), organisation_of(GROWN)

    for job in (mentoring_requests_remind, mentoring_retention_apply_task):
        assert queries(job, small) == queries(job, grown)
    assert mentoring_requests_remind.call() == {"reminded": 0, "expired": 0}
    assert mentoring_retention_apply_task.call() == {"mentorships": 0, "deleted": {}}
