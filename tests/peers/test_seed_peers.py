"""The demo's peer groups: ten preferences of the autumn cohort, ready for a formation that
gives two or three groups and leaves one person out with a reason; running the seed twice
adds nothing; without the ROME référentiel the demo says it skipped them."""

from io import StringIO

from django.core.management import call_command

from tests.fixtures.rome_fixture import FIXTURE
from tisser.accounts.models import User
from tisser.peers import formation as adapter
from tisser.peers.demo import COHORT
from tisser.peers.models import PeerProfile


def test_the_demo_gives_a_cohort_ready_for_a_formation(db):
    call_command("import_rome", str(FIXTURE), verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    profiles = list(PeerProfile.objects.filter(cohort=COHORT).prefetch_related("sectors"))
    assert len(profiles) == 10
    camille = User.objects.get(email="camille.roussel@demo.tisser.fr")
    assert any(profile.user_id == camille.pk for profile in profiles)
    assert [p.avoid_isolation for p in profiles if p.attribute].count(True) == 1
    assert sum(1 for p in profiles if p.attribute) == 2
    assert all(p.seeking and p.introduction for p in profiles)

    result = adapter.formation_compute(profiles)

    assert 2 <= len(result.groups) <= 3
    assert camille.pk in {user_id for group in result.groups for user_id in group.members}
    assert len(result.unplaced) == 1 and result.unplaced[0].reason


def test_without_the_referentiel_the_demo_skips_peer_groups(db):
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "Groupes de pairs : référentiel ROME non importé" in out.getvalue()
    assert not PeerProfile.objects.exists()
