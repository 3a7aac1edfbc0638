from django.core.management import call_command

from tisser.accounts.models import User
from tisser.assessments import riasec
from tisser.assessments.models import InventoryResponse
from tisser.assessments.services import interest_profile_latest, values_profile_latest


def test_seed_demo_gives_two_beneficiaries_their_inventories_once(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    assert "4 inventaires remplis" in first
    assert "0 inventaire" in second
    assert InventoryResponse.objects.count() == 4
    camille = User.objects.get(email="camille.roussel@demo.tisser.fr")
    thomas = User.objects.get(email="thomas.garnier@demo.tisser.fr")
    assert riasec.code(interest_profile_latest(user=camille)) == "SA"
    assert riasec.code(interest_profile_latest(user=thomas)) == "RC"
    assert [v for v, _ in values_profile_latest(user=camille)[:2]] == ["service", "balance"]
    assert values_profile_latest(user=thomas)[0][0] == "security"
