import pytest

from tests.factories import OrganisationFactory, member
from tisser.core.enums import Role


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached lookups live in the cache: each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def people(organisation):
    """One person per role in the same organisation; the beneficiary was invited by the
    consultant."""
    consultant = member(Role.CONSULTANT, organisation)
    return {
        "beneficiary": member(Role.BENEFICIARY, organisation, invited_by=consultant),
        "consultant": consultant,
        "mentor": member(Role.MENTOR, organisation),
        "coordinator": member(Role.COORDINATOR, organisation),
    }
