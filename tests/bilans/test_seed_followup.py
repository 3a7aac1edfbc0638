from django.core.management import call_command
from django.utils import timezone

from tisser.bilans.caseload import Criteria, Status, consultant_caseload
from tisser.bilans.models import (
    Bilan,
    FinalDownload,
    FollowUp,
    Outcome,
    Phase,
    SatisfactionResponse,
)


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


def test_the_interrupted_demo_bilan_had_its_results_taken_the_day_it_ended(db):
    # Its documents go the day after the end (R6313-7): the demo's person is not one who lost
    # them, and her consultant's page says when she took them.
    call_command("seed_demo")

    bilan = Bilan.objects.get(outcome=Outcome.INTERRUPTED, beneficiary__first_name="Élodie")
    (download,) = bilan.final_downloads.all()
    assert download.kind == FinalDownload.Kind.RESULTS
    assert timezone.localdate(download.at) == timezone.localdate(bilan.closed_at)
