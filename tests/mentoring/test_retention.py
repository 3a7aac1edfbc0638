"""Ended mentorships go, with what was written in them and their meetings, once
TISSER_MENTORING_RETENTION_MONTHS have passed since their end; nothing else goes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.mentoring.space_rows import signed, start
from tisser.core.models import AuditEvent
from tisser.meetings.models import MeetingSeries, Occurrence
from tisser.mentoring import services
from tisser.mentoring.models import (
    Agreement,
    Goal,
    MentorProfile,
    Mentorship,
    ProgressUpdate,
)
from tisser.mentoring.retention import mentoring_retention_apply
from tisser.mentoring.tasks import mentoring_retention_apply_task

pytestmark = pytest.mark.django_db


def _ended(organisation) -> Mentorship:
    mentorship = signed(organisation)
    services.goal_add(
        actor=mentorship.mentee, mentorship=mentorship, title="Deux contacts", success_criteria=""
    )
    services.progress_update_post(
        actor=mentorship.mentee, mentorship=mentorship, kind="update", text="J'ai appelé."
    )
    return services.mentorship_close(
        actor=mentorship.mentee,
        mentorship=mentorship,
        summary="Projet confirmé.",
        expected_version=mentorship.version,
    )


def test_an_ended_mentorship_goes_after_the_period_with_its_content_and_meetings(
    organisation, settings
):
    settings.TISSER_MENTORING_RETENTION_MONTHS = 12
    ended = _ended(organisation)
    active = signed(organisation)
    series_id = ended.series_id
    assert Occurrence.objects.filter(series_id=series_id).exists()

    with freeze_time(ended.ended_at + timedelta(days=364)):
        assert mentoring_retention_apply().mentorships == 0
    assert Mentorship.objects.filter(pk=ended.pk).exists()

    with freeze_time(ended.ended_at + timedelta(days=366)):
        assert mentoring_retention_apply(dry_run=True).mentorships == 1
        assert Mentorship.objects.filter(pk=ended.pk).exists()
        report = mentoring_retention_apply()

    assert report.mentorships == 1
    assert not Mentorship.objects.filter(pk=ended.pk).exists()
    assert not Agreement.objects.filter(mentorship_id=ended.pk).exists()
    assert not Goal.objects.filter(mentorship_id=ended.pk).exists()
    assert not ProgressUpdate.objects.filter(mentorship_id=ended.pk).exists()
    assert not MeetingSeries.objects.filter(pk=series_id).exists()
    assert not Occurrence.objects.filter(series_id=series_id).exists()
    # What stays: the active mentorship, both people's profiles, an audit entry with counts.
    assert Mentorship.objects.filter(pk=active.pk).exists()
    assert MeetingSeries.objects.filter(pk=active.series_id).exists()
    assert MentorProfile.objects.filter(pk=ended.mentor_id).exists()
    event = AuditEvent.objects.get(action="mentoring.retention_delete")
    assert event.data["deleted"]["mentoring.Goal"] == 1
    assert "Deux contacts" not in str(event.data)


def test_an_active_mentorship_is_never_deleted_however_old(organisation, settings):
    settings.TISSER_MENTORING_RETENTION_MONTHS = 1
    with freeze_time(timezone.now() - timedelta(days=900)):
        old = start(organisation)

    assert mentoring_retention_apply().mentorships == 0
    assert Mentorship.objects.filter(pk=old.pk).exists()


def test_the_period_is_a_setting_and_the_daily_task_applies_it(organisation, settings):
    ended = _ended(organisation)
    settings.TISSER_MENTORING_RETENTION_MONTHS = 3

    with freeze_time(ended.ended_at + timedelta(days=95)):
        result = mentoring_retention_apply_task.call()
        again = mentoring_retention_apply_task.call()

    assert result["mentorships"] == 1
    assert again["mentorships"] == 0
