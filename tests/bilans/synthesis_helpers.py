"""Helpers for tests that need a bilan with a document de synthèse (closing a bilan as
completed requires one presented to the beneficiary; these validate it too)."""

from datetime import timedelta
from decimal import Decimal

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


PRELIMINARY = bilans.PreliminaryData(
    request="Se reconvertir après dix ans en comptabilité, sans savoir vers quoi.",
    need="Faire le point sur ses compétences transférables et tester deux pistes.",
    format="mixed",
    individual_hours=Decimal("18"),
    personal_work_hours=Decimal("6"),
    objectives="Un projet professionnel réaliste et un plan d'action daté.",
    plan="Huit entretiens de deux heures, un tous les quinze jours, en partie en visio.",
)


def preliminary_done(bilan: Bilan) -> None:
    """The preliminary record written by the consultant and acknowledged by the person (the
    bilan leaves the preliminary phase only then); nothing when it already is."""
    from tisser.bilans.models import PreliminaryRecord

    record = PreliminaryRecord.objects.filter(bilan=bilan).first()
    if record is None:
        record = bilans.preliminary_record_save(
            consultant=bilan.consultant, bilan=bilan, data=PRELIMINARY, expected_version=0
        )
    if not record.is_acknowledged:
        bilans.preliminary_record_acknowledge(
            beneficiary=bilan.beneficiary, bilan=bilan, expected_version=record.version
        )


def advance_to(bilan: Bilan, phase: Phase) -> Bilan:
    """Take `bilan` (consent given and preliminary record acknowledged on the way) up to
    `phase`, short of closing."""
    if not hasattr(bilan, "consent"):
        bilans.bilan_consent_give(
            beneficiary=bilan.beneficiary, bilan=bilan, text_version=consent.VERSION
        )
    preliminary_done(bilan)
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
    """A synthèse written and presented to the person (the bilan moved to its conclusion
    phase on the way: a synthèse is only submitted then)."""
    document = drafted_synthesis(bilan)
    if bilan.status != Phase.CONCLUSION:
        bilan = advance_to(bilan, Phase.CONCLUSION)
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
