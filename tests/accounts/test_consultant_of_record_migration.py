"""The data migration that names each beneficiary's consultant of record (ADR 0021)."""

import importlib

from django.apps import apps

from tests.factories import member
from tisser.accounts.models import Membership
from tisser.core.enums import Role

migration = importlib.import_module(
    "tisser.accounts.migrations.0005_membership_consultant_of_record"
)


def test_the_inviting_consultant_of_the_same_organisation_becomes_the_consultant(people):
    organisation = people["consultant"].memberships.get().organisation
    by_coordinator = member(Role.BENEFICIARY, organisation, invited_by=people["coordinator"])
    elsewhere = member(Role.CONSULTANT)
    invited_elsewhere = member(Role.BENEFICIARY, organisation, invited_by=elsewhere)
    Membership.objects.update(consultant=None)

    migration.consultant_from_inviter(apps, None)

    def consultant_of(user):
        return Membership.objects.get(user=user, role=Role.BENEFICIARY).consultant

    assert consultant_of(people["beneficiary"]) == people["consultant"]
    assert consultant_of(by_coordinator) is None
    assert consultant_of(invited_elsewhere) is None
    assert not Membership.objects.exclude(role=Role.BENEFICIARY).filter(consultant__isnull=False)
