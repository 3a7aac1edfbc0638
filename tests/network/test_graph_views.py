import html
import re
from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import member
from tests.network.network_rows import add_contact, add_interview, metier
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.network.models import NetworkSharing, NetworkSnapshot, Stage
from tisser.www.network import graph_views

GRAPH = reverse("network:graph")


def graph_for(user) -> str:
    return reverse("network:graph_for", kwargs={"user_id": user.pk})


@pytest.fixture
def beneficiary(people):
    return people["beneficiary"]


@pytest.fixture
def network(beneficiary):
    """Anne (known from LinkedIn, enquête done) introduced Bruno, who introduced Chloé;
    David is an old colleague without an enquête."""
    today = timezone.localdate()
    start = today - timedelta(weeks=3)
    anne = add_contact(beneficiary, start, "Anne", first_name="Claire", sector="Santé")
    add_interview(anne, [(Stage.MESSAGE_SENT, start), (Stage.INTERVIEW_DONE, today)])
    bruno = add_contact(
        beneficiary, start + timedelta(weeks=1), "Bruno", introduced_by=anne, company="Clinique"
    )
    add_interview(bruno, [(Stage.MESSAGE_SENT, today)])
    chloe = add_contact(beneficiary, today, "Chloé", introduced_by=bruno, metier=metier())
    add_contact(beneficiary, today, "David", how_known="former_colleague")
    return {"anne": anne, "bruno": bruno, "chloe": chloe}


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_an_empty_network_gets_a_friendly_start(client, beneficiary):
    client.force_login(beneficiary)

    response = client.get(GRAPH)

    assert response.status_code == 200
    page = text(response)
    assert "Votre réseau commence ici." in page
    assert 'role="img"' not in page  # no drawing, no chart: nothing to draw yet
    assert "La courbe apparaîtra dès le premier contact ajouté." in page


def test_the_drawing_summarises_the_network_and_the_table_lists_every_contact(
    client, beneficiary, network
):
    client.force_login(beneficiary)

    response = client.get(GRAPH)

    page = text(response)
    # the SVG has its title and a summary of the counts
    assert 'aria-labelledby="network-map-title network-map-desc"' in page
    assert (
        "Votre réseau compte 4 contacts, dont 2 présentés par un autre contact. "
        "La plus longue chaîne compte 2 mises en relation successives. 1 enquête réalisée, "
        "2 secteurs distincts." in page
    )
    # a referral edge (solid) per introduction, a dashed one per person known directly
    assert page.count('stroke="#1d2125" stroke-width="2.5" stroke-dasharray=""') == 2
    assert page.count('stroke-dasharray="5 4"') == 2 + 1  # plus the legend's sample
    # the table alternative: contact, introduced by, how known, sector, stage
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    cells = {
        re.sub(r"<[^>]+>", "", re.search(r"<th scope=\"row\">(.*?)</th>", row).group(1)).strip(): [
            re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)
        ]
        for row in rows
        if '<th scope="row">' in row and "<td>" in row and "Semaine" not in row
    }
    assert cells["Claire Anne"] == ["—", "LinkedIn", "Santé", "5. Entretien réalisé"]
    assert cells["Bruno Clinique"] == [
        "Claire Anne",
        "Présenté·e par un contact",
        "—",
        "2. Message envoyé",
    ]
    assert cells["Chloé"][0] == "Bruno"
    assert cells["Chloé"][2] == "M1805 (Systèmes d'information et de télécommunication)"
    assert cells["Chloé"][3] == "Pas encore d'enquête"
    assert cells["David"][1] == "Ancien·ne collègue"


def test_the_legend_does_not_rely_on_colour_alone(client, beneficiary, network):
    client.force_login(beneficiary)

    page = text(client.get(GRAPH))

    # each stage is named with its number, the number drawn in the circles too
    legend = page.split('class="network-legend"')[1].split("</ul>")[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", legend).split())
    assert "5 5. Entretien réalisé (1 contact)" in words
    assert "2 2. Message envoyé (1 contact)" in words
    assert "Pas encore d'enquête (2 contacts)" in words
    assert "1 1. À contacter (0 " in words


def test_figures_and_weekly_chart_show_the_trend_since_the_first_contact(
    client, beneficiary, network
):
    client.force_login(beneficiary)

    response = client.get(GRAPH)

    assert response.context["metrics"].contacts == 4
    weeks = response.context["weeks"]  # newest first
    assert [week.metrics.contacts for week in weeks] == [4, 2, 2, 1]
    assert response.context["chart"] is not None
    page = text(response)
    assert "semaine en cours" in page and "recalculé" in page


def test_a_long_name_is_truncated_on_the_drawing_only(client, beneficiary):
    add_contact(beneficiary, date(2026, 1, 5), "de la Fontaine-Beauregard", first_name="Marie")
    client.force_login(beneficiary)

    page = text(client.get(GRAPH))

    assert "Marie de la Fontain…" in page
    assert "Marie de la Fontaine-Beauregard" in page  # the table and the tooltip


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_reads_a_constant_number_of_queries(
    client, beneficiary, size, django_assert_num_queries
):
    previous = None
    for i in range(size):
        previous = add_contact(
            beneficiary, date(2026, 1, 5), f"N{i}", introduced_by=previous if i % 3 else None
        )
        add_interview(previous, [(Stage.MESSAGE_SENT, date(2026, 1, 6))])
    NetworkSnapshot.objects.create(
        owner=beneficiary,
        week=date(2026, 1, 5),
        contacts=1,
        interviews_done=0,
        referrals=0,
        sectors=0,
    )
    client.force_login(beneficiary)

    # session, user, membership; contacts, enquêtes; history (3), snapshots; the layout's
    # ROME version and notifications badge: the same for 3 contacts and for 30
    with django_assert_num_queries(11):
        response = client.get(GRAPH)
    assert response.status_code == 200


def test_the_consultant_sees_the_network_only_while_it_is_shared(client, people, network):
    beneficiary, consultant = people["beneficiary"], people["consultant"]
    client.force_login(consultant)

    assert client.get(graph_for(beneficiary)).status_code == 404

    NetworkSharing.objects.create(owner=beneficiary, with_consultant=True)
    response = client.get(graph_for(beneficiary))
    assert response.status_code == 200
    assert response.context["is_own"] is False
    assert "Claire Anne" in text(response)
    assert AuditEvent.objects.filter(action="network.graph_read", actor=consultant).count() == 1

    NetworkSharing.objects.filter(owner=beneficiary).update(with_consultant=False)
    assert client.get(graph_for(beneficiary)).status_code == 404


@pytest.mark.parametrize("role", ["mentor", "coordinator", "beneficiary"])
def test_nobody_else_sees_a_shared_network(client, people, network, role):
    NetworkSharing.objects.create(owner=people["beneficiary"], with_consultant=True)
    other = member(Role.BENEFICIARY) if role == "beneficiary" else people[role]
    client.force_login(other)

    assert client.get(graph_for(people["beneficiary"])).status_code == 404


def test_another_consultant_of_the_organisation_gets_a_404(client, people, organisation, network):
    NetworkSharing.objects.create(owner=people["beneficiary"], with_consultant=True)
    client.force_login(member(Role.CONSULTANT, organisation))

    assert client.get(graph_for(people["beneficiary"])).status_code == 404


def test_the_figures_group_thousands_and_agree_in_number(client, beneficiary, network, monkeypatch):
    real_weekly = graph_views.network_weekly

    def big_network(person, *, history):
        weeks = real_weekly(person, history=history)
        metrics = replace(weeks[-1].metrics, contacts=3613, referrals=1)
        weeks[-1] = replace(weeks[-1], metrics=metrics)
        return weeks

    monkeypatch.setattr(graph_views, "network_weekly", big_network)
    client.force_login(beneficiary)

    page = text(client.get(GRAPH))

    # « 3 613 » as on the other pages (French thousands separator), never « 3613 ».
    assert '<span class="figure">3 613</span> contacts' in page
    assert "<td>3 613</td>" in page
    assert "3613" not in page
    assert '<span class="figure">1</span> mise en relation obtenue' in page


def test_the_network_summary_groups_thousands():
    summary = SimpleNamespace(contacts=1513, interviews=1, done=0, referrals=2, by_stage=[])

    with translation.override("fr"):
        html_text = render_to_string("www/network/_summary.html", {"summary": summary})

    figures = re.sub(r"\s+", " ", html_text)  # the separator is a no-break space
    assert "1\xa0513" in html_text
    assert '<span class="figure">1 513</span> contacts' in figures
    assert '<span class="figure">1</span> enquête-métier' in figures
