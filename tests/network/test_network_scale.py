"""The network at the size of a heavy user (issue #16): the map draws groups beyond a
threshold, the table alternative and the lists page through, and every page reads the same
number of queries for a few contacts as for many."""

import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.network.network_rows import add_interview, metier
from tisser.core.personal_data import personal_data_export
from tisser.network.metrics import network_history
from tisser.network.models import (
    STAGE_ORDER,
    Contact,
    HowKnown,
    InformationalInterview,
    NetworkSharing,
    Stage,
    StageEvent,
)
from tisser.www.network import graph_views

GRAPH = reverse("network:graph")


def many_contacts(owner, count: int, start: int = 0, **fields) -> list[Contact]:
    organisation = owner.memberships.get().organisation
    return Contact.objects.bulk_create(
        Contact(
            owner=owner,
            organisation=organisation,
            last_name=f"Nom {start + index:04d}",
            how_known=HowKnown.LINKEDIN,
            **fields,
        )
        for index in range(count)
    )


def with_enquetes(contacts, stage=Stage.MESSAGE_SENT):
    now = timezone.now()
    interviews = InformationalInterview.objects.bulk_create(
        InformationalInterview(
            owner=contact.owner, contact=contact, stage=stage, stage_changed_at=now
        )
        for contact in contacts
    )
    StageEvent.objects.bulk_create(
        StageEvent(interview=interview, stage=stage, at=now) for interview in interviews
    )


def queries(client, path) -> int:
    """The queries of a request for `path`, after a first one (a session's first request
    reads more)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200
        if response.streaming:
            response.getvalue()
    return len(captured)


@pytest.fixture
def beneficiary(people):
    return people["beneficiary"]


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(graph_views, "CLUSTER_THRESHOLD", 5)


def test_beyond_the_threshold_the_map_draws_groups_by_sector(client, beneficiary, small_threshold):
    many_contacts(beneficiary, 3, metier=metier())
    many_contacts(beneficiary, 2, start=3, sector="Santé")
    many_contacts(beneficiary, 2, start=5, sector=" santé ")
    many_contacts(beneficiary, 1, start=7)
    client.force_login(beneficiary)

    response = client.get(GRAPH)

    assert response.context["drawing"] is None
    groups = response.context["groups"]
    assert [(group["label"], group["count"]) for group in groups] == [
        ("Santé", 4),
        ("Systèmes d'information et de télécommunication", 3),
        ("Secteur non renseigné", 1),
    ]
    drawn = response.context["map_of_groups"]
    assert [node.count for node in drawn.nodes] == [4, 3, 1]
    page = response.content.decode()
    assert "regroupés ici en 3 groupes par secteur" in page
    assert "?groupes=secteur&amp;ouvrir=s%3Asant%C3%A9" in page
    # the table alternative still lists every contact, a page at a time
    assert len(response.context["rows"]) == 8


def test_a_group_opens_on_the_map_and_in_the_table(client, beneficiary, small_threshold):
    many_contacts(beneficiary, 3, metier=metier())
    many_contacts(beneficiary, 4, start=3, sector="Santé")
    client.force_login(beneficiary)

    response = client.get(GRAPH, {"groupes": "secteur", "ouvrir": "s:santé"})

    assert response.context["opened"]["count"] == 4
    assert len(response.context["drawing"].nodes) == 4
    assert [row.contact.last_name for row in response.context["rows"]] == [
        "Nom 0003",
        "Nom 0004",
        "Nom 0005",
        "Nom 0006",
    ]
    assert "Groupe ouvert : « Santé », 4 contacts." in response.content.decode()


def test_the_map_groups_by_the_most_advanced_stage(client, beneficiary, small_threshold):
    contacts = many_contacts(beneficiary, 7)
    with_enquetes(contacts[:2], Stage.MESSAGE_SENT)
    with_enquetes(contacts[1:3], Stage.INTERVIEW_DONE)  # the second: done wins
    client.force_login(beneficiary)

    response = client.get(GRAPH, {"groupes": "etape"})

    assert [(group["key"], group["count"]) for group in response.context["groups"]] == [
        ("", 4),
        (Stage.MESSAGE_SENT.value, 1),
        (Stage.INTERVIEW_DONE.value, 2),
    ]
    opened = client.get(GRAPH, {"groupes": "etape", "ouvrir": Stage.INTERVIEW_DONE.value})
    assert {row.contact.pk for row in opened.context["rows"]} == {contacts[1].pk, contacts[2].pk}


def test_an_unknown_group_shows_every_group(client, beneficiary, small_threshold):
    many_contacts(beneficiary, 7, sector="Banque")
    client.force_login(beneficiary)

    response = client.get(GRAPH, {"groupes": "nimporte", "ouvrir": "s:inconnu"})

    assert response.status_code == 200
    assert response.context["opened"] is None
    assert response.context["grouping"] == "secteur"


def test_the_table_alternative_pages_through_fifty_rows(client, beneficiary):
    many_contacts(beneficiary, 60)
    client.force_login(beneficiary)

    first = client.get(GRAPH)
    second = client.get(GRAPH, {"page": 2})

    assert len(first.context["drawing"].nodes) == 60  # under the threshold: drawn one by one
    assert len(first.context["rows"]) == 50
    assert second.context["rows"][0].contact.last_name == "Nom 0050"
    assert "Page 2 sur 2" in second.content.decode()


@pytest.mark.parametrize("opened", [{}, {"ouvrir": ""}, {"groupes": "etape"}])
def test_the_grouped_map_reads_a_constant_number_of_queries(
    client, beneficiary, small_threshold, opened
):
    client.force_login(beneficiary)
    contacts = many_contacts(beneficiary, 8)
    with_enquetes(contacts[:3])
    path = GRAPH + "?" + "&".join(f"{key}={value}" for key, value in opened.items())
    few = queries(client, path)

    more = many_contacts(beneficiary, 60, start=8)
    with_enquetes(more[:40])
    many = queries(client, path)

    assert few == many


def test_the_consultant_s_map_reads_a_constant_number_of_queries(client, people, small_threshold):
    beneficiary = people["beneficiary"]
    NetworkSharing.objects.create(owner=beneficiary, with_consultant=True)
    client.force_login(people["consultant"])
    path = reverse("network:graph_for", args=[beneficiary.pk])
    with_enquetes(many_contacts(beneficiary, 8))
    few = queries(client, path)

    with_enquetes(many_contacts(beneficiary, 60, start=8))

    assert queries(client, path) == few


@pytest.mark.parametrize("showing", ["contacts", "enquetes"])
def test_the_consultant_s_view_pages_through_in_constant_queries(client, people, showing):
    beneficiary = people["beneficiary"]
    NetworkSharing.objects.create(owner=beneficiary, with_consultant=True)
    client.force_login(people["consultant"])
    path = reverse("network:for_beneficiary", args=[beneficiary.pk]) + f"?voir={showing}"
    with_enquetes(many_contacts(beneficiary, 3, metier=metier()))
    few = queries(client, path)

    with_enquetes(many_contacts(beneficiary, 40, start=3))
    many = queries(client, path)
    response = client.get(path + "&page=2")

    assert many == few
    rows = response.context["page_obj"].object_list
    assert len(rows) == 43 - 25
    assert "Page 2 sur 2" in response.content.decode()


def test_the_enquete_list_pages_through_in_constant_queries(client, beneficiary):
    client.force_login(beneficiary)
    path = reverse("network:interview_list")
    with_enquetes(many_contacts(beneficiary, 3))
    few = queries(client, path)

    with_enquetes(many_contacts(beneficiary, 40, start=3))

    assert queries(client, path) == few
    assert len(client.get(path).context["rows"]) == 25
    board = client.get(reverse("network:interviews"))
    column = next(c for c in board.context["columns"] if c["stage"] == Stage.MESSAGE_SENT)
    assert (len(column["rows"]), column["count"]) == (10, 43)


def test_the_export_streams_in_a_constant_number_of_queries(client, beneficiary):
    client.force_login(beneficiary)
    path = reverse("account:data_export")
    with_enquetes(many_contacts(beneficiary, 3))
    few = queries(client, path)

    with_enquetes(many_contacts(beneficiary, 40, start=3))
    many = queries(client, path)
    response = client.get(path)

    assert many == few
    assert response.streaming
    streamed = json.loads(response.getvalue())
    whole = json.loads(json.dumps(personal_data_export(user=beneficiary), default=str))
    assert len(streamed["network"]["contacts"]) == 43
    assert streamed["network"] == whole["network"]
    assert streamed.keys() == whole.keys()


def test_the_weekly_figures_in_one_pass_match_each_moment(beneficiary):
    contacts = many_contacts(beneficiary, 6, sector="Santé")
    today = timezone.localdate()
    for index, contact in enumerate(contacts):
        Contact.objects.filter(pk=contact.pk).update(
            created_at=timezone.now() - timedelta(weeks=index)
        )
    add_interview(
        contacts[0],
        [(Stage.MESSAGE_SENT, today - timedelta(weeks=3)), (Stage.INTERVIEW_DONE, today)],
    )
    add_interview(contacts[1], [(stage, today - timedelta(weeks=2)) for stage in STAGE_ORDER])
    history = network_history(beneficiary.pk)
    moments = [
        timezone.make_aware(datetime.combine(today - timedelta(weeks=w), datetime.min.time()))
        for w in range(8, -1, -1)
    ] + [timezone.now()]

    assert history.metrics_each(moments) == [history.metrics_at(at) for at in moments]
    with pytest.raises(ValueError):
        history.metrics_each(list(reversed(moments)))
