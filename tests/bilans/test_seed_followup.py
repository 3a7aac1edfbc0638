from django.core.management import call_command

from tisser.bilans.caseload import Criteria, Status, consultant_caseload
from tisser.bilans.models import Bilan, FollowUp, Phase, SatisfactionResponse


def test_seed_demo_has_a_closed_bilan_with_satisfaction_and_a_proposed_followup(db):
    call_command("seed_demo")
    call_command("seed_demo")

    bilan = Bilan.objects.get(status=Phase.CLOSED, beneficiary__email__startswith="hugo.")
    assert SatisfactionResponse.objects.filter(bilan=bilan, moment="end").count() == 1
    assert FollowUp.objects.get(bilan=bilan).status == FollowUp.Status.PROPOSED
    # its consultant finds it among their ended bilans, with its follow-up interview due
    ended = consultant_caseload(bilan.consultant, criteria=Criteria(status=Status.ENDED))
    (row,) = [row for row in ended if row.bilan == bilan]
    assert "Entretien de suivi proposé" in [str(due.label) for due in row.due]
