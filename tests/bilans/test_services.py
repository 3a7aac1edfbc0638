from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.bilans.synthesis_helpers import preliminary_done, validated_synthesis
from tests.factories import member
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, BilanConsent, Funding, Phase, PhaseTransition
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.meetings.models import Attendance, MeetingKind, MeetingMode, Occurrence


@pytest.fixture
def bilan(people):
    return bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )


def consented(bilan):
    """Consent given and the preliminary record acknowledged: ready to leave the
    preliminary phase."""
    bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )
    preliminary_done(bilan)
    return bilan


def plan(bilan, *, count=1, minutes=60, days=7):
    rrule = f"FREQ=WEEKLY;COUNT={count}" if count > 1 else ""
    return bilans.bilan_session_plan(
        consultant=bilan.consultant,
        bilan=bilan,
        first_start=timezone.now() + timedelta(days=days),
        duration_minutes=minutes,
        rrule=rrule,
        mode=MeetingMode.PHONE,
        location="",
    )


def test_open_starts_in_the_preliminary_phase_and_is_audited(bilan, people):
    assert bilan.status == Phase.PRELIMINARY
    assert bilan.opened_at is not None and bilan.closed_at is None
    assert bilan.organisation == people["consultant"].memberships.get().organisation
    assert AuditEvent.objects.filter(action="bilan.open", target_id=str(bilan.pk)).exists()


def test_one_open_bilan_per_beneficiary(bilan, people):
    with pytest.raises(ValidationError) as error:
        bilans.bilan_open(
            consultant=people["consultant"],
            beneficiary=people["beneficiary"],
            funding=Funding.PERSONAL,
        )
    assert "beneficiary" in error.value.message_dict


def test_a_closed_bilan_lets_a_new_one_open(bilan, people):
    consented(bilan)
    for phase in (Phase.INVESTIGATION, Phase.CONCLUSION):
        bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase=phase)
    validated_synthesis(bilan)
    bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase=Phase.CLOSED)

    again = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.OTHER
    )

    assert again.status == Phase.PRELIMINARY


@pytest.mark.parametrize("role", ["mentor", "coordinator", "beneficiary"])
def test_only_a_consultant_opens_a_bilan(people, role):
    with pytest.raises(PermissionDenied):
        bilans.bilan_open(
            consultant=people[role], beneficiary=people["beneficiary"], funding=Funding.CPF
        )


def test_only_the_inviting_consultant_opens_the_bilan(people, organisation):
    colleague = member(Role.CONSULTANT, organisation)

    with pytest.raises(PermissionDenied):
        bilans.bilan_open(
            consultant=colleague, beneficiary=people["beneficiary"], funding=Funding.CPF
        )


def test_unknown_funding_is_refused(people):
    with pytest.raises(ValidationError):
        bilans.bilan_open(
            consultant=people["consultant"], beneficiary=people["beneficiary"], funding="gift"
        )


def test_consent_keeps_the_text_and_its_version(bilan):
    given = bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )

    assert given.text_version == consent.VERSION
    assert "ni une faute" in given.text
    assert "vous appartiennent" in given.text
    assert given.accepted_by == bilan.beneficiary


def test_consenting_twice_keeps_the_first(bilan):
    first = consented(bilan).consent
    again = bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )
    assert again.pk == first.pk
    assert BilanConsent.objects.count() == 1


@pytest.mark.parametrize("role", ["consultant", "mentor", "coordinator"])
def test_only_the_beneficiary_consents(bilan, people, role):
    with pytest.raises(PermissionDenied):
        bilans.bilan_consent_give(
            beneficiary=people[role], bilan=bilan, text_version=consent.VERSION
        )


def test_consent_to_an_outdated_text_is_refused(bilan):
    with pytest.raises(ValidationError):
        bilans.bilan_consent_give(
            beneficiary=bilan.beneficiary, bilan=bilan, text_version="1999-01"
        )


def test_leaving_the_preliminary_phase_needs_consent(bilan, people):
    with pytest.raises(ValidationError) as error:
        bilans.bilan_phase_advance(
            actor=people["consultant"], bilan=bilan, to_phase=Phase.INVESTIGATION
        )
    assert error.value.code == "consent"
    bilan.refresh_from_db()
    assert bilan.status == Phase.PRELIMINARY


def test_phases_follow_each_other_dated_and_attributed(bilan, people):
    consented(bilan)
    for phase in (Phase.INVESTIGATION, Phase.CONCLUSION):
        bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase=phase)
    validated_synthesis(bilan)
    bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase=Phase.CLOSED)

    steps = list(PhaseTransition.objects.filter(bilan=bilan).values_list("from_phase", "to_phase"))
    assert steps == [
        (Phase.PRELIMINARY, Phase.INVESTIGATION),
        (Phase.INVESTIGATION, Phase.CONCLUSION),
        (Phase.CONCLUSION, Phase.CLOSED),
    ]
    assert all(t.by == people["consultant"] for t in PhaseTransition.objects.all())
    assert bilan.status == Phase.CLOSED and bilan.closed_at is not None
    assert AuditEvent.objects.filter(action="bilan.phase_advance").count() == 2
    assert AuditEvent.objects.filter(action="bilan.end").count() == 1


@pytest.mark.parametrize(
    ("current", "to_phase"),
    [
        (Phase.PRELIMINARY, Phase.CONCLUSION),
        (Phase.PRELIMINARY, Phase.CLOSED),
        (Phase.PRELIMINARY, Phase.PRELIMINARY),
        (Phase.INVESTIGATION, Phase.CLOSED),
        (Phase.INVESTIGATION, Phase.PRELIMINARY),
        (Phase.CONCLUSION, Phase.INVESTIGATION),
    ],
)
def test_no_phase_is_skipped_nor_gone_back_to(bilan, people, current, to_phase):
    consented(bilan)
    Bilan.objects.filter(pk=bilan.pk).update(status=current)
    bilan.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase=to_phase)

    assert error.value.code == "order"
    assert not PhaseTransition.objects.exists()


def test_a_closed_bilan_goes_nowhere(bilan, people):
    consented(bilan)
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CLOSED)
    bilan.refresh_from_db()
    with pytest.raises(ValidationError):
        bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase=Phase.CLOSED)


def test_a_stale_bilan_is_refused(bilan, people):
    consented(bilan)
    stale = Bilan.objects.get(pk=bilan.pk)
    bilans.bilan_phase_advance(actor=people["consultant"], bilan=bilan, to_phase="investigation")

    with pytest.raises(ValidationError) as error:
        bilans.bilan_phase_advance(actor=people["consultant"], bilan=stale, to_phase="conclusion")
    assert error.value.code == "stale"


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "coordinator"])
def test_only_the_consultant_advances_the_phase(bilan, people, role):
    consented(bilan)
    with pytest.raises(PermissionDenied):
        bilans.bilan_phase_advance(actor=people[role], bilan=bilan, to_phase=Phase.INVESTIGATION)


def test_hours_start_at_zero(bilan):
    hours = bilans.bilan_hours(bilan)
    assert (hours.effective, hours.planned, hours.remaining) == (0, 0, 24)
    assert hours.maximum == 24 and hours.minimum == 0


@override_settings(TISSER_BILAN_MIN_HOURS=12)
def test_the_minimum_is_a_setting(bilan):
    assert bilans.bilan_hours(bilan).minimum == 12
    assert bilans.bilan_hours(bilan).below_minimum


def test_planning_creates_bilan_sessions_with_the_beneficiary(bilan):
    series = plan(bilan, count=3, minutes=90)

    assert series.kind == MeetingKind.BILAN_SESSION
    assert set(series.participants.values_list("user", flat=True)) == {
        bilan.consultant_id,
        bilan.beneficiary_id,
    }
    hours = bilans.bilan_hours(bilan)
    assert (hours.effective, hours.planned, hours.remaining) == (0, Decimal("4.5"), Decimal("19.5"))


def test_attended_sessions_are_effective_hours_missed_ones_count_for_nothing(bilan):
    series = plan(bilan, count=3, minutes=60)
    past = timezone.now() - timedelta(days=1)
    attended, missed, _coming = series.occurrences.order_by("start")
    for occurrence in (attended, missed):
        Occurrence.objects.filter(pk=occurrence.pk).update(
            start=past, end=past + timedelta(hours=1)
        )
    Attendance.objects.create(
        occurrence=attended,
        user=bilan.beneficiary,
        status=Attendance.Status.PRESENT,
        recorded_by=bilan.consultant,
    )

    hours = bilans.bilan_hours(bilan)

    assert (hours.effective, hours.planned, hours.remaining) == (1, 1, 22)


def test_the_24_hour_cap_is_reached_exactly(bilan):
    plan(bilan, count=24, minutes=60)

    assert bilans.bilan_hours(bilan).remaining == 0


def test_half_an_hour_past_24_is_refused_with_a_clear_message(bilan):
    plan(bilan, count=23, minutes=60)
    plan(bilan, count=1, minutes=60, days=200)

    with pytest.raises(ValidationError) as error:
        plan(bilan, count=1, minutes=30, days=300)

    assert error.value.messages == [
        "Ce bilan atteindrait 24,5 h : la loi limite un bilan à 24 heures."
    ]
    assert bilan.sessions.count() == 2


def test_a_rule_past_24_hours_is_refused_before_any_meeting_is_created(bilan):
    with pytest.raises(ValidationError):
        plan(bilan, count=49, minutes=30)
    assert not Occurrence.objects.exists()


def test_endless_sessions_are_refused(bilan):
    with pytest.raises(ValidationError):
        bilans.bilan_session_plan(
            consultant=bilan.consultant,
            bilan=bilan,
            first_start=timezone.now() + timedelta(days=1),
            duration_minutes=60,
            rrule="FREQ=WEEKLY",
            mode=MeetingMode.PHONE,
        )


@pytest.mark.parametrize("role", ["beneficiary", "mentor", "coordinator"])
def test_only_the_consultant_plans_sessions(bilan, people, role):
    with pytest.raises(PermissionDenied):
        bilans.bilan_session_plan(
            consultant=people[role],
            bilan=bilan,
            first_start=timezone.now() + timedelta(days=1),
            duration_minutes=60,
            rrule="",
            mode=MeetingMode.PHONE,
        )


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("beneficiary", True),
        ("consultant", True),
        ("coordinator", True),
        ("mentor", False),
    ],
)
def test_visible_to(bilan, people, role, sees):
    assert Bilan.objects.visible_to(people[role]).filter(pk=bilan.pk).exists() is sees


def test_another_organisation_sees_nothing(bilan):
    for role in (Role.BENEFICIARY, Role.CONSULTANT, Role.COORDINATOR):
        assert not Bilan.objects.visible_to(member(role)).exists()
