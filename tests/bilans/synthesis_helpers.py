"""Helpers for tests that need a bilan with a document de synthèse (closing a bilan requires
one validated by the beneficiary)."""

from datetime import timedelta

from django.utils import timezone

from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.models import Bilan, Phase, SynthesisDocument
from tisser.meetings.models import Attendance, MeetingMode, Occurrence

SECTIONS = bilans.SynthesisSections(
    circumstances="Demande de reconversion après dix ans en comptabilité.",
    competences="Rigueur, sens du contact, goût pour la transmission.",
    projects="Devenir formatrice en gestion : VAE puis titre professionnel.",
)


def advance_to(bilan: Bilan, phase: Phase) -> Bilan:
    """Take `bilan` (consent given on the way) up to `phase`, short of closing."""
    if not hasattr(bilan, "consent"):
        bilans.bilan_consent_give(
            beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
        )
    order = [Phase.INVESTIGATION, Phase.CONCLUSION]
    for step in order[: order.index(phase) + 1]:
        bilan.refresh_from_db()
        if bilan.status != step and bilan.next_phase == step:
            bilans.bilan_phase_advance(actor=bilan.consultant, bilan=bilan, to_phase=step)
    bilan.refresh_from_db()
    return bilan


def drafted_synthesis(bilan: Bilan, sections=SECTIONS) -> SynthesisDocument:
    if bilan.status == Phase.PRELIMINARY:
        advance_to(bilan, Phase.INVESTIGATION)
    return bilans.synthesis_save(
        consultant=bilan.consultant, bilan=bilan, sections=sections, expected_version=0
    )


def submitted_synthesis(bilan: Bilan) -> SynthesisDocument:
    document = drafted_synthesis(bilan)
    return bilans.synthesis_submit(
        consultant=bilan.consultant, bilan=bilan, expected_version=document.version
    )


def validated_synthesis(bilan: Bilan) -> SynthesisDocument:
    """A synthèse written, submitted and validated through the services (the PDF task runs
    only if the caller captures on-commit callbacks)."""
    document = submitted_synthesis(bilan)
    return bilans.synthesis_validate(
        beneficiary=bilan.beneficiary, bilan=bilan, expected_version=document.version
    )


def attended_session(bilan: Bilan, *, minutes=90, days_ago=2) -> Occurrence:
    """One past entretien of `bilan`, its attendance confirmed by the beneficiary."""
    series = bilans.bilan_session_plan(
        consultant=bilan.consultant,
        bilan=bilan,
        first_start=timezone.now() + timedelta(days=1),
        duration_minutes=minutes,
        rrule="",
        mode=MeetingMode.ON_SITE,
        location="Bureau 2",
    )
    occurrence = series.occurrences.get()
    start = timezone.now() - timedelta(days=days_ago)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        start=start, end=start + timedelta(minutes=minutes)
    )
    Attendance.objects.create(
        occurrence=occurrence,
        user=bilan.beneficiary,
        status=Attendance.Status.PRESENT,
        recorded_by=bilan.beneficiary,
        confirmed_by_participant_at=start + timedelta(minutes=5),
    )
    occurrence.refresh_from_db()
    return occurrence
