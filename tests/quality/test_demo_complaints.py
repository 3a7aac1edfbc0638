from django.core.management import call_command

from tisser.quality.models import ActionStatus, Complaint, ImprovementAction


def test_the_demo_has_complaints_and_actions_once(db):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    complaints = Complaint.objects.all()
    assert complaints.count() == 3
    assert complaints.filter(author__email__startswith="camille").exists()
    assert complaints.filter(author__isnull=True, public_relation="employer").exists()
    assert complaints.filter(answered_on__isnull=False).exists()
    assert any(complaint.late for complaint in complaints)
    actions = ImprovementAction.objects.all()
    assert actions.count() == 3
    assert actions.filter(complaint__isnull=False).count() == 2
    assert actions.filter(source="audit").exists()
    assert actions.filter(status=ActionStatus.DONE).exclude(result="").exists()
