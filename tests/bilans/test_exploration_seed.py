"""The exploration and projects part of the demo data."""

from django.core.management import call_command

from tests.exploration_helpers import rome_fixture  # noqa: F401 - the "rome" fixture
from tisser.bilans.models import Bilan, Project, ShortlistEntry


def test_without_the_referentiel_the_exploration_demo_is_skipped(db, capsys):
    call_command("seed_demo")

    assert "référentiel ROME non importé" in capsys.readouterr().out
    assert not ShortlistEntry.objects.exists()
    assert not Project.objects.exists()


def test_camille_gets_two_fiches_to_explore_and_a_preferred_project_once(rome, capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    bilan = Bilan.objects.get(beneficiary__email="camille.roussel@demo.tisser.fr")
    assert ShortlistEntry.objects.filter(bilan=bilan).count() == 2
    project = Project.objects.get(bilan=bilan)
    assert project.preferred
    assert project.steps.count() == 3
    assert project.checks.exclude(status="todo").count() == 3
    assert project.targets.count() == 1
    assert "déjà présents" in capsys.readouterr().out
