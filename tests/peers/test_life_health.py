"""The coordination's health overview (figures only) and the daily nudges."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.peers.helpers import peer_group
from tisser.core.enums import Role
from tisser.meetings.models import AgendaItem, Attendance, Occurrence
from tisser.notifications.models import Notification
from tisser.peers import services
from tisser.peers.health import health_rows
from tisser.peers.models import Commitment, Contribution, HelpKind, PeerGroup, PeerGroupMember
from tisser.peers.notice_kinds import PeerNotice
from tisser.peers.nudges import nudges_plan
from tisser.peers.periods import period_of
from tisser.peers.tasks import peers_nudges_plan


def group_of(organisation, n=3, **kwargs):
    users = [member(Role.BENEFICIARY, organisation) for _ in range(n)]
    return peer_group(organisation, users, **kwargs), users


def quiet(group, days: int) -> None:
    moment = timezone.now() - timedelta(days=days)
    PeerGroup.objects.filter(pk=group.pk).update(last_activity_at=moment, published_at=moment)


# -- health -------------------------------------------------------------------------------------


def test_health_counts_members_meetings_attendance_and_kept_commitments(organisation):
    group, (ana, bea, cleo) = group_of(organisation)
    PeerGroupMember.objects.filter(group=group, user=cleo).update(
        status=PeerGroupMember.Status.LEFT
    )
    first, second, *later = list(group.series.occurrences.order_by("start"))
    past = timezone.now() - timedelta(days=3)
    Occurrence.objects.filter(pk=first.pk).update(start=past - timedelta(days=14), end=past)
    Occurrence.objects.filter(pk=second.pk).update(start=past, end=past + timedelta(hours=1))
    for user, status in ((ana, "present"), (bea, "absent")):
        Attendance.objects.create(occurrence=first, user=user, status=status, recorded_by=ana)
    for user, outcome in ((ana, "done"), (bea, "partial"), (bea, "")):
        commitment = services.commitment_add(actor=user, group=group, text="secret")
        if outcome:
            services.commitment_check_in(actor=user, commitment=commitment, outcome=outcome)

    (row,) = health_rows(organisation)

    assert row.members == 2
    assert (row.held, row.planned) == (2, len(later))
    assert row.attendance_percent == 50
    # Two people's check-ins: never shown (it was 75 %, Ana's and Béa's outcomes).
    assert row.kept_percent is None and row.kept_withheld
    assert not row.fading
    assert not hasattr(row, "text")


def test_health_counts_only_published_groups_not_those_still_in_review(
    client, organisation, people
):
    active, _users = group_of(organisation, name="Les Boussoles")
    group_of(organisation, name="Les Tisserands", active=False)  # proposed, under review
    client.force_login(people["coordinator"])

    page = " ".join(client.get(reverse("peers:health")).content.decode().split())

    assert [row.group.pk for row in health_rows(organisation)] == [active.pk]
    assert '<span class="figure">1</span> groupe actif' in page
    assert "Les Boussoles" in page and "Les Tisserands" not in page and "Proposé" not in page


def test_kept_commitments_show_from_five_people_to_the_nearest_ten_percent(
    client, people, organisation
):
    group, users = group_of(organisation, n=5)
    outcomes = ["done", "done", "partial", "not_done"]
    for user, outcome in zip(users[:4], outcomes, strict=True):
        commitment = services.commitment_add(actor=user, group=group, text="secret")
        services.commitment_check_in(actor=user, commitment=commitment, outcome=outcome)
    client.force_login(people["coordinator"])

    (row,) = health_rows(organisation)
    assert row.kept_percent is None and row.kept_withheld
    assert "Masqué : moins de 5 personnes" in client.get(reverse("peers:health")).content.decode()

    commitment = services.commitment_add(actor=users[4], group=group, text="secret")
    services.commitment_check_in(actor=users[4], commitment=commitment, outcome="done")

    (row,) = health_rows(organisation)
    assert row.kept_percent == 70  # 3.5 of 5
    assert not row.kept_withheld


def test_health_flags_a_group_silent_for_30_days_and_an_agenda_item_is_activity(organisation):
    silent, _u = group_of(organisation, name="Silencieux")
    lively, (ana, *_rest) = group_of(organisation, name="Vivant")
    quiet(silent, 31)
    quiet(lively, 31)
    AgendaItem.objects.create(
        occurrence=lively.series.occurrences.first(), author=ana, kind="question", text="?"
    )

    flags = {row.group.name: row.fading for row in health_rows(organisation)}

    assert flags == {"Silencieux": True, "Vivant": False}


def test_health_takes_a_bounded_number_of_queries(organisation, django_assert_max_num_queries):
    for n in range(5):
        group, users = group_of(organisation, name=f"Groupe {n}")
        services.commitment_add(actor=users[0], group=group, text="Un pas")

    with django_assert_max_num_queries(1):
        rows = health_rows(organisation)

    assert len(rows) == 5


def test_the_health_page_shows_no_texts(client, people, organisation):
    group, (ana, bea, _c) = group_of(organisation)
    services.commitment_add(actor=ana, group=group, text="Mon engagement secret")
    services.contribution_record(
        actor=ana, group=group, other=bea, gave=True, kind=HelpKind.TIME, description="Aide secrète"
    )
    client.force_login(people["coordinator"])

    response = client.get(reverse("peers:health"))

    page = response.content.decode()
    assert response.status_code == 200 and group.name in page
    assert "secret" not in page and "secrète" not in page


def test_the_health_page_says_meetings_held_in_real_french_plurals(client, people, organisation):
    group, _users = group_of(organisation)
    client.force_login(people["coordinator"])
    occurrences = list(group.series.occurrences.order_by("start"))
    planned = len(occurrences) - 1

    def hold(occurrence, days_ago):
        end = timezone.now() - timedelta(days=days_ago)
        Occurrence.objects.filter(pk=occurrence.pk).update(start=end - timedelta(hours=1), end=end)

    hold(occurrences[0], 10)
    page = " ".join(client.get(reverse("peers:health")).content.decode().split())
    assert f"1 tenue / {planned} à venir" in page

    hold(occurrences[1], 3)
    page = " ".join(client.get(reverse("peers:health")).content.decode().split())
    assert f"2 tenues / {planned - 1} à venir" in page
    assert "(s)" not in page


# -- nudges -------------------------------------------------------------------------------------


def at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=9)))


def test_the_day_before_the_period_ends_open_commitments_are_nudged_once(organisation):
    group, (ana, bea, _cleo) = group_of(organisation)
    period = period_of(group.rhythm, timezone.localdate())
    services.commitment_add(actor=ana, group=group, text="Ouvert", today=period.start)
    checked = services.commitment_add(actor=bea, group=group, text="Fait", today=period.start)
    services.commitment_check_in(actor=bea, commitment=checked, outcome="done")

    early = nudges_plan(now=at(period.end - timedelta(days=2)))
    first = nudges_plan(now=at(period.end - timedelta(days=1)))
    second = nudges_plan(now=at(period.end))

    nudged = Notification.objects.filter(kind=PeerNotice.PEER_COMMITMENT_NUDGE)
    assert early["commitments"] == 0
    assert first["commitments"] == nudged.count() > 0 and second["commitments"] == 0
    assert {n.recipient_id for n in nudged} == {ana.pk}
    assert "Ouvert" not in nudged.first().body
    assert Commitment.objects.get(user=ana).reminded_at is not None


def test_a_member_who_only_gives_after_4_contributions_is_nudged_once_a_month(organisation):
    group, (ana, bea, cleo) = group_of(organisation)
    for other in (bea, cleo, bea):
        services.contribution_record(actor=ana, group=group, other=other, gave=True, kind="time")
    assert nudges_plan()["reciprocity"] == 0

    services.contribution_record(actor=ana, group=group, other=cleo, gave=True, kind="resource")
    now = timezone.now()
    first = nudges_plan(now=now)
    again = nudges_plan(now=now)
    next_month = nudges_plan(now=now + timedelta(days=32))

    nudges = Notification.objects.filter(kind=PeerNotice.PEER_RECIPROCITY_NUDGE)
    assert first["reciprocity"] > 0 and again["reciprocity"] == 0 and next_month["reciprocity"] > 0
    assert {n.recipient_id for n in nudges} == {ana.pk}
    assert "demander" in nudges.first().body
    # Béa and Cléo only received, but 2 contributions each: below the threshold
    assert Contribution.objects.filter(receiver=bea).count() == 2


def test_a_silent_group_alerts_its_coordinators_once_per_silence(organisation, people):
    group, (_ana, *_rest) = group_of(organisation)
    elsewhere = member(Role.COORDINATOR)
    quiet(group, 31)

    peers_nudges_plan.enqueue()
    again = nudges_plan()

    alerts = Notification.objects.filter(kind=PeerNotice.PEER_GROUP_FADING)
    assert again["fading"] == 0
    assert people["coordinator"].pk in {n.recipient_id for n in alerts}
    assert elsewhere.pk not in {n.recipient_id for n in alerts}
    count = alerts.count()

    # some activity after the first silence began, then a new silence: a new alert
    PeerGroup.objects.filter(pk=group.pk).update(
        last_activity_at=timezone.now() - timedelta(days=30, hours=1)
    )
    assert nudges_plan()["fading"] > 0
    assert alerts.all().count() > count
