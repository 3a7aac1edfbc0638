from django.core.management import call_command

from tisser.bilans.cpf_reminders import cpf_reminders_plan
from tisser.bilans.models import Bilan, CpfDossier, Funding, Outcome
from tisser.bilans.services import cpf


def test_the_demo_has_cpf_dossiers_and_an_interrupted_cpf_bilan(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out

    camille = Bilan.objects.get(beneficiary__email="camille.roussel@demo.tisser.fr")
    assert camille.funding == Funding.CPF
    assert CpfDossier.objects.get(bilan=camille).entry_declared_on is not None
    interrupted = Bilan.objects.get(
        funding=Funding.CPF, outcome=Outcome.INTERRUPTED, cpf_dossier__isnull=False
    )
    fait = cpf.cpf_summary(interrupted).service_fait
    assert (fait.partial, fait.rate, fait.hours_not_done) == (True, 50, 9)
    assert CpfDossier.objects.count() == 3
    assert "CPF : le bilan de" in out
    # its exit is to be declared by the next working day: the reminders leave on seeding day
    exit_deadline = cpf.cpf_summary(interrupted).deadlines[1]
    assert exit_deadline.working_days_left == 1
    assert cpf_reminders_plan() > 0
