from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import member
from tests.network.guides_helpers import contact, interview
from tisser.core.enums import Role
from tisser.network.models import InformationalInterview, Stage
from tisser.network.notice_kinds import NetworkNotice
from tisser.network.reminders import REMINDER_WINDOW, network_todos, reminders_plan
from tisser.network.tasks import network_reminders_plan
from tisser.notifications.models import Notification, NotificationPreference

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
FOLLOW_UP = NetworkNotice.NETWORK_FOLLOW_UP
THANK = NetworkNotice.NETWORK_THANK
ASK = NetworkNotice.NETWORK_ASK_REFERRAL


def plan_at(moment):
    with freeze_time(moment):
        return reminders_plan()


def kinds():
    return sorted(Notification.objects.values_list("kind", "channel"))


@pytest.fixture
def owner(people):
    return people["beneficiary"]


def test_no_answer_after_the_follow_up_delay_is_reminded_once_in_app_and_by_email(owner):
    sent = interview(owner, stage=Stage.MESSAGE_SENT, at=START)

    assert plan_at(START + timedelta(days=6)) == 0
    created = plan_at(START + timedelta(days=7, hours=1))
    again = plan_at(START + timedelta(days=8))

    assert (created, again) == (2, 0)
    assert kinds() == [(FOLLOW_UP, "email"), (FOLLOW_UP, "in_app")]
    notification = Notification.objects.get(channel="in_app")
    assert notification.recipient == owner
    assert notification.url == reverse("network:todos")
    assert str(sent.contact) in notification.subject


def test_the_follow_up_delay_is_a_setting(owner, settings):
    settings.TISSER_NETWORK_FOLLOW_UP_DAYS = 3
    interview(owner, stage=Stage.FOLLOWED_UP, at=START)

    assert plan_at(START + timedelta(days=3, hours=1)) == 2


def test_following_up_again_another_day_is_a_new_reminder(owner):
    enquete = interview(owner, stage=Stage.FOLLOWED_UP, at=START)
    plan_at(START + timedelta(days=8))
    InformationalInterview.objects.filter(pk=enquete.pk).update(
        stage_changed_at=START + timedelta(days=9)
    )

    plan_at(START + timedelta(days=17))

    assert Notification.objects.filter(kind=FOLLOW_UP, channel="in_app").count() == 2


def test_email_reminders_follow_the_persons_preference(owner):
    NotificationPreference.objects.create(user=owner, email_reminders=False)
    interview(owner, stage=Stage.INTERVIEW_DONE, at=START)

    plan_at(START + timedelta(days=2, hours=1))

    assert kinds() == [(THANK, "in_app")]


def test_ask_for_a_referral_after_thanking_unless_someone_was_introduced(owner):
    asked = interview(owner, stage=Stage.THANKED, at=START)
    referring = contact(owner, last_name="Dupont")
    interview(owner, stage=Stage.THANKED, at=START, with_contact=referring)
    contact(owner, last_name="Présentée", introduced_by=referring)

    plan_at(START + timedelta(days=3, hours=1))

    rows = Notification.objects.filter(kind=ASK, channel="in_app")
    assert [row.subject for row in rows] == [
        f"{asked.contact} pourrait vous présenter une autre personne"
    ]


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        (Stage.MESSAGE_SENT, InformationalInterview.Outcome.DROPPED),
        (Stage.THANKED, InformationalInterview.Outcome.REFERRAL),
        (Stage.MEETING_SET, InformationalInterview.Outcome.OPEN),
        (Stage.TO_CONTACT, InformationalInterview.Outcome.OPEN),
    ],
)
def test_nothing_is_reminded_when_nothing_is_awaited(owner, stage, outcome):
    interview(owner, stage=stage, outcome=outcome, at=START)

    assert plan_at(START + timedelta(days=10)) == 0


def test_reminders_long_past_are_not_sent_but_stay_in_the_to_do_list(owner):
    interview(owner, stage=Stage.INTERVIEW_DONE, at=START)
    late = START + timedelta(days=2) + REMINDER_WINDOW + timedelta(hours=1)

    assert plan_at(late) == 0
    assert [todo.kind for todo in network_todos(owner, late.date())] == [THANK]


def test_an_inactive_person_gets_no_reminder(owner):
    owner.is_active = False
    owner.save()
    interview(owner, stage=Stage.INTERVIEW_DONE, at=START)

    assert plan_at(START + timedelta(days=3)) == 0


def test_the_daily_task_plans_the_reminders(owner):
    interview(owner, stage=Stage.INTERVIEW_DONE, at=START)
    with freeze_time(START + timedelta(days=3)):
        result = network_reminders_plan.enqueue()
    assert result.return_value == 2


def test_the_to_do_list_holds_the_same_rules_oldest_first(owner, organisation):
    thank = interview(owner, stage=Stage.INTERVIEW_DONE, at=START + timedelta(days=1))
    follow = interview(owner, stage=Stage.MESSAGE_SENT, at=START - timedelta(days=3))
    interview(owner, stage=Stage.MESSAGE_SENT, at=START + timedelta(days=2))  # not yet
    someone_else = member(Role.BENEFICIARY, organisation)
    interview(someone_else, stage=Stage.INTERVIEW_DONE, at=START)

    todos = network_todos(owner, (START + timedelta(days=4)).date())

    # due on the 5th (thank: two days after the 3rd) and the 6th (follow up: a week after)
    assert [(todo.kind, todo.interview) for todo in todos] == [
        (THANK, thank),
        (FOLLOW_UP, follow),
    ]


def test_the_to_do_page_lists_them_in_a_few_queries(client, owner, django_assert_max_num_queries):
    for index in range(5):
        interview(
            owner,
            stage=Stage.INTERVIEW_DONE,
            at=START,
            with_contact=contact(owner, last_name=f"Nom{index}", email=f"n{index}@exemple.fr"),
        )
    client.force_login(owner)
    with freeze_time(START + timedelta(days=5)), django_assert_max_num_queries(10):
        response = client.get(reverse("network:todos"))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("Remercier Nom") == 5
    assert "mailto:n0@exemple.fr" in content
