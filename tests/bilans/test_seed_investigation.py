from django.core.management import call_command

from tisser.bilans.models import Achievement, Aspirations, Bilan, Experience, Phase


def test_seed_demo_fills_the_first_beneficiarys_tools_once(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    bilan = Bilan.objects.get(beneficiary__email="camille.roussel@demo.tisser.fr")
    assert bilan.status == Phase.INVESTIGATION
    assert Experience.objects.filter(bilan=bilan).count() == 4
    assert Achievement.objects.filter(bilan=bilan).count() == 2
    assert Aspirations.objects.filter(bilan=bilan).count() == 1
    current = Experience.objects.get(bilan=bilan, title="Assistante de direction")
    assert current.is_current
