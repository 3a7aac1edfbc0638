from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tisser.accounts.demo import demo_email
from tisser.accounts.models import Membership, Organisation
from tisser.bilans.models import Bilan, BilanSession, EndReason, Outcome, Phase
from tisser.bilans.services import bilan_hours
from tisser.core.enums import Role
from tisser.core.workdays import working_day
from tisser.meetings.models import Attendance, MeetingKind, MeetingSeries, Occurrence
from tisser.meetings.services.series import series_plan_ahead
from tisser.outcomes.demo import COHORT, COHORT_SIZE


def test_seed_demo_creates_the_demo_organisation_once(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    counts = {role: Membership.objects.filter(role=role).count() for role in Role}
    assert counts == {
        # the 12 of the demo and the programme cohort whose bilans ended (issue #17)
        Role.BENEFICIARY: 12 + COHORT_SIZE,
        Role.CONSULTANT: 2,
        Role.MENTOR: 8,
        Role.COORDINATOR: 1,
    }
    # the demo bilan sessions, the entretiens of Camille's bilan, the one recorded afterwards
    # (ADR 0018), those of Élodie's interrupted one, and the entretiens recorded afterwards
    # on Hugo's closed bilan (6) and on the interrupted CPF bilan (3); no peer-group series
    # planned by hand (only the peers app plans one, for a published group); besides, the
    # entretiens of the programme cohort's bilans, one to six each
    cohort = BilanSession.objects.filter(
        bilan__beneficiary__email__in=[demo_email(*name) for name in COHORT]
    )
    assert COHORT_SIZE <= cohort.count() <= 6 * COHORT_SIZE
    assert MeetingSeries.objects.exclude(bilan_session__in=cohort).count() == 13
    assert not MeetingSeries.objects.filter(kind=MeetingKind.PEER_GROUP).exists()
    camille = Bilan.objects.get(beneficiary__email="camille.roussel@demo.tisser.fr")
    hours = bilan_hours(camille)
    assert (hours.effective, hours.planned) == (Decimal("6.75"), 6)
    # Camille signed one entretien; her consultant confirmed two and the one recorded after
    assert (
        Attendance.objects.filter(
            confirmed_by_participant_at__isnull=False, user=camille.beneficiary
        ).count()
        == 1
    )
    assert (
        Attendance.objects.filter(
            confirmed_by_participant_at__isnull=False, user=camille.consultant
        )
        .exclude(occurrence__series__bilan_session__in=cohort)
        .count()
        == 3
    )
    organisation = camille.organisation
    assert (organisation.siret, organisation.nda) == ("81234567600017", "76311234531")
    assert organisation.qualiopi_expires_on > timezone.localdate()
    assert organisation.logo_content_type == "image/png"
    assert camille.preliminary.is_acknowledged
    elodie = Bilan.objects.get(beneficiary__email="elodie.gauthier@demo.tisser.fr")
    assert (elodie.outcome, elodie.end_reason) == (Outcome.INTERRUPTED, EndReason.INTERRUPTION)
    assert elodie.hours_done == 4 and elodie.completion_rate == 22
    hugo = Bilan.objects.get(beneficiary__email="hugo.lambert@demo.tisser.fr")
    assert (hugo.outcome, hugo.hours_done, hugo.completion_rate) == (Outcome.COMPLETED, 18, 100)
    # One way to plan an entretien (ADR 0022): every demo entretien belongs to a bilan and
    # falls on a working day
    entretiens = Occurrence.objects.filter(series__kind=MeetingKind.BILAN_SESSION)
    assert not entretiens.filter(series__bilan_session__isnull=True).exists()
    assert all(working_day(timezone.localdate(o.start)) for o in entretiens)
    assert "23 comptes créés" in first
    assert "0 compte" in second
    assert "tisser-demo-2026" in first


def test_every_demo_bilan_reads_in_order_of_time(db):
    """Consent, then each phase, then the end; no entretien held or still planned after the
    end: the demo records its entretiens in the past, its steps are dated to match."""
    call_command("seed_demo")

    bilans = Bilan.objects.select_related("consent").prefetch_related("transitions")
    assert bilans.count() >= 6
    now = timezone.now()
    for bilan in bilans:
        end = bilan.closed_at or now
        steps = [t.at for t in bilan.transitions.all()]
        assert steps == sorted(steps), bilan
        assert all(bilan.opened_at <= at <= end for at in steps), bilan
        if hasattr(bilan, "consent"):
            assert all(bilan.consent.accepted_at <= at for at in steps), bilan
        if hasattr(bilan, "preliminary") and bilan.preliminary.acknowledged_at and steps:
            assert bilan.preliminary.acknowledged_at <= steps[0], bilan
        entretiens = Occurrence.objects.filter(
            series__kind=MeetingKind.BILAN_SESSION, series__bilan_session__bilan=bilan
        ).exclude(status=Occurrence.Status.CANCELLED)
        attended = entretiens.filter(
            attendances__status=Attendance.Status.PRESENT
        ) | entretiens.filter(attendances__confirmed_by_participant_at__isnull=False)
        assert not attended.filter(start__gt=end).exists(), bilan
        if bilan.closed_at is not None:
            assert not entretiens.filter(start__gt=bilan.closed_at).exists(), bilan
        # Each phase began before (or at) the entretiens held in it.
        to_investigation = [
            t.at for t in bilan.transitions.all() if t.to_phase == Phase.INVESTIGATION
        ]
        held = list(entretiens.filter(end__lte=end).order_by("start"))
        if to_investigation and held:
            assert to_investigation[0] <= held[0].start, bilan
    elodie = Bilan.objects.get(beneficiary__email="elodie.gauthier@demo.tisser.fr")
    camille = Bilan.objects.get(beneficiary__email="camille.roussel@demo.tisser.fr")
    for bilan in (elodie, camille):
        assert bilan.consent.accepted_at < timezone.now() - timedelta(days=7)


def test_the_demo_leaves_the_last_month_of_its_horizon_to_the_daily_job(db):
    # As in an organisme, the open-ended series have slots for the daily job to plan on its
    # first run (a year ahead); seeding again removes nothing more.
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert series_plan_ahead(organisation_id=Organisation.objects.get().pk) > 0
    assert series_plan_ahead(organisation_id=Organisation.objects.get().pk) == 0
