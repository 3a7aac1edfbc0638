from django.core.management import call_command

from tisser.accounts.models import Membership
from tisser.core.enums import Role
from tisser.meetings.models import MeetingSeries


def test_seed_demo_creates_the_demo_organisation_once(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    counts = {role: Membership.objects.filter(role=role).count() for role in Role}
    assert counts == {
        Role.BENEFICIARY: 12,
        Role.CONSULTANT: 2,
        Role.MENTOR: 8,
        Role.COORDINATOR: 1,
    }
    assert MeetingSeries.objects.count() == 2
    assert "23 compte(s) créé(s)" in first
    assert "0 compte(s) créé(s)" in second
    assert "tisser-demo-2026" in first
