"""The per-minute dispatch and the meetings' daily jobs make as many queries with 3 series as
with 30 (issue #16: jobs in bounded batched queries; timings are in bench/jobs.py)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import member
from tests.notifications.conftest import NOW
from tests.notifications.helpers import (
    attendance_record,
    occurrence_create,
    preference_set,
    series_create,
)
from tisser.core.enums import Role
from tisser.meetings.inactivity import inactivity_detect
from tisser.meetings.models import Attendance, MeetingKind, MeetingSeries, Occurrence
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.meetings.reminders import reminders_plan
from tisser.meetings.services import series as series_services
from tisser.meetings.tasks import meetings_inactivity_detect, meetings_plan_ahead
from tisser.notifications.delivery import notifications_deliver_due, notifications_due
from tisser.notifications.models import Channel, Notification
from tisser.notifications.tasks import notifications_dispatch


@pytest.fixture(autouse=True)
def rows_per_insert_as_on_postgresql(monkeypatch):
    """Django caps an INSERT on SQLite at 999 parameters (about 50 outbox rows), PostgreSQL
    takes the code's own batches (1,000 rows): let SQLite (3.32+: 32,766 parameters) take them
    too, so that the counts below are those of PostgreSQL."""
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: len(objs))


def queries(function) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return len(captured), result


def grow(people, organisation, count: int, *, first: int = 0) -> list[MeetingSeries]:
    """`count` mentoring series of the mentor with a new beneficiary each (invited by the
    consultant; one in three reads a daily digest, one in five takes no e-mail)."""
    grown = []
    for i in range(first, first + count):
        beneficiary = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
        if i % 3 == 0:
            preference_set(beneficiary, daily_digest=True)
        elif i % 5 == 0:
            preference_set(beneficiary, email_reminders=False)
        grown.append(
            series_create(
                organiser=people["mentor"],
                participants=[beneficiary],
                kind=MeetingKind.MENTORING,
                title=f"Mentorat {i}",
                first_start=NOW - timedelta(weeks=10),
                organisation=organisation,
            )
        )
    return grown


def with_meetings(series_list, *, first: int = 0) -> None:
    """A meeting in two days (agenda and meeting reminders), one an hour ago (notes)."""
    for i, series in enumerate(series_list, start=first):
        occurrence_create(series, NOW + timedelta(days=2, minutes=i))
        occurrence_create(series, NOW - timedelta(hours=2, minutes=i))


def test_planning_reminders_costs_the_same_queries_for_3_and_30_series(people, organisation, clock):
    # The content types are read once per process, then cached: not the planner's queries.
    ContentType.objects.get_for_model(Occurrence)
    small = grow(people, organisation, 3)
    with_meetings(small)
    small_count, small_created = queries(reminders_plan)
    Notification.objects.all().delete()
    with_meetings(grow(people, organisation, 27, first=3), first=3)

    grown_count, grown_created = queries(reminders_plan)

    assert grown_created > 9 * small_created
    assert grown_count == small_count


def test_an_idle_dispatch_costs_a_few_queries_whatever_the_number_of_series(
    people, organisation, clock
):
    def idle_dispatch() -> int:
        reminders_plan()
        # Delivered by the previous dispatches.
        notifications_due(now=NOW).update(status=Notification.Status.SENT, sent_at=NOW)
        count, result = queries(notifications_dispatch.call)
        assert result == {"planned": 0, **dict.fromkeys(result, 0)}
        return count

    with_meetings(grow(people, organisation, 3))
    small = idle_dispatch()
    with_meetings(grow(people, organisation, 27, first=3), first=3)

    grown = idle_dispatch()

    assert grown == small
    assert small <= 10


def test_plan_ahead_costs_the_same_queries_for_3_and_30_series(
    people, organisation, clock, settings
):
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30
    small = grow(people, organisation, 3)
    MeetingSeries.objects.update(rrule="FREQ=WEEKLY", first_start=NOW + timedelta(hours=1))
    small_count, small_created = queries(lambda: meetings_plan_ahead.call(organisation.pk))
    Occurrence.objects.all().delete()
    grow(people, organisation, 27, first=3)
    MeetingSeries.objects.update(rrule="FREQ=WEEKLY", first_start=NOW + timedelta(hours=1))

    grown_count, grown_created = queries(lambda: meetings_plan_ahead.call(organisation.pk))
    again_count, again_created = queries(lambda: meetings_plan_ahead.call(organisation.pk))

    assert (small_created, grown_created, again_created) == (3 * 5, 30 * 5, 0)
    assert len(small) == 3
    assert grown_count == small_count
    assert again_count <= small_count


def quiet_and_absent(people, organisation, count: int, *, first: int = 0) -> None:
    """Series alternately quiet for eight weeks, and with their beneficiary absent twice."""
    for i, series in enumerate(grow(people, organisation, count, first=first), start=first):
        beneficiary = series.participants.exclude(user=people["mentor"]).get().user
        if i % 2 == 0:
            MeetingSeries.objects.filter(pk=series.pk).update(created_at=NOW - timedelta(weeks=10))
            continue
        for weeks in (3, 2):
            occurrence = occurrence_create(series, NOW - timedelta(weeks=weeks, minutes=i))
            attendance_record(
                occurrence, people["mentor"], Attendance.Status.PRESENT, by=people["mentor"]
            )
            attendance_record(
                occurrence, beneficiary, Attendance.Status.ABSENT, by=people["mentor"]
            )


def test_inactivity_detection_costs_the_same_queries_for_3_and_30_series(
    people, organisation, clock
):
    quiet_and_absent(people, organisation, 3)
    small_count, small_report = queries(lambda: inactivity_detect(organisation_id=organisation.pk))
    Notification.objects.all().delete()
    quiet_and_absent(people, organisation, 27, first=3)

    grown_count, grown_report = queries(lambda: inactivity_detect(organisation_id=organisation.pk))
    again = inactivity_detect(organisation_id=organisation.pk)

    assert (small_report.quiet_series, small_report.absent_participants) == (2, 1)
    assert (grown_report.quiet_series, grown_report.absent_participants) == (15, 15)
    assert grown_count == small_count
    assert again.notifications_created == 0


def test_the_daily_jobs_work_on_the_organisation_they_are_given(people, organisation, clock):
    quiet_and_absent(people, organisation, 2)
    other = member(Role.MENTOR)
    elsewhere = series_create(organiser=other, first_start=NOW - timedelta(weeks=10))
    MeetingSeries.objects.filter(pk=elsewhere.pk).update(created_at=NOW - timedelta(weeks=10))

    only_ours = meetings_inactivity_detect.call(organisation_id=organisation.pk)
    everyone = meetings_inactivity_detect.call()

    assert only_ours["quiet_series"] == 1
    # Run again for every organisation: ours has nothing new, the other one's series is quiet.
    assert everyone["quiet_series"] == 2
    assert Notification.objects.filter(recipient=other).exists()


def _emails_sent_meanwhile() -> None:
    # E-mails go one transaction each (ADR 0002): what is measured here is the in-app batch.
    Notification.objects.filter(channel=Channel.EMAIL).update(
        status=Notification.Status.SENT, sent_at=NOW
    )


def test_delivering_in_app_reminders_costs_the_same_queries_for_3_and_30_series(
    people, organisation, clock
):
    def in_app_delivery() -> tuple[int, int]:
        reminders_plan()
        _emails_sent_meanwhile()
        count, report = queries(lambda: notifications_deliver_due(limit=1000))
        assert report.sent and not (report.failed or report.retry or report.skipped)
        return count, report.sent

    ContentType.objects.get_for_model(Occurrence)
    with_meetings(grow(people, organisation, 3))
    small_count, small_sent = in_app_delivery()
    with_meetings(grow(people, organisation, 27, first=3), first=3)

    grown_count, grown_sent = in_app_delivery()

    assert grown_sent >= 9 * small_sent
    assert grown_count == small_count
    # the agenda reminder counts the agenda when it leaves, as row by row
    sent = Notification.objects.filter(kind=MeetingNotice.AGENDA_REMINDER, channel=Channel.IN_APP)
    assert sent.exclude(status=Notification.Status.SENT).count() == 0


def test_a_crash_in_an_in_app_batch_delivers_none_of_it_and_the_next_run_all_once(
    people, organisation, clock, monkeypatch
):
    with_meetings(grow(people, organisation, 5))
    reminders_plan()
    _emails_sent_meanwhile()
    pending = set(notifications_due(now=NOW).values_list("pk", flat=True))
    bulk_update = Notification.objects.bulk_update

    def killed(rows, fields, **kwargs):
        # The rows are written in the batch's transaction, then the worker dies.
        bulk_update(rows, fields, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Notification.objects, "bulk_update", killed)
    with pytest.raises(KeyboardInterrupt):
        notifications_deliver_due()
    monkeypatch.undo()
    assert len(pending) > 10

    still = Notification.objects.filter(pk__in=pending)
    assert set(still.filter(status=Notification.Status.PENDING, sent_at__isnull=True)) == set(still)
    assert notifications_deliver_due().sent == len(pending)
    assert notifications_deliver_due().handled == 0
    assert still.filter(status=Notification.Status.SENT).count() == len(pending)


def test_plan_ahead_does_one_batch_per_task_at_the_same_cost(
    people, organisation, clock, settings, monkeypatch
):
    # batches of 2 series: 1, 3 and 5 series are 1, 2 and 3 tasks (each queues the next),
    # each task at the same cost
    monkeypatch.setattr(series_services, "PLAN_AHEAD_SERIES_BATCH", 2)
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30
    grow(people, organisation, 1)
    MeetingSeries.objects.update(rrule="FREQ=WEEKLY", first_start=NOW + timedelta(hours=1))
    one, _created = queries(lambda: meetings_plan_ahead.call(organisation.pk))
    Occurrence.objects.all().delete()
    grow(people, organisation, 4, first=1)
    MeetingSeries.objects.update(rrule="FREQ=WEEKLY", first_start=NOW + timedelta(hours=1))

    costs, cursor, created = [], None, 0
    while True:
        with CaptureQueriesContext(connection) as context:
            batch = series_services.series_plan_ahead_batch(
                organisation_id=organisation.pk, after=cursor
            )
        costs.append(len(context.captured_queries))
        created += batch.count
        if batch.after is None:
            break
        cursor = batch.after

    assert costs == [one, one, one]
    assert created == 5 * 5


def test_plan_ahead_stops_a_batch_before_it_writes_too_many_slots(
    people, organisation, clock, settings, monkeypatch
):
    monkeypatch.setattr(series_services, "PLAN_AHEAD_ROWS", 7)
    settings.TISSER_MEETINGS_HORIZON_DAYS = 30
    grow(people, organisation, 3)
    MeetingSeries.objects.update(rrule="FREQ=WEEKLY", first_start=NOW + timedelta(hours=1))

    first = series_services.series_plan_ahead_batch(organisation_id=organisation.pk)

    # five slots a series: the second would make ten, so it starts the next batch
    assert first.count == 5 and first.after is not None
    assert meetings_plan_ahead.call(organisation.pk) == 5  # this task, then the next queued
    assert Occurrence.objects.count() == 15
