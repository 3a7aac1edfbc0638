"""Isolation checks taken outside any bilan go TISSER_ISOLATION_CHECK_RETENTION_MONTHS after
they were taken, never while their person has an open bilan; the checks taken during a bilan
are left to the bilan's own destruction."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.bilans.helpers import open_bilan
from tisser.assessments.models import IsolationCheck
from tisser.bilans.isolation_retention import (
    checks_outside_bilans,
    isolation_checks_retention_apply,
    isolation_checks_retention_apply_task,
)
from tisser.bilans.models import Bilan, Phase
from tisser.core.models import AuditEvent

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime(2024, 1, 10, 10, 0))


def _check(user, organisation, at) -> IsolationCheck:
    check = IsolationCheck.objects.create(
        user=user, organisation=organisation, moment="other", version="v1", answers={"a": 1}
    )
    IsolationCheck.objects.filter(pk=check.pk).update(created_at=at)
    return check


def _bilan(people, opened, closed=None) -> Bilan:
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    Bilan.objects.filter(pk=bilan.pk).update(
        opened_at=opened, closed_at=closed, status=Phase.CLOSED if closed else bilan.status
    )
    return bilan


def test_what_goes_and_what_stays(people, organisation, settings):
    settings.TISSER_ISOLATION_CHECK_RETENTION_MONTHS = 12
    person = people["beneficiary"]
    before = _check(person, organisation, T0)
    _bilan(people, opened=T0 + timedelta(days=30), closed=T0 + timedelta(days=120))
    during = _check(person, organisation, T0 + timedelta(days=60))
    after = _check(person, organisation, T0 + timedelta(days=200))

    assert set(checks_outside_bilans()) == {before, after}

    with freeze_time(T0 + timedelta(days=367)):
        # The bilan ended less than a year ago: its follow-up may still need the checks.
        assert isolation_checks_retention_apply().checks == 0
    with freeze_time(T0 + timedelta(days=120 + 366)):
        assert isolation_checks_retention_apply(dry_run=True).checks == 1
        assert isolation_checks_retention_apply().checks == 1

    remaining = set(IsolationCheck.objects.all())
    # The check before the bilan is past 12 months; the one after is not yet; the one taken
    # during the bilan is the bilan's (destroyed with its documents, not here).
    assert remaining == {during, after}
    event = AuditEvent.objects.get(action="isolation_check.retention_delete")
    assert event.data["deleted"] == 1
    assert "answers" not in str(event.data)

    with freeze_time(T0 + timedelta(days=200 + 366)):
        assert isolation_checks_retention_apply_task.call() == 1
    assert set(IsolationCheck.objects.all()) == {during}


def test_an_open_bilan_keeps_its_person_s_earlier_checks(people, organisation, settings):
    settings.TISSER_ISOLATION_CHECK_RETENTION_MONTHS = 12
    person = people["beneficiary"]
    first = _check(person, organisation, T0)
    _bilan(people, opened=T0 + timedelta(days=300))

    with freeze_time(T0 + timedelta(days=500)):
        assert isolation_checks_retention_apply().checks == 0
    assert IsolationCheck.objects.filter(pk=first.pk).exists()


def test_the_period_is_a_setting(people, organisation, settings):
    person = people["beneficiary"]
    check = _check(person, organisation, T0)
    settings.TISSER_ISOLATION_CHECK_RETENTION_MONTHS = 24

    with freeze_time(T0 + timedelta(days=400)):
        assert isolation_checks_retention_apply().checks == 0
    with freeze_time(T0 + timedelta(days=732)):
        assert isolation_checks_retention_apply().checks == 1
    assert not IsolationCheck.objects.filter(pk=check.pk).exists()
