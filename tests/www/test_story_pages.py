"""The story pages (issue #17): the beneficiary's home tells her own story; her consultant of
record reads it about her, with her network's names only when she shares it; anyone else —
another consultant, a coordinator — gets a 404; the caseload shows which way each bilan
goes; and none of these pages reads more queries as the story grows."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import member
from tests.outcomes.story_helpers import check, story_path
from tisser.assessments import isolation
from tisser.assessments.models import IsolationCheck
from tisser.core.dates import french_date
from tisser.core.enums import Role
from tisser.core.models import AuditEvent
from tisser.network.models import HowKnown
from tisser.network.services import ContactData, contact_create, network_sharing_set
from tisser.outcomes.story import story_of


@pytest.fixture
def camille(people, organisation):
    person = people["beneficiary"]
    person.first_name, person.last_name = "Camille", "Roussel"
    person.save()
    story_path(
        people["consultant"],
        person,
        mentor=people["mentor"],
        peer=member(Role.BENEFICIARY, organisation, invited_by=people["consultant"]),
    )
    return person


def story_url(person) -> str:
    return reverse("consultant:story", args=[person.pk])


def test_the_beneficiary_home_tells_her_own_story(client, camille):
    client.force_login(camille)

    html = unescape(client.get(reverse("beneficiary:home")).content.decode())

    assert "Où vous en êtes" in html
    assert "Pendant votre bilan : phase d'investigation" in html
    assert "votre score d'isolement est passé de 100 à 50 sur 100" in html
    assert "Jeanne Dupont → Paul Martin → Luc Bernard" in html
    assert 'role="img"' in html and "Voir les données" in html
    assert html.count('class="button"') == 1  # one clear next action
    assert "Préparer ma rencontre de mentorat du" in html
    # The cards that still matter stay.
    assert reverse("safety:help") in html and reverse("metiers:search") in html


def test_day_one_says_what_will_appear_and_the_first_action(client, people):
    client.force_login(people["beneficiary"])

    html = unescape(client.get(reverse("beneficiary:home")).content.decode())

    assert "Rien n'est encore mesuré" in html
    assert "Faire mon premier point sur l'isolement" in html
    assert f"{reverse('assessments:isolation_start')}?moment=start" in html
    assert 'role="img"' not in html


def test_the_consultant_reads_it_in_the_third_person_without_names(client, people, camille):
    client.force_login(people["consultant"])

    response = client.get(story_url(camille))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le parcours de Camille Roussel" in html
    assert "son score d'isolement est passé de 100 à 50" in html
    assert "ne partage pas le détail de son réseau" in html
    assert "Jeanne" not in html and "Dupont" not in html
    assert "compte 2 présentations à la suite" in html
    assert 'class="button"' not in html  # what her page offers her, said, not a button
    assert AuditEvent.objects.filter(
        actor=people["consultant"], action="isolation_history.read"
    ).exists()


def test_names_show_when_she_shares_her_network(client, people, camille):
    network_sharing_set(owner=camille, with_consultant=True)
    client.force_login(people["consultant"])

    html = unescape(client.get(story_url(camille)).content.decode())

    assert "Jeanne Dupont → Paul Martin → Luc Bernard" in html
    assert AuditEvent.objects.filter(
        actor=people["consultant"], action="network.consultant_read"
    ).exists()


@pytest.mark.parametrize("who", ["other_consultant", "coordinator", "mentor", "beneficiary"])
def test_nobody_else_reads_her_story(client, people, organisation, camille, who):
    viewer = member(Role.CONSULTANT, organisation) if who == "other_consultant" else people[who]
    client.force_login(viewer)

    assert client.get(story_url(camille)).status_code == 404


def test_the_caseload_shows_the_direction_and_links_the_story(client, people, camille):
    client.force_login(people["consultant"])

    html = client.get(reverse("consultant:home")).content.decode()

    assert "Évolution" in html
    assert "Isolement : en baisse (de 100 à 50)" in html
    assert "Réseau : en croissance" in html
    assert story_url(camille) in html


def test_the_coordinators_list_has_no_direction(client, people, camille):
    client.force_login(people["coordinator"])

    html = client.get(reverse("coordinator:bilan_list")).content.decode()

    assert "Évolution" not in html and "en baisse" not in html


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_story_pages_cost_the_same_small_or_grown(client, people, organisation):
    consultant = people["consultant"]
    small = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    grown = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    for person, size in ((small, 0), (grown, 12)):
        story_path(
            consultant,
            person,
            mentor=member(Role.MENTOR, organisation),
            peer=member(Role.BENEFICIARY, organisation),
            grown=size,
        )
        network_sharing_set(owner=person, with_consultant=True)

    counts = {}
    for person in (small, grown):
        client.force_login(person)
        home = _queries(client, reverse("beneficiary:home"))
        client.force_login(consultant)
        counts[person] = (home, _queries(client, story_url(person)))

    assert counts[small] == counts[grown]


def test_the_caseload_column_costs_the_same_for_one_bilan_or_many(client, people, organisation):
    consultant = people["consultant"]
    client.force_login(consultant)
    first = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    story_path(consultant, first, mentor=people["mentor"], peer=people["beneficiary"])
    one = _queries(client, reverse("consultant:home"))

    for _ in range(4):
        person = member(Role.BENEFICIARY, organisation, invited_by=consultant)
        story_path(
            consultant,
            person,
            mentor=member(Role.MENTOR, organisation),
            peer=people["beneficiary"],
        )
        check(person, days_ago=1, answer=2)
    many = _queries(client, reverse("consultant:home"))

    assert many == one


def _table(html: str, caption_id: str) -> str:
    start = html.index(f'id="{caption_id}"')
    return html[start : html.index("</table>", start)]


def test_the_data_tables_read_oldest_first_at_each_weeks_end(client, camille):
    client.force_login(camille)

    html = unescape(client.get(reverse("beneficiary:home")).content.decode())

    weeks = _table(html, "story-weeks-caption")
    assert "Réseau, rencontres et entraide à la fin de chaque semaine, de la plus ancienne" in weeks
    assert "Chiffres au" in weeks and "Semaine du" not in weeks
    days = re.findall(r'<th scope="row">(.*?)</th>', weeks)
    story = story_of(camille, camille.memberships.get().organisation)
    assert days == [french_date(week.ends_on, "j N Y") for week in story.weeks]
    assert story.weeks[0].ends_on < story.weeks[-1].ends_on
    # No check asked the short scale: no column that would only say « — ».
    assert "Échelle de solitude" not in _table(html, "story-checks-caption")


def test_a_network_alone_is_titled_as_such_and_the_scale_shows_when_asked(client, people):
    person = people["beneficiary"]
    contact_create(
        owner=person,
        data=ContactData(first_name="Jeanne", last_name="Dupont", how_known=HowKnown.SCHOOL),
    )
    made = check(person, days_ago=3, answer=3)
    IsolationCheck.objects.filter(pk=made.pk).update(
        scores={**made.scores, isolation.LONELINESS_SCALE: 6}
    )
    client.force_login(person)

    html = unescape(client.get(reverse("beneficiary:home")).content.decode())

    assert "Réseau à la fin de chaque semaine, de la plus ancienne" in html
    assert "rencontres et entraide à la fin" not in html
    checks = _table(html, "story-checks-caption")
    assert "Échelle de solitude (3 à 9)" in checks and "<td>6</td>" in checks
