"""Demo CPF dossiers (`seed_demo`): Camille Roussel's open CPF bilan has its dossier with the
entry declared; Hugo Lambert's closed one is fully declared; and a CPF bilan interrupted for
absences after 9 of its 24 hours, ended a few days ago, waits for its exit and service fait to
be declared, so that the coordinator's CPF pages and service-fait export show a partial
line. It ended so that its exit declaration is due on the next working day: the CPF
reminders leave when the demo is seeded. Skipped where a dossier already exists."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from tisser.accounts.models import User
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.demo import preliminary_demo
from tisser.bilans.models import Bilan, CpfDossier, EndReason, Funding, Outcome, Phase
from tisser.bilans.services.cpf import DECLARATION_WORKING_DAYS, cpf_dossier_save
from tisser.bilans.services.emargement import entretien_record_unplanned
from tisser.bilans.services.funding import CPF_FUNDER
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.core.french import elide
from tisser.core.workdays import add_working_days, working_day_on_or_before
from tisser.meetings.models import MeetingMode


def _dossier(bilan: Bilan, actor: User, number: str, *, declared: bool) -> None:
    if CpfDossier.objects.filter(bilan=bilan).exists():
        return
    opened = timezone.localdate(bilan.opened_at)
    closed = timezone.localdate(bilan.closed_at) if bilan.closed_at else None
    today = timezone.localdate()
    exit_declared = closed and min(add_working_days(closed, 2), today) if declared else None
    cpf_dossier_save(
        actor=actor,
        bilan=bilan,
        expected_version=0,
        values={
            "number": number,
            "planned_entry_on": opened,
            "planned_exit_on": opened + timedelta(weeks=10),
            "entry_on": opened,
            "entry_declared_on": min(add_working_days(opened, 1), today),
            "exit_declared_on": exit_declared,
            "service_fait_declared_on": exit_declared,
        },
    )


def _ended_for_a_deadline_tomorrow(today):
    """The latest day before `today` whose exit declaration falls due on the next working day
    (DECLARATION_WORKING_DAYS after it): the CPF reminders of the demo leave on the day it is
    seeded, as they would in an organisme."""
    tomorrow = add_working_days(today, 1)
    day = today - timedelta(days=1)
    while add_working_days(day, DECLARATION_WORKING_DAYS) > tomorrow:
        day -= timedelta(days=1)
    return day


def interrupted_cpf_bilan(people: dict[Role, list[User]]) -> Bilan | None:
    """A CPF bilan interrupted for absences (9 h done out of 24), for the last beneficiary
    but one who has no bilan yet; None when there is none."""
    existing = Bilan.objects.filter(
        funding=Funding.CPF, outcome=Outcome.INTERRUPTED, cpf_dossier__isnull=False
    ).first()
    if existing is not None:
        return existing
    candidates = [
        person
        for person in reversed(people[Role.BENEFICIARY][:-1])
        if not Bilan.objects.filter(beneficiary=person).exists()
    ]
    if not candidates:
        return None
    beneficiary = candidates[0]
    consultant = beneficiary.memberships.get(role=Role.BENEFICIARY).consultant
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    preliminary_demo(bilan)
    bilan.refresh_from_db()
    bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.INVESTIGATION)
    now = timezone.now()
    # Opened forty days ago; three entretiens of three hours held (recorded afterwards, as
    # the bilan began before Tisser), then ended for absences a few days ago: the hours done,
    # the rate and the reason are those the end services freeze, the same on every page. It
    # ended so that its exit is to be declared by the next working day.
    Bilan.objects.filter(pk=bilan.pk).update(
        opened_at=now - timedelta(days=40),
        funder_name=CPF_FUNDER,
        price_euros=Decimal("1800.00"),
    )
    bilan.refresh_from_db()
    for days_ago in (35, 28, 21):
        # On a working day: no demo entretien on a Sunday or a public holiday.
        day = working_day_on_or_before(timezone.localdate(now) - timedelta(days=days_ago))
        entretien_record_unplanned(
            consultant=consultant,
            bilan=bilan,
            start=datetime.combine(day, time(9, 30), tzinfo=ZoneInfo("Europe/Paris")),
            duration_minutes=180,
            mode=MeetingMode.VIDEO,
            reason="Entretien tenu avant l'ouverture du bilan dans Tisser (reprise du dossier).",
        )
    bilan.refresh_from_db()
    bilan = bilans.bilan_end_early(
        consultant=consultant,
        bilan=bilan,
        outcome=Outcome.INTERRUPTED,
        reason=EndReason.ABSENCE,
        ended_on=_ended_for_a_deadline_tomorrow(timezone.localdate(now)),
        note="Trois absences sans nouvelles après le troisième entretien.",
    )
    bilan.refresh_from_db()
    return bilan


@register("bilan_cpf", order=80, after=("bilan_followup", "bilan_sessions"))
def cpf_seed(demo: Demo) -> None:
    people = demo.people
    camille = Bilan.objects.filter(
        beneficiary=people[Role.BENEFICIARY][0], funding=Funding.CPF
    ).first()
    if camille is not None:
        _dossier(camille, camille.consultant, "7845120396", declared=False)
    hugo = Bilan.objects.filter(
        beneficiary=people[Role.BENEFICIARY][-1], funding=Funding.CPF, closed_at__isnull=False
    ).first()
    if hugo is not None:
        _dossier(hugo, hugo.consultant, "7712045831", declared=True)
    interrupted = interrupted_cpf_bilan(people)
    if interrupted is not None:
        _dossier(interrupted, interrupted.consultant, "7903318472", declared=False)
        name = interrupted.beneficiary.get_full_name()
        demo.notes.append(
            f"CPF : le bilan {elide('de', name)}, interrompu (absences, 9 h sur 24), attend la "
            "déclaration de sa sortie et du service fait."
        )
