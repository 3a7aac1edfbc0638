from datetime import timedelta

import pytest
from django.core import mail

from tests.notifications.conftest import NOW
from tests.notifications.helpers import (
    occurrence_create,
    occurrence_move,
    preference_set,
)
from tisser.meetings.models import AgendaItem, Occurrence
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.meetings.reminders import occurrence_changed, reminders_plan
from tisser.notifications.delivery import notifications_deliver_due
from tisser.notifications.models import Channel, Notification
from tisser.notifications.notice_kinds import OutboxNotice

Kind = MeetingNotice
Status = Notification.Status


def rows(**filters):
    return Notification.objects.filter(**filters).order_by("kind", "recipient_id", "channel")


def test_planning_creates_agenda_and_meeting_reminders_in_app_and_by_email(group):
    # given a meeting in three and a half days
    occurrence = occurrence_create(group, NOW + timedelta(days=3, hours=12))

    # when reminders are planned
    created = reminders_plan()

    # then each of the 3 participants gets the three reminders (agenda, meeting, notes) on both
    # channels
    assert created == 3 * 3 * 2
    agenda = rows(kind=Kind.AGENDA_REMINDER)
    meeting = rows(kind=Kind.MEETING_REMINDER)
    assert {n.scheduled_for for n in agenda} == {occurrence.start - timedelta(days=3)}
    assert {n.scheduled_for for n in meeting} == {occurrence.start - timedelta(hours=24)}
    assert {n.channel for n in agenda} == {Channel.IN_APP, Channel.EMAIL}
    assert all(n.occurrence_start == occurrence.start for n in agenda)
    assert agenda[0].idempotency_key.startswith(f"agenda:{occurrence.pk}:20260305T2000")


@pytest.mark.parametrize(
    ("start", "kinds"),
    [
        (NOW + timedelta(days=4, minutes=1), set()),  # beyond the horizon
        (NOW + timedelta(days=4), {Kind.AGENDA_REMINDER, Kind.MEETING_REMINDER}),
        # the notes reminder is planned ahead once the end is within the horizon
        (
            NOW + timedelta(days=3),
            {Kind.AGENDA_REMINDER, Kind.MEETING_REMINDER, Kind.NOTES_REMINDER},
        ),
        # within 24 h: no "prepare the agenda" arriving together with the meeting reminder
        (NOW + timedelta(hours=20), {Kind.MEETING_REMINDER, Kind.NOTES_REMINDER}),
        (NOW - timedelta(minutes=5), {Kind.NOTES_REMINDER}),  # started: notes only
        (NOW - timedelta(days=2, hours=2), set()),  # ended more than 2 days ago
    ],
)
def test_planning_window(group, start, kinds):
    occurrence_create(group, start)

    reminders_plan()

    assert set(Notification.objects.values_list("kind", flat=True)) == kinds


def test_nothing_is_planned_for_cancelled_occurrences_or_ended_series(group):
    occurrence_create(group, NOW + timedelta(days=2), status=Occurrence.Status.CANCELLED)
    other = occurrence_create(group, NOW + timedelta(days=3))
    group.ended_at = NOW - timedelta(days=1)
    group.save()

    assert reminders_plan() == 0
    assert not Notification.objects.filter(occurrence=other).exists()


def test_planning_twice_creates_nothing_more(group):
    occurrence_create(group, NOW + timedelta(days=2))
    first = reminders_plan()

    second = reminders_plan()

    assert first > 0
    assert second == 0
    assert Notification.objects.count() == first


def test_email_reminders_off_gives_in_app_reminders_only(group, people):
    beneficiary = people["beneficiary"]
    preference_set(beneficiary, email_reminders=False)
    occurrence_create(group, NOW + timedelta(days=2))

    reminders_plan()

    assert set(rows(recipient=beneficiary).values_list("channel", flat=True)) == {Channel.IN_APP}
    assert rows(channel=Channel.EMAIL).exclude(recipient=beneficiary).exists()


def test_notes_reminder_after_the_meeting_while_notes_are_empty(group, clock):
    occurrence = occurrence_create(group, NOW - timedelta(hours=2))
    written_up = occurrence_create(group, NOW - timedelta(hours=3), notes="On a bien avancé.")

    reminders_plan()

    notes = rows(kind=Kind.NOTES_REMINDER)
    assert notes.count() == 6
    assert {n.occurrence_id for n in notes} == {occurrence.pk}
    assert {n.scheduled_for for n in notes} == {occurrence.end + timedelta(hours=1)}
    assert not Notification.objects.filter(occurrence=written_up).exists()


def test_notes_reminder_is_cancelled_once_notes_are_written(group, clock):
    occurrence = occurrence_create(group, NOW - timedelta(hours=1))
    reminders_plan()
    occurrence.notes = "Décisions : chacun contacte deux personnes de son réseau."
    occurrence.save()

    clock.move_to(occurrence.end + timedelta(hours=1))
    report = notifications_deliver_due()

    assert report.cancelled == 6
    assert report.sent == 0
    assert mail.outbox == []


def test_agenda_reminder_counts_the_agenda_when_it_leaves(group, people, clock):
    occurrence = occurrence_create(group, NOW + timedelta(days=3, hours=2))
    reminders_plan()
    for text in ("Préparer un entretien réseau", "Relire les CV"):
        AgendaItem.objects.create(
            occurrence=occurrence, author=people["mentor"], kind="topic", text=text
        )

    clock.move_to(occurrence.start - timedelta(days=3))
    notifications_deliver_due()

    assert len(mail.outbox) == 3
    assert "L'ordre du jour compte pour l'instant 2 points." in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Préparez l'ordre du jour : Groupe de pairs du mardi")
    in_app = rows(kind=Kind.AGENDA_REMINDER, channel=Channel.IN_APP, status=Status.SENT)
    assert in_app.count() == 3
    assert "2 points" in in_app[0].body
    assert "Bonjour" not in in_app[0].body


def test_digest_folds_the_email_reminders_of_a_day_into_one_email(group, people, clock):
    # given a person who chose the daily digest, and two meetings on Wednesday
    beneficiary = people["beneficiary"]
    preference_set(beneficiary, daily_digest=True)
    first = occurrence_create(group, NOW + timedelta(days=2, hours=2))  # Wed 11:00
    occurrence_create(
        group, NOW + timedelta(days=2, hours=6), original_start=first.start + timedelta(hours=1)
    )

    # when reminders are planned
    reminders_plan()

    # then that person has no e-mail reminder of their own but one digest per day: Monday
    # (prepare the agendas, due at once), Tuesday (the meetings), Wednesday (the notes)
    mine = rows(recipient=beneficiary, channel=Channel.EMAIL).order_by("scheduled_for")
    assert [n.idempotency_key for n in mine] == [
        f"digest:{beneficiary.pk}:2026-03-02",
        f"digest:{beneficiary.pk}:2026-03-03",
        f"digest:{beneficiary.pk}:2026-03-04",
    ]
    assert mine[1].scheduled_for == NOW.replace(day=3, hour=7)
    assert rows(recipient=beneficiary, channel=Channel.IN_APP).count() == 6

    # when Tuesday's digest leaves
    notifications_deliver_due()
    clock.move_to(NOW.replace(day=3, hour=7))
    mail.outbox.clear()
    notifications_deliver_due()

    # then the person gets one e-mail listing both meetings
    to_beneficiary = [m for m in mail.outbox if m.to == [beneficiary.email]]
    assert len(to_beneficiary) == 1
    assert to_beneficiary[0].subject == "Vos rappels Tisser du mardi 3 mars"
    assert to_beneficiary[0].body.count("Rappel : Groupe de pairs du mardi, mercredi 4 mars") == 2
    # while the others get one e-mail per reminder, at its time
    clock.move_to(NOW.replace(day=3, hour=16))
    notifications_deliver_due()
    assert len(mail.outbox) == 1 + 2 * 2


def test_a_reminder_planned_after_its_digest_left_is_emailed_on_its_own(group, people, clock):
    beneficiary = people["beneficiary"]
    preference_set(beneficiary, daily_digest=True)
    occurrence_create(group, NOW + timedelta(days=1, hours=2))
    reminders_plan()
    clock.move_to(NOW.replace(hour=10))
    notifications_deliver_due()
    assert (
        rows(recipient=beneficiary, kind=OutboxNotice.DAILY_DIGEST, status=Status.SENT).count() == 1
    )

    # a meeting tomorrow at 14:00 is added at 10:00: its agenda (now) and meeting (14:00)
    # reminders belong to today's digest, which has left
    late = occurrence_create(group, NOW + timedelta(days=1, hours=5))
    reminders_plan()

    emailed = rows(recipient=beneficiary, occurrence=late, channel=Channel.EMAIL)
    assert set(emailed.values_list("kind", flat=True)) == {
        Kind.AGENDA_REMINDER,
        Kind.MEETING_REMINDER,
    }
    # while its notes reminder, tomorrow, waits in tomorrow's digest
    assert (
        rows(recipient=beneficiary, kind=OutboxNotice.DAILY_DIGEST, status=Status.PENDING).count()
        == 1
    )


def test_moving_an_occurrence_cancels_its_old_reminders_and_plans_new_ones(
    group, people, django_capture_on_commit_callbacks
):
    # given reminders planned for a meeting on Thursday
    mentor, beneficiary = people["mentor"], people["beneficiary"]
    occurrence = occurrence_create(group, NOW + timedelta(days=3, hours=1))
    reminders_plan()
    old = set(Notification.objects.values_list("pk", flat=True))

    # when the organiser moves it to Friday
    with django_capture_on_commit_callbacks(execute=True):
        occurrence_move(occurrence, NOW + timedelta(days=4))
        occurrence_changed(occurrence=occurrence, actor=mentor, change="moved")

    # then the old reminders will never go out, new ones exist for the new time
    assert set(rows(pk__in=old).values_list("status", flat=True)) == {Status.CANCELLED}
    new = rows(kind=Kind.MEETING_REMINDER, status=Status.PENDING)
    assert new.count() == 6
    assert {n.scheduled_for for n in new} == {occurrence.start - timedelta(hours=24)}
    # and the other participants were told at once, in the app and by e-mail, not the organiser
    notices = rows(kind=Kind.MEETING_CHANGED)
    assert notices.count() == 4
    assert set(notices.values_list("status", flat=True)) == {Status.SENT}
    assert mentor.pk not in notices.values_list("recipient_id", flat=True)
    notice = next(m for m in mail.outbox if m.to == [beneficiary.email])
    assert notice.subject == (
        "Rencontre déplacée : Groupe de pairs du mardi, désormais vendredi 6 mars à 09:00"
    )
    assert "prévue jeudi 5 mars à 10:00 a été déplacée" in notice.body
    # and planning again changes nothing
    assert reminders_plan() == 0


def test_a_moved_occurrence_gets_no_reminder_at_its_old_time_even_unannounced(group, clock):
    occurrence = occurrence_create(group, NOW + timedelta(days=2))
    reminders_plan()
    occurrence_move(occurrence, NOW + timedelta(days=9))  # occurrence_changed not called

    clock.move_to(NOW + timedelta(days=1))
    report = notifications_deliver_due()

    assert report.sent == 0
    assert report.cancelled == 12  # agenda and meeting reminders, in the app and by e-mail
    assert mail.outbox == []


def test_a_cancelled_occurrence_sends_the_notice_and_no_reminder(
    group, people, clock, django_capture_on_commit_callbacks
):
    occurrence = occurrence_create(group, NOW + timedelta(days=2))
    reminders_plan()

    with django_capture_on_commit_callbacks(execute=True):
        occurrence.status = Occurrence.Status.CANCELLED
        occurrence.sequence += 1
        occurrence.save()
        occurrence_changed(occurrence=occurrence, actor=people["mentor"], change="cancelled")
    clock.move_to(occurrence.start - timedelta(hours=1))
    notifications_deliver_due()

    assert {m.subject for m in mail.outbox} == {
        "Rencontre annulée : Groupe de pairs du mardi, mercredi 4 mars à 09:00"
    }
    assert len(mail.outbox) == 2
    reminders = rows(occurrence=occurrence, kind__in=[Kind.AGENDA_REMINDER, Kind.MEETING_REMINDER])
    assert set(reminders.values_list("status", flat=True)) == {Status.CANCELLED}


def test_each_change_is_announced_once(group, people, django_capture_on_commit_callbacks):
    occurrence = occurrence_create(group, NOW + timedelta(days=3))
    occurrence_move(occurrence, NOW + timedelta(days=5))

    with django_capture_on_commit_callbacks(execute=True):
        occurrence_changed(occurrence=occurrence, actor=people["mentor"], change="moved")
        occurrence_changed(occurrence=occurrence, actor=people["mentor"], change="moved")

    assert rows(kind=Kind.MEETING_CHANGED).count() == 4
    assert len(mail.outbox) == 2


@pytest.fixture
def entretien(people, clock):
    """A bilan's entretien, titled with its beneficiary's name for the consultant."""
    from tests.notifications.helpers import series_create
    from tisser.meetings.models import MeetingKind

    beneficiary = people["beneficiary"]
    return series_create(
        organiser=people["consultant"],
        participants=[beneficiary],
        kind=MeetingKind.BILAN_SESSION,
        title=f"Entretien de bilan — {beneficiary}",
        first_start=NOW,
    )


def test_a_beneficiary_never_reads_her_own_name_in_her_entretien_reminders(people, entretien):
    # given an entretien in three days and a half, its reminders planned
    occurrence = occurrence_create(entretien, NOW + timedelta(days=3, hours=12))
    reminders_plan()
    beneficiary, consultant = people["beneficiary"], people["consultant"]
    name = str(beneficiary)

    # then she reads « Entretien de bilan », her consultant the title with her name
    hers = rows(recipient=beneficiary)
    assert hers and all(name not in n.subject and name not in n.body for n in hers)
    assert all("Entretien de bilan" in n.subject for n in hers)
    assert all(name in n.subject for n in rows(recipient=consultant))

    # and so do the texts rewritten when they leave, and the notice of a move
    notifications_deliver_due(now=occurrence.start - timedelta(days=3))
    occurrence_move(occurrence, occurrence.start + timedelta(hours=2))
    occurrence_changed(occurrence=occurrence, actor=consultant, change="moved")
    hers = rows(recipient=beneficiary)
    assert rows(recipient=beneficiary, kind=Kind.MEETING_CHANGED).exists()
    assert all(name not in n.subject and name not in n.body for n in hers)
