"""Pages whose query count grew, or that read whole lists, between the demo's size and a
network of organismes (issue #16, ADR 0030): each reads the same number of queries for a
small fixture as for a grown one. No timing here: `bench/pages.py` prints the times."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.bilans.helpers import closed_bilan, open_bilan
from tests.factories import member
from tests.network.guides_helpers import contact
from tests.network.test_network_scale import many_contacts, with_enquetes
from tests.notifications_web.factories import NotificationFactory
from tisser.accounts.models import Membership
from tisser.assessments.models import IsolationCheck
from tisser.bilans.models import Aspirations, Bilan
from tisser.bilans.services.departure import person_departure_preview
from tisser.core.enums import Role
from tisser.core.personal_data import departures
from tisser.network.models import Contact
from tisser.notifications.models import Notification
from tisser.www.coordinator import cpf as cpf_views
from tisser.www.coordinator import views as coordinator_views
from tisser.www.network import contacts_forms, graph_views

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    """The queries of a request for `path`, after a first one (a session's first request
    reads more)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200
    return len(captured)


# -- a person who leaves: the confirmation page counts, it does not delete ------------------


def _rich(person, coordinator, consultant, contacts: int):
    """A leaving beneficiary with a closed bilan, checks, contacts with enquêtes and a
    referral chain, and notifications."""
    bilan = closed_bilan(consultant, person)
    Aspirations.objects.create(bilan=bilan, mobility="Lyon", constraints="Pas de nuit")
    IsolationCheck.objects.create(
        user=person, organisation=bilan.organisation, moment="end", version="v1"
    )
    made = many_contacts(person, contacts)
    with_enquetes(made[: contacts // 2])
    first = contact(person, "Durand", email="ines@example.org")
    Contact.objects.filter(pk__in=[c.pk for c in made[:3]]).update(introduced_by=first)
    for _ in range(contacts // 3):
        NotificationFactory(recipient=person)
    return bilan


def _erase_reports(person) -> list[int]:
    """What each departure's eraser reports, in a transaction rolled back."""
    from django.db import transaction

    class Rollback(Exception):
        pass

    reports: list[int] = []
    try:
        with transaction.atomic():
            reports = [sum(d.erase(user=person).values()) for d in departures()]
            raise Rollback
    except Rollback:
        pass
    return reports


def test_the_preview_counts_exactly_what_the_erasers_report(people):
    person = people["beneficiary"]
    _rich(person, people["coordinator"], people["consultant"], contacts=12)
    membership = person.memberships.get()

    preview = person_departure_preview(coordinator=people["coordinator"], membership=membership)

    assert [line.count for line in preview.lines] == _erase_reports(person)
    assert sum(line.count for line in preview.lines) > 12
    assert Contact.objects.filter(owner=person).count() == 13  # nothing deleted


def test_every_departure_says_what_it_removes():
    assert all(departure.goings is not None for departure in departures())


def test_the_departure_page_reads_a_constant_number_of_queries(client, people, organisation):
    client.force_login(people["coordinator"])
    small = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    grown = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
    _rich(small, people["coordinator"], people["consultant"], contacts=3)
    _rich(grown, people["coordinator"], people["consultant"], contacts=60)

    def path(person):
        membership = Membership.objects.get(user=person)
        return reverse("coordinator:departure_erase", args=[membership.pk])

    assert queries(client, path(small)) == queries(client, path(grown))


# -- the inbox: an empty one reads its page too ----------------------------------------------


def test_the_inbox_reads_as_many_queries_empty_as_full(client, people):
    person = people["beneficiary"]
    client.force_login(person)
    path = reverse("notifications:list")
    empty = queries(client, path)

    for _ in range(40):
        NotificationFactory(recipient=person)
    read = Notification.objects.filter(recipient=person).values_list("pk", flat=True)[:5]
    Notification.objects.filter(pk__in=list(read)).update(read_at=timezone.now())
    response = client.get(path)
    full = queries(client, path)

    assert empty == full
    assert response.context["unread_count"] == 35
    assert "35 notifications non lues" in response.content.decode()


# -- the network map: the same queries below and beyond the threshold -------------------------


def test_the_map_reads_the_same_queries_drawn_whole_or_in_groups(client, people, monkeypatch):
    monkeypatch.setattr(graph_views, "CLUSTER_THRESHOLD", 5)
    person = people["beneficiary"]
    client.force_login(person)
    path = reverse("network:graph")
    with_enquetes(many_contacts(person, 3))
    whole = client.get(path)
    drawn = queries(client, path)

    with_enquetes(many_contacts(person, 20, start=3)[:10])
    grouped = client.get(path)

    assert whole.context["drawing"] is not None and whole.context["map_of_groups"] is None
    assert grouped.context["map_of_groups"] is not None
    assert queries(client, path) == drawn
    # a small network lists its groups too, and one opens
    assert whole.context["groups"] and not whole.context["grouped"]
    assert "Ouvrez un groupe pour ne voir que ses contacts" in whole.content.decode()


# -- the contact form: a bounded choice of who introduced the person -------------------------


def test_the_contact_form_offers_a_bounded_choice_and_a_search(client, people, monkeypatch):
    monkeypatch.setattr(contacts_forms, "INTRODUCER_CHOICES", 5)
    person = people["beneficiary"]
    client.force_login(person)
    path = reverse("network:contact_create")
    many_contacts(person, 3)
    few = queries(client, path)
    many_contacts(person, 30, start=3)

    response = client.get(path)
    options = response.context["form"].fields["introduced_by"].widget.choices

    assert queries(client, path) == few
    assert len(options) == 1 + 5  # "— Personne —" and five contacts
    assert "cherchez un nom ou une structure" in response.content.decode()
    found = client.post(path, {"introducer_search": "1", "introduced_by_q": "0031"})
    assert [label for _pk, label in found.context["form"].fields["introduced_by"].widget.choices][
        1:
    ] == ["Nom 0031"]


def test_a_contact_beyond_the_choices_can_still_be_chosen(client, people, monkeypatch):
    monkeypatch.setattr(contacts_forms, "INTRODUCER_CHOICES", 5)
    person = people["beneficiary"]
    client.force_login(person)
    made = many_contacts(person, 12)
    far = made[-1]

    response = client.post(
        reverse("network:contact_create"),
        {
            "first_name": "Inès",
            "last_name": "Durand",
            "how_known": "introduced",
            "introduced_by": far.pk,
            "version": 1,
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert Contact.objects.get(last_name="Durand").introduced_by == far
    shown = client.get(reverse("network:contact_create"), {"presente_par": far.pk})
    choices = shown.context["form"].fields["introduced_by"].widget.choices
    assert far.pk in [pk for pk, _label in choices]


def test_someone_else_s_contact_is_refused_as_introducer(client, people):
    person = people["beneficiary"]
    stranger = member(Role.BENEFICIARY)
    theirs = many_contacts(stranger, 1)[0]
    client.force_login(person)

    response = client.post(
        reverse("network:contact_create"),
        {
            "last_name": "Durand",
            "how_known": "introduced",
            "introduced_by": theirs.pk,
            "version": 1,
        },
    )

    assert response.status_code == 400
    assert not Contact.objects.filter(owner=person, last_name="Durand").exists()


# -- the coordinator's home and CPF dossiers ---------------------------------------------------


def test_the_coordinator_s_home_pages_its_team(client, people, organisation, monkeypatch):
    monkeypatch.setattr(coordinator_views, "TEAM_PER_PAGE", 5)
    client.force_login(people["coordinator"])
    path = reverse("coordinator:home")
    few = queries(client, path)
    for _ in range(12):
        member(Role.MENTOR, organisation)

    response = client.get(path)

    assert queries(client, path) == few
    assert len(response.context["team_page"].object_list) == 5
    assert "equipe=2#equipe" in response.content.decode()


def test_the_cpf_dossiers_read_a_constant_number_of_queries(
    client, people, organisation, monkeypatch
):
    monkeypatch.setattr(cpf_views, "PER_PAGE", 3)
    client.force_login(people["coordinator"])
    path = reverse("coordinator:cpf")
    open_bilan(people["consultant"], people["beneficiary"])
    few = queries(client, path)
    for _ in range(8):
        person = member(Role.BENEFICIARY, organisation, invited_by=people["consultant"])
        bilan = open_bilan(people["consultant"], person)
        Bilan.objects.filter(pk=bilan.pk).update(opened_at=timezone.now() - timedelta(days=9))

    response = client.get(path)

    assert queries(client, path) == few
    assert len(response.context["page_obj"].object_list) == 3
    assert response.context["overdue"] == 8 and response.context["to_do"] == 9
    # the overdue come first
    assert all(summary.overdue for summary in response.context["page_obj"].object_list)
