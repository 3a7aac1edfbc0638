from datetime import timedelta

import pytest

from tests.notifications.conftest import NOW
from tests.notifications.helpers import attendance_record, occurrence_create, series_create
from tisser.meetings.inactivity import inactivity_detect
from tisser.meetings.models import Attendance, MeetingKind, MeetingSeries, Occurrence
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.notifications.models import Channel, Notification

PRESENT, ABSENT, EXCUSED = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)


def age(series, *, weeks):
    """Make the series look created `weeks` weeks ago, first meeting included."""
    then = NOW - timedelta(weeks=weeks)
    MeetingSeries.objects.filter(pk=series.pk).update(created_at=then, first_start=then)


def held(series, start, *, present, absent=(), excused=()):
    occurrence = occurrence_create(series, start)
    organiser = series.created_by
    for users, status in ((present, PRESENT), (absent, ABSENT), (excused, EXCUSED)):
        for user in users:
            attendance_record(occurrence, user, status, by=organiser)
    return occurrence


def nudges():
    return Notification.objects.filter(kind=MeetingNotice.INACTIVITY_NUDGE)


def alerts():
    return Notification.objects.filter(kind=MeetingNotice.INACTIVITY_ALERT)


def test_a_quiet_group_gets_a_gentle_nudge_and_its_helpers_an_alert(group, people):
    # given a peer group that last met 7 weeks ago; a meeting since was cancelled, another
    # left no trace
    age(group, weeks=12)
    held(group, NOW - timedelta(weeks=7), present=[people["mentor"]])
    occurrence_create(group, NOW - timedelta(weeks=4), status=Occurrence.Status.CANCELLED)
    occurrence_create(group, NOW - timedelta(weeks=2))

    # when inactivity is looked for
    report = inactivity_detect()

    # then each participant gets a kind nudge in the app and by e-mail
    assert report.quiet_series == 1
    participants = {p.user_id for p in group.participants.all()}
    assert {(n.recipient_id, n.channel) for n in nudges()} == {
        (user_id, channel) for user_id in participants for channel in Channel.values
    }
    nudge = nudges().get(recipient=people["beneficiary"], channel=Channel.EMAIL)
    assert nudge.subject == "Des nouvelles de «\u00a0Groupe de pairs du mardi\u00a0» ?"
    assert (
        "Cela fait un moment que «\u00a0Groupe de pairs du mardi\u00a0» ne s'est pas retrouvé"
        in nudge.body
    )
    assert nudge.body.startswith("Bonjour")
    # and the coordinator and the consultant who invited the beneficiary get an in-app alert
    assert {(n.recipient_id, n.channel) for n in alerts()} == {
        (people["coordinator"].pk, Channel.IN_APP),
        (people["consultant"].pk, Channel.IN_APP),
    }
    assert "sans rencontre depuis 6 semaines" in alerts().first().subject


@pytest.mark.parametrize(
    "last_meeting",
    [
        {"present": True},
        {"notes": "On a fait le point sur les candidatures."},
    ],
)
def test_a_meeting_held_within_the_period_means_no_nudge(group, people, last_meeting):
    age(group, weeks=12)
    if "notes" in last_meeting:
        occurrence_create(group, NOW - timedelta(weeks=5), notes=last_meeting["notes"])
    else:
        held(group, NOW - timedelta(weeks=5), present=[people["beneficiary"]])

    report = inactivity_detect()

    assert report.quiet_series == 0
    assert not Notification.objects.exists()


def test_a_young_series_is_left_alone(group):
    age(group, weeks=5)

    assert inactivity_detect().notifications_created == 0


def test_bilan_sessions_and_ended_series_are_not_watched(group, people):
    age(group, weeks=12)
    group.ended_at = NOW - timedelta(days=1)
    group.save()
    bilan = series_create(
        organiser=people["consultant"],
        participants=[people["beneficiary"]],
        kind=MeetingKind.BILAN_SESSION,
        first_start=NOW,
    )
    age(bilan, weeks=12)

    assert inactivity_detect().quiet_series == 0
    assert not Notification.objects.exists()


def test_detection_is_idempotent_within_a_period_and_speaks_again_after_another(group, clock):
    age(group, weeks=7)
    first = inactivity_detect().notifications_created

    again = inactivity_detect().notifications_created
    clock.move_to(NOW + timedelta(weeks=3))
    weeks_later = inactivity_detect().notifications_created
    clock.move_to(NOW + timedelta(weeks=5, days=1))
    next_period = inactivity_detect().notifications_created

    assert first == 3 * 2 + 2
    assert (again, weeks_later) == (0, 0)
    assert next_period == first


def test_the_period_is_a_setting(group, settings):
    settings.TISSER_INACTIVITY_WEEKS = 2
    age(group, weeks=3)

    report = inactivity_detect()

    assert report.quiet_series == 1
    assert "depuis 2 semaines" in alerts().first().subject


def test_absent_twice_in_a_row_gets_a_nudge_and_the_organiser_an_alert(group, people):
    # given a beneficiary absent at the last two meetings the others attended
    beneficiary, mentor = people["beneficiary"], people["mentor"]
    age(group, weeks=8)
    held(group, NOW - timedelta(weeks=3), present=[beneficiary, mentor])
    held(group, NOW - timedelta(weeks=2), present=[mentor], absent=[beneficiary])
    held(group, NOW - timedelta(weeks=1), present=[mentor], absent=[beneficiary])

    # when inactivity is looked for
    report = inactivity_detect()

    # then the beneficiary receives a kind word, the organiser and the coordinator an alert
    assert (report.quiet_series, report.absent_participants) == (0, 1)
    assert {(n.recipient_id, n.channel) for n in nudges()} == {
        (beneficiary.pk, Channel.IN_APP),
        (beneficiary.pk, Channel.EMAIL),
    }
    nudge = nudges().get(channel=Channel.IN_APP)
    assert nudge.subject == "On pense à vous : «\u00a0Groupe de pairs du mardi\u00a0»"
    assert "Nous n'avons pas eu le plaisir de vous voir" in nudge.body
    assert {n.recipient_id for n in alerts()} == {mentor.pk, people["coordinator"].pk}
    assert str(beneficiary) in alerts().first().subject
    # and looking again changes nothing
    assert inactivity_detect().notifications_created == 0


@pytest.mark.parametrize(
    ("before_last", "last"),
    [(ABSENT, PRESENT), (PRESENT, ABSENT), (EXCUSED, ABSENT), (ABSENT, EXCUSED)],
)
def test_no_absence_nudge_without_two_absences_in_a_row(group, people, before_last, last):
    beneficiary, mentor = people["beneficiary"], people["mentor"]
    age(group, weeks=8)
    for weeks, status in ((2, before_last), (1, last)):
        occurrence = held(group, NOW - timedelta(weeks=weeks), present=[mentor])
        attendance_record(occurrence, beneficiary, status, by=mentor)

    assert inactivity_detect().absent_participants == 0
    assert not Notification.objects.exists()


def test_old_absences_are_not_brought_up(group, people):
    beneficiary, mentor = people["beneficiary"], people["mentor"]
    age(group, weeks=30)
    held(group, NOW - timedelta(weeks=8), present=[mentor], absent=[beneficiary])
    held(group, NOW - timedelta(weeks=7), present=[mentor], absent=[beneficiary])

    report = inactivity_detect()

    assert report.absent_participants == 0
    assert report.quiet_series == 1
