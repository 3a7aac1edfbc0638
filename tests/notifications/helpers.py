"""Meeting data for the notification tests, built with the ORM (the meetings services are not
needed to plan or deliver reminders)."""

from datetime import datetime, timedelta

from tisser.meetings.models import (
    Attendance,
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.notifications.models import NotificationPreference


def series_create(
    *,
    organiser,
    participants=(),
    kind=MeetingKind.PEER_GROUP,
    title="Groupe de pairs du mardi",
    first_start: datetime,
    organisation=None,
) -> MeetingSeries:
    organisation = organisation or organiser.memberships.first().organisation
    series = MeetingSeries.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        created_by=organiser,
        first_start=first_start,
        mode=MeetingMode.VIDEO,
        location="https://visio.example.org/mardi",
    )
    SeriesParticipant.objects.create(
        series=series, user=organiser, role=SeriesParticipant.ParticipantRole.ORGANISER
    )
    for user in participants:
        SeriesParticipant.objects.create(
            series=series, user=user, role=SeriesParticipant.ParticipantRole.PARTICIPANT
        )
    return series


def occurrence_create(series: MeetingSeries, start: datetime, **fields) -> Occurrence:
    fields.setdefault("original_start", start)
    return Occurrence.objects.create(
        series=series,
        start=start,
        end=start + timedelta(hours=1),
        mode=series.mode,
        location=series.location,
        **fields,
    )


def occurrence_move(occurrence: Occurrence, start: datetime) -> Occurrence:
    """What the meetings service does before it calls `occurrence_changed`."""
    occurrence.start = start
    occurrence.end = start + timedelta(hours=1)
    occurrence.sequence += 1
    occurrence.save()
    return occurrence


def attendance_record(occurrence: Occurrence, user, status: str, *, by) -> Attendance:
    return Attendance.objects.create(
        occurrence=occurrence, user=user, status=status, recorded_by=by
    )


def preference_set(user, *, email_reminders=True, daily_digest=False) -> None:
    NotificationPreference.objects.update_or_create(
        user=user,
        defaults={"email_reminders": email_reminders, "daily_digest": daily_digest},
    )
