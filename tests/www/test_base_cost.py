"""What every page pays before its own content: middleware, session, context processors and
the base template. Pinned in queries, the same however much the person holds
(bench/throughput.py measures it in requests per second)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.bilans.helpers import advance_to, open_bilan
from tests.fixtures.rome_fixture import FIXTURE
from tests.notifications_web.factories import NotificationFactory
from tests.referentiel.test_import import rome_import
from tisser.bilans.journey import _investigation_steps as investigation_steps
from tisser.bilans.journey import next_steps
from tisser.bilans.models import Phase

# Session, user, memberships, the unread-notifications badge.
SIGNED_IN_BASE = 4

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tisser_test_cache",
    }
}


@pytest.fixture
def database_cache(settings, db):
    """The cache production uses by default: a database table (config.settings.prod)."""
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)


def test_the_public_home_makes_no_query_once_warm(
    client, database_cache, django_assert_num_queries
):
    rome_import(FIXTURE)
    assert "ROME 4.0 version 60" in client.get("/").content.decode()

    # The ROME version of the footer is kept in the process, not read from the cache table.
    with django_assert_num_queries(0):
        response = client.get("/")

    assert "ROME 4.0 version 60" in response.content.decode()


@pytest.mark.parametrize("unread", [3, 30])
def test_the_beneficiary_home_costs_the_base_and_its_consultant(
    client, people, database_cache, django_assert_num_queries, unread
):
    beneficiary = people["beneficiary"]
    NotificationFactory.create_batch(unread, recipient=beneficiary)
    client.force_login(beneficiary)
    client.get(reverse("beneficiary:home"))

    with django_assert_num_queries(SIGNED_IN_BASE + 1):  # + the consultant shown
        response = client.get(reverse("beneficiary:home"))

    assert response.status_code == 200


def test_the_investigation_steps_are_one_query(people, django_assert_num_queries):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), Phase.INVESTIGATION)

    with django_assert_num_queries(1):
        steps = investigation_steps(bilan)

    assert [str(step.label) for step in steps][:2] == [
        "Retracer votre parcours",
        "Raconter une réussite",
    ]
    assert next_steps(bilan, has_consent=True)
