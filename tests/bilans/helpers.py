"""Bilans in the states the follow-up tests need."""

from datetime import timedelta

from django.utils import timezone

from tests.bilans.synthesis_helpers import preliminary_done, validated_synthesis
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Funding, Phase
from tisser.meetings.models import Attendance, MeetingMode, Occurrence


def open_bilan(consultant, beneficiary) -> Bilan:
    return bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)


def advance_to(bilan: Bilan, phase: Phase) -> Bilan:
    """Consent and the preliminary record, then move the bilan phase by phase up to
    `phase`."""
    bilans.bilan_consent_give(
        beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
    )
    preliminary_done(bilan)
    for step in (Phase.INVESTIGATION, Phase.CONCLUSION, Phase.CLOSED):
        if step == Phase.CLOSED:
            # A bilan closes as completed once its synthèse is presented (here validated too).
            validated_synthesis(bilan)
        bilan = bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=step)
        if step == phase:
            break
    return bilan


def closed_bilan(consultant, beneficiary) -> Bilan:
    return advance_to(open_bilan(consultant, beneficiary), Phase.CLOSED)


def entretiens(bilan: Bilan, *, count: int = 1, minutes: int = 60, days: int = 7):
    """Plan `count` weekly entretiens from `days` days ahead; returns their occurrences."""
    series = bilans.bilan_session_plan(
        consultant=bilan.consultant,
        bilan=bilan,
        first_start=timezone.now() + timedelta(days=days),
        duration_minutes=minutes,
        rrule=f"FREQ=WEEKLY;COUNT={count}" if count > 1 else "",
        mode=MeetingMode.ON_SITE,
        location="Toulouse",
    )
    return list(series.occurrences.order_by("start"))


def held(occurrence: Occurrence, *, days_ago: int = 1, confirmed: bool = True) -> Occurrence:
    """Move `occurrence` into the past and record the beneficiary present (confirmed by
    them: the émargement) — test set-up, as if the time had passed."""
    start = timezone.now() - timedelta(days=days_ago)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=start, end=start + (occurrence.end - occurrence.start)
    )
    bilan = occurrence.series.bilan_session.bilan
    Attendance.objects.create(
        occurrence=occurrence,
        user=bilan.beneficiary,
        status=Attendance.Status.PRESENT,
        recorded_by=bilan.beneficiary if confirmed else bilan.consultant,
        confirmed_by_participant_at=timezone.now() if confirmed else None,
    )
    occurrence.refresh_from_db()
    return occurrence
