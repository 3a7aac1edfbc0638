"""What every page pays before its own content: middleware, session, context processors and
the base template, and what a beneficiary's ordinary pages add to it. Pinned in queries, the
same however much the person holds (bench/throughput.py measures it in requests per second;
ADR 0030)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.bilans.helpers import advance_to, entretiens, held, open_bilan
from tests.fixtures.rome_fixture import FIXTURE
from tests.network.helpers import a_contact
from tests.notifications_web.factories import NotificationFactory
from tests.referentiel.test_import import rome_import
from tisser.bilans.journey import _investigation_steps as investigation_steps
from tisser.bilans.journey import next_steps
from tisser.bilans.models import Phase
from tisser.network import services as network

# Session, user, memberships (with their organisation and the beneficiary's consultant), the
# unread-notifications badge.
SIGNED_IN_BASE = 4
# "Mon bilan" in investigation: the bilan (with its consent, synthèse and preliminary
# record), its transitions, who opened it, its hours, its next entretien, the agreements that
# keep documents, and what the beneficiary has done (nine EXISTS, the start's isolation check
# among them). Neither the CPF card, the final downloads nor the count of entretiens to come:
# the consultant's page shows them, not this one.
MY_BILAN = 7
# Mon réseau: the contacts' and the enquêtes' counts, the open enquêtes (five columns), the
# ones shown, the sharing, the duplicates' count, mentorships, peer groups.
MY_NETWORK = 8
# Her story on her home (tisser.outcomes.story), before any bilan: her bilans, her checks,
# her network's history (three) with its referral chains and snapshots, her mentorships,
# groups, commitments kept and help (no meeting yet: not read). It does not grow with what
# she holds (tests/www/test_story_pages.py).
STORY_BEFORE_ANY_BILAN = 11

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
def test_the_beneficiary_home_costs_the_base_only(
    client, people, database_cache, django_assert_num_queries, unread
):
    beneficiary = people["beneficiary"]
    NotificationFactory.create_batch(unread, recipient=beneficiary)
    client.force_login(beneficiary)
    client.get(reverse("beneficiary:home"))

    # The consultant shown comes with the membership.
    with django_assert_num_queries(SIGNED_IN_BASE + STORY_BEFORE_ANY_BILAN):
        response = client.get(reverse("beneficiary:home"))

    assert response.status_code == 200
    assert people["consultant"].email in response.content.decode()
    assert f'aria-hidden="true">{unread}</span>' in response.content.decode()


@pytest.mark.parametrize("unread", [3, 30])
def test_the_notification_centre_counts_the_unread_once(
    client, people, database_cache, django_assert_num_queries, unread
):
    beneficiary = people["beneficiary"]
    NotificationFactory.create_batch(unread, recipient=beneficiary)
    client.force_login(beneficiary)
    client.get(reverse("notifications:list"))

    # the inbox's two figures (all, unread) in one query, which the badge reuses instead of
    # its own count, and the page's rows
    with django_assert_num_queries(SIGNED_IN_BASE + 1) as context:
        response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    sqls = [query["sql"] for query in context.captured_queries]
    unread_counts = [sql for sql in sqls if "COUNT" in sql and "read_at" in sql]
    assert len(unread_counts) == 1
    assert f'aria-hidden="true">{unread}</span>' in response.content.decode()


def test_my_bilan_costs_the_same_small_or_grown(client, people, django_assert_num_queries):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), Phase.INVESTIGATION)
    client.force_login(people["beneficiary"])
    client.get(reverse("bilans:mine"))
    entretiens(bilan, count=1, days=2)

    with django_assert_num_queries(SIGNED_IN_BASE + MY_BILAN):
        small = client.get(reverse("bilans:mine"))

    for days_ago, occurrence in enumerate(entretiens(bilan, count=6, days=30)[:3], start=1):
        held(occurrence, days_ago=days_ago)
    NotificationFactory.create_batch(20, recipient=people["beneficiary"])
    with django_assert_num_queries(SIGNED_IN_BASE + MY_BILAN):
        grown = client.get(reverse("bilans:mine"))

    assert small.status_code == grown.status_code == 200
    assert "Retracer votre parcours" in grown.content.decode()


def test_my_network_costs_the_same_small_or_grown(client, people, django_assert_num_queries):
    owner = people["beneficiary"]
    client.force_login(owner)
    network.interview_start(owner=owner, contact=a_contact(owner, first_name="Anne"))
    client.get(reverse("network:home"))

    with django_assert_num_queries(SIGNED_IN_BASE + MY_NETWORK):
        small = client.get(reverse("network:home"))

    for index in range(12):
        contact = a_contact(owner, first_name=f"Contact {index}")
        network.interview_start(owner=owner, contact=contact)
    with django_assert_num_queries(SIGNED_IN_BASE + MY_NETWORK):
        grown = client.get(reverse("network:home"))

    assert small.status_code == grown.status_code == 200
    assert "Contact 1" in grown.content.decode()


def test_the_investigation_steps_are_one_query(people, django_assert_num_queries):
    bilan = advance_to(open_bilan(people["consultant"], people["beneficiary"]), Phase.INVESTIGATION)

    with django_assert_num_queries(1):
        steps = investigation_steps(bilan)

    assert [str(step.label) for step in steps][:2] == [
        "Retracer votre parcours",
        "Raconter une réussite",
    ]
    assert next_steps(bilan, has_consent=True)


def test_production_reads_each_template_once_per_process():
    """The cached template loader: production's settings name no loaders, so Django wraps
    the filesystem and app loaders in it (an explicit `loaders` list would lose it)."""
    from django.template import engines

    from config.settings import base

    assert "loaders" not in base.TEMPLATES[0]["OPTIONS"]
    (loader,) = engines["django"].engine.template_loaders
    assert type(loader).__module__ == "django.template.loaders.cached"
