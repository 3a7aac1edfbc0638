from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from tests.bilans.helpers import closed_bilan
from tests.bilans.test_satisfaction import full_answers
from tisser.assessments import isolation
from tisser.assessments.services import isolation_check_record
from tisser.bilans import services as bilans
from tisser.bilans.followup import REMINDER_WINDOW, SATISFACTION_END_DELAY, followup_reminders_plan
from tisser.bilans.models import SatisfactionMoment
from tisser.bilans.notice_kinds import BilanNotice
from tisser.bilans.tasks import bilans_followup_remind
from tisser.notifications.models import Notification, NotificationPreference

SATISFACTION = BilanNotice.SATISFACTION_REMINDER
ISOLATION = BilanNotice.ISOLATION_CHECK_REMINDER


@pytest.fixture
def bilan(people):
    return closed_bilan(people["consultant"], people["beneficiary"])


def sent(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("kind", "idempotency_key"))


def keys(kind):
    return {key.split(":")[1] for _kind, key in sent(kind)}


def plan_at(moment):
    with freeze_time(moment):
        return followup_reminders_plan()


def test_at_the_end_the_isolation_check_is_reminded_once_in_app_and_by_email(bilan):
    created = plan_at(bilan.closed_at + timedelta(hours=1))
    again = plan_at(bilan.closed_at + timedelta(hours=2))

    assert created == 2 and again == 0
    assert keys(ISOLATION) == {"end"}
    assert {n.channel for n in Notification.objects.filter(kind=ISOLATION)} == {"in_app", "email"}
    assert keys(SATISFACTION) == set()


def test_the_end_satisfaction_is_reminded_after_a_few_days_when_unanswered(bilan):
    plan_at(bilan.closed_at + SATISFACTION_END_DELAY - timedelta(hours=1))
    assert keys(SATISFACTION) == set()

    plan_at(bilan.closed_at + SATISFACTION_END_DELAY + timedelta(hours=1))
    plan_at(bilan.closed_at + SATISFACTION_END_DELAY + timedelta(days=2))

    assert Notification.objects.filter(kind=SATISFACTION).count() == 2  # in app + e-mail
    assert keys(SATISFACTION) == {"end"}
    notification = Notification.objects.filter(kind=SATISFACTION).first()
    assert notification.url == f"/bilans/{bilan.pk}/satisfaction/fin/"
    assert notification.recipient == bilan.beneficiary


def test_an_answered_questionnaire_is_not_reminded(bilan):
    bilans.satisfaction_respond(
        beneficiary=bilan.beneficiary,
        bilan=bilan,
        moment=SatisfactionMoment.END,
        answers=full_answers(),
    )

    plan_at(bilan.closed_at + SATISFACTION_END_DELAY + timedelta(days=1))

    assert keys(SATISFACTION) == set()


def test_isolation_reminders_at_three_and_six_months_and_satisfaction_at_six(bilan):
    plan_at(bilan.closed_at + relativedelta(months=3) + timedelta(hours=1))
    assert keys(ISOLATION) == {"plus_3_months"}  # the end one is past its window

    plan_at(bilan.closed_at + relativedelta(months=6) + timedelta(hours=1))

    assert keys(ISOLATION) == {"plus_3_months", "plus_6_months"}
    assert keys(SATISFACTION) == {"plus_6_months"}


def test_a_check_already_taken_for_that_moment_is_not_reminded(bilan):
    with freeze_time(bilan.closed_at + timedelta(minutes=5)):
        isolation_check_record(
            user=bilan.beneficiary,
            moment="end",
            answers={item.id: 2 for item in isolation.ITEMS},
        )

    plan_at(bilan.closed_at + timedelta(hours=1))

    assert keys(ISOLATION) == set()


def test_moments_long_past_are_not_reminded(bilan):
    created = plan_at(bilan.closed_at + relativedelta(months=6) + REMINDER_WINDOW + timedelta(1))

    assert created == 0


def test_a_person_without_email_reminders_gets_them_in_the_app_only(bilan):
    NotificationPreference.objects.create(user=bilan.beneficiary, email_reminders=False)

    plan_at(bilan.closed_at + timedelta(hours=1))

    assert {n.channel for n in Notification.objects.filter(kind=ISOLATION)} == {"in_app"}


def test_an_open_bilan_gets_no_reminder(people):
    from tests.bilans.helpers import open_bilan

    open_bilan(people["consultant"], people["beneficiary"])

    assert followup_reminders_plan() == 0


def test_the_daily_task_plans_them(bilan):
    with freeze_time(bilan.closed_at + timedelta(hours=1)):
        bilans_followup_remind.enqueue()

    assert keys(ISOLATION) == {"end"}
