"""Demo CPF dossiers (`seed_demo`): Camille Roussel's open CPF bilan has its dossier with the
entry declared; Hugo Lambert's closed one is fully declared; and a CPF bilan interrupted for
absences after 9 of its 24 hours, ended two days ago, waits for its exit and service fait to
be declared, so that the coordinator's CPF pages and service-fait export show a partial
line. Skipped where a dossier already exists."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tisser.accounts.models import User
from tisser.bilans import consent
from tisser.bilans import services as bilans
from tisser.bilans.demo import preliminary_demo
from tisser.bilans.models import Bilan, CpfDossier, EndReason, Funding, Outcome, Phase
from tisser.bilans.services.cpf import cpf_dossier_save
from tisser.core.demo import Demo, register
from tisser.core.enums import Role
from tisser.core.workdays import add_working_days


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
    consultant = beneficiary.memberships.get(role=Role.BENEFICIARY).invited_by
    bilan = bilans.bilan_open(consultant=consultant, beneficiary=beneficiary, funding=Funding.CPF)
    bilans.bilan_consent_give(beneficiary=beneficiary, bilan=bilan, text_version=consent.VERSION)
    preliminary_demo(bilan)
    bilan.refresh_from_db()
    bilan = bilans.bilan_phase_advance(actor=consultant, bilan=bilan, to_phase=Phase.INVESTIGATION)
    now = timezone.now()
    # Ended directly here: the demo needs an interrupted bilan whatever the end services
    # offer; the figures are those an interruption freezes.
    Bilan.objects.filter(pk=bilan.pk).update(
        opened_at=now - timedelta(days=40),
        status=Phase.CLOSED,
        closed_at=now - timedelta(days=2),
        outcome=Outcome.INTERRUPTED,
        end_reason=EndReason.ABSENCE,
        hours_done=Decimal("9"),
        planned_hours=Decimal("24"),
        funder_name="Caisse des Dépôts (CPF)",
        price_euros=Decimal("1800.00"),
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
            f"CPF : le bilan de {name}, interrompu (absences, 9 h sur 24), attend la "
            "déclaration de sa sortie et du service fait."
        )
