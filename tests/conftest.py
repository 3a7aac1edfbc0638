import freezegun
import pytest

from tests.factories import OrganisationFactory, member
from tisser.core.enums import Role


def pytest_configure(config):
    # freezegun replaces every module's reference to the clock, pytest's own timing included:
    # `--durations` then reported frozen tests as lasting 1.77e9 s. Pytest keeps the real clock.
    freezegun.configure(extend_ignore_list=["_pytest"])


@pytest.fixture(autouse=True, scope="session")
def _heavy_engines_loaded_before_any_frozen_clock():
    """CP-SAT imports pandas, whose C extensions crash the interpreter (exit 139) when they
    are first imported under freezegun's fake datetime. The pages import the engines lazily
    (matchcore.peers.exact), so a test file run alone would first import them inside a frozen
    test: load them once, for real, before any test."""
    from ortools.sat.python import cp_model  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached lookups live in the cache: each test starts with an empty one."""
    from django.core.cache import cache

    from tisser.referentiel.context_processors import rome_number_forget

    cache.clear()
    rome_number_forget()
    yield
    cache.clear()
    rome_number_forget()


@pytest.fixture(autouse=True)
def _empty_mentor_pools():
    """Test databases reuse ids after a rollback: a pool cached by an earlier test must not
    be mistaken for this test's."""
    from tisser.mentoring.matching import clear_pool_cache

    clear_pool_cache()
    yield
    clear_pool_cache()


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in French, the default language: a request made in English by an
    earlier test (LocaleMiddleware activates its language for the thread) must not leak."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
