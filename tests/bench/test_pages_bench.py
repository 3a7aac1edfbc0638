"""bench/scale.py grows what it says, at a tiny size; bench/pages.py refuses a database that
holds real people."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pages import Refused, database_check
from bench.scale import BENCH_DOMAIN, Scale, grow, real_users
from tests.factories import member
from tisser.accounts.models import Membership, Organisation, User
from tisser.bilans.models import Bilan, BilanSession
from tisser.core.enums import Role
from tisser.meetings.models import Occurrence
from tisser.mentoring.models import MatchingRound, MentorProfile, Mentorship, RoundProposal
from tisser.network.models import Contact, InformationalInterview
from tisser.notifications.models import Notification
from tisser.peers.models import GroupFormation, PeerGroup, PeerGroupMember

ROOT = Path(__file__).resolve().parents[2]
N = 12


@pytest.fixture
def grown(organisation):
    coordinator = member(Role.COORDINATOR, organisation)
    consultant = member(Role.CONSULTANT, organisation)
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    matching_round = MatchingRound.objects.create(organisation=organisation, created_by=coordinator)
    formation = GroupFormation.objects.create(organisation=organisation, created_by=coordinator)
    before = set(User.objects.values_list("pk", flat=True))
    counts = grow(
        organisation,
        beneficiaries=N,
        coordinator=coordinator,
        heavy_consultant=consultant,
        heavy_beneficiary=beneficiary,
        matching_round=matching_round,
        formation=formation,
    )
    return {
        "counts": counts,
        "scale": Scale.for_beneficiaries(N),
        "before": before,
        "consultant": consultant,
        "beneficiary": beneficiary,
        "round": matching_round,
        "formation": formation,
    }


def test_grow_creates_what_it_says(organisation, grown):
    scale, counts = grown["scale"], grown["counts"]
    other = Organisation.objects.exclude(pk=organisation.pk).get(slug__startswith="banc-")
    new_users = User.objects.exclude(pk__in=grown["before"])
    assert all(user.email.endswith(f"@{BENCH_DOMAIN}") for user in new_users)
    assert not any(user.has_usable_password() for user in new_users)
    assert counts["accounts.User"] == new_users.count()

    beneficiaries = Membership.objects.filter(organisation=organisation, role=Role.BENEFICIARY)
    assert beneficiaries.count() == N + 1
    assert Bilan.objects.filter(organisation=organisation).count() == N
    assert Bilan.objects.filter(organisation=other).count() == scale.other_beneficiaries
    assert counts["bilans.Bilan"] == N + scale.other_beneficiaries
    assert set(Bilan.objects.values_list("status", flat=True)) <= {
        "preliminary",
        "investigation",
        "conclusion",
        "closed",
    }
    # The heavy consultant runs the heavy caseload, as consultant of record.
    assert Bilan.objects.filter(consultant=grown["consultant"]).count() == scale.heavy_caseload
    assert beneficiaries.filter(consultant=grown["consultant"]).count() == scale.heavy_caseload + 1
    # Each grown bilan has its entretiens series and occurrences.
    assert BilanSession.objects.filter(bilan__organisation=organisation).count() == N
    assert (
        Occurrence.objects.filter(series__bilan_session__bilan__organisation=organisation).count()
        == N * scale.meetings
    )
    # Contacts and enquêtes; the heavy beneficiary's contacts.
    assert Contact.objects.filter(owner=grown["beneficiary"]).count() == scale.heavy_contacts
    assert (
        Contact.objects.filter(organisation=organisation).count()
        == N * scale.contacts + scale.heavy_contacts
    )
    assert (
        InformationalInterview.objects.filter(contact__organisation=organisation).count()
        == N * scale.interviews
    )
    assert counts["network.Contact"] == Contact.objects.count()
    # Mentoring: validated mentors, mentorships, the round's proposals.
    assert (
        MentorProfile.objects.filter(status=MentorProfile.Status.VALIDATED).count() == scale.mentors
    )
    assert Mentorship.objects.count() == scale.mentorships
    assert RoundProposal.objects.filter(round=grown["round"]).count() == scale.round_mentees
    # Peers: active groups of 3 to 5, the formation's proposed groups.
    active = PeerGroup.objects.filter(status=PeerGroup.Status.ACTIVE)
    assert active.exists()
    for group in active:
        assert 3 <= group.members.count() <= 5
        assert group.series_id is not None
    proposed = PeerGroupMember.objects.filter(group__formation=grown["formation"])
    assert proposed.exists()
    # Notifications and audit events, for the second organisme too.
    assert Notification.objects.count() == counts["notifications.Notification"]
    assert counts["core.AuditEvent"] == (N + scale.other_beneficiaries) * scale.audit_events
    # Nobody real was added.
    assert set(real_users().values_list("pk", flat=True)) <= grown["before"]


def test_database_check_accepts_demo_and_bench_people(db):
    User.objects.create(email="camille.roussel@demo.tisser.fr")
    User.objects.create(email=f"benef.0@{BENCH_DOMAIN}")
    database_check(i_know=False)


def test_database_check_refuses_a_real_person(db):
    User.objects.create(email="personne@example.org")
    with pytest.raises(Refused, match="real users"):
        database_check(i_know=False)
    database_check(i_know=True)


def test_the_bench_refuses_a_database_with_a_real_user(tmp_path):
    """The script itself: one line on stderr, exit code 2, the database untouched."""
    path = tmp_path / "real.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE accounts_user (id INTEGER PRIMARY KEY, email TEXT)")
        db.execute("INSERT INTO accounts_user (email) VALUES ('vraie.personne@example.org')")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages.py"), "--database-url", f"sqlite:///{path}"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "refused" in done.stderr
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert tables == {"accounts_user"}
