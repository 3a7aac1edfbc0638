"""A bilan's last activity is kept on the row (`Bilan.last_activity_at`,
`tisser.bilans.activity`): each kind of activity moves it, it never goes back, and it is
what the lists read again from the sources would say."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.bilans.helpers import entretiens, open_bilan
from tests.factories import OrganisationFactory, member
from tisser.assessments import isolation
from tisser.assessments.services import isolation_check_record
from tisser.bilans.activity import bilan_activity_refresh
from tisser.bilans.caseload import consultant_caseload
from tisser.bilans.models import Bilan
from tisser.core.audit import audit_record
from tisser.core.enums import Role
from tisser.meetings.models import Attendance, Occurrence
from tisser.meetings.services.attendance import attendance_record


def _kept(bilan) -> timezone.datetime:
    return Bilan.objects.get(pk=bilan.pk).last_activity_at


def _recomputed(bilan) -> timezone.datetime:
    bilan_activity_refresh(Bilan.objects.filter(pk=bilan.pk))
    return _kept(bilan)


def test_an_opened_bilan_starts_at_its_opening(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])

    assert bilan.opened_at <= _kept(bilan) < bilan.opened_at + timedelta(seconds=5)
    assert consultant_caseload(people["consultant"])[0].last_activity == _kept(bilan)


def test_an_event_on_the_bilan_moves_it(people, organisation):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    later = timezone.now() + timedelta(days=2)

    with freeze_time(later):
        audit_record(
            actor=people["consultant"], action="bilan.edit", target=bilan, organisation=organisation
        )

    assert _kept(bilan) == later
    assert _recomputed(bilan) == later


def test_the_beneficiarys_own_actions_in_its_organisation_move_it(people, organisation):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    before = _kept(bilan)
    elsewhere = OrganisationFactory()

    with freeze_time(timezone.now() + timedelta(days=1)):
        audit_record(actor=people["beneficiary"], action="tool.read", organisation=elsewhere)
    assert _kept(bilan) == before  # another organisation's log is not this bilan's

    later = timezone.now() + timedelta(days=2)
    with freeze_time(later):
        audit_record(actor=people["beneficiary"], action="tool.read", organisation=organisation)
    assert _kept(bilan) == later
    assert _recomputed(bilan) == later


def test_an_isolation_check_moves_it(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    later = timezone.now() + timedelta(days=3)

    with freeze_time(later):
        isolation_check_record(
            user=people["beneficiary"],
            moment="start",
            answers={item.id: 2 for item in isolation.ITEMS},
        )

    assert _kept(bilan) == later
    assert _recomputed(bilan) == later


def test_an_attendance_recorded_on_an_entretien_moves_it(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    (occurrence,) = entretiens(bilan, count=1, days=1)
    start = timezone.now() - timedelta(hours=2)
    Occurrence.objects.filter(pk=occurrence.pk).update(start=start, end=start + timedelta(hours=1))
    occurrence.refresh_from_db()
    later = timezone.now() + timedelta(minutes=30)

    with freeze_time(later):
        attendance_record(
            actor=people["consultant"],
            occurrence=occurrence,
            user=people["beneficiary"],
            status=Attendance.Status.PRESENT,
        )

    assert _kept(bilan) == later
    assert _recomputed(bilan) == later


def test_it_never_goes_back_and_other_bilans_stay(people, organisation):
    bilan = open_bilan(people["consultant"], people["beneficiary"])
    other = open_bilan(
        people["consultant"],
        member(Role.BENEFICIARY, organisation, invited_by=people["consultant"]),
    )
    other_before = _kept(other)
    later = timezone.now() + timedelta(days=5)
    with freeze_time(later):
        audit_record(actor=people["beneficiary"], action="tool.read", organisation=organisation)

    with freeze_time(timezone.now() + timedelta(days=1)):
        audit_record(
            actor=people["consultant"], action="bilan.read", target=bilan, organisation=organisation
        )

    assert _kept(bilan) == later
    assert _kept(other) == other_before


def test_the_lists_sort_on_it(client, people, organisation):
    consultant = people["consultant"]
    quiet, busy = (
        open_bilan(consultant, member(Role.BENEFICIARY, organisation, invited_by=consultant))
        for _ in range(2)
    )
    with freeze_time(timezone.now() + timedelta(days=1)):
        audit_record(actor=busy.beneficiary, action="tool.read", organisation=organisation)

    client.force_login(consultant)
    page = client.get(reverse("consultant:home"), {"tri": "activite"})
    assert [row.bilan for row in page.context["listing"].rows] == [busy, quiet]
    client.force_login(people["coordinator"])
    page = client.get(reverse("coordinator:bilan_list"), {"tri": "activite"})
    assert [row.bilan for row in page.context["listing"].rows] == [busy, quiet]
