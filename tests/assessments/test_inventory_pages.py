"""The pages of the self-inventories: "Mes centres d'intérêt" and "Mes valeurs"."""

import re

import pytest
from django.urls import reverse

from tests.assessments.test_inventory_services import (
    interests_answers,
    social_artistic,
    values_answers,
)
from tests.factories import member
from tisser.assessments import riasec, services, values
from tisser.assessments.models import InventoryResponse
from tisser.bilans.models import Funding
from tisser.bilans.services import bilan_open
from tisser.core.enums import Role
from tisser.core.models import AuditEvent

INVENTORIES = {
    "interests": (riasec, services.interests_record, interests_answers),
    "values": (values, services.values_record, values_answers),
}


def take(person, name="interests", value_for=None):
    _questionnaire, record, answers = INVENTORIES[name]
    return record(user=person, answers=answers(value_for) if value_for else answers())


@pytest.mark.parametrize("name", ["interests", "values"])
def test_the_form_shows_every_item_as_a_radio_group_in_interleaved_blocks(client, people, name):
    questionnaire = INVENTORIES[name][0]
    client.force_login(people["beneficiary"])

    html = client.get(reverse(f"inventories:{name}_take")).content.decode()

    assert html.count("<fieldset") == len(questionnaire.ITEMS)
    assert html.count("<legend>") == len(questionnaire.ITEMS)
    assert html.count('type="radio"') == 5 * len(questionnaire.ITEMS)
    assert html.count('<h2 id="block-') == len(questionnaire.BLOCKS)
    assert str(questionnaire.SCALE[0][1]).replace("'", "&#x27;") in html
    # The first item shown is the first of the first block, not the first of the list.
    legends = re.findall(r"<legend>(.*?)</legend>", html)
    first = questionnaire.BLOCKS[0][0]
    assert legends[0] == str(first.text).replace("'", "&#x27;")
    assert 'role="alert"' not in html


def test_an_incomplete_form_keeps_the_answers_and_flags_each_missing_item(client, people):
    client.force_login(people["beneficiary"])
    answers = interests_answers(lambda item: 4)
    del answers["r2"], answers["s7"]

    response = client.post(reverse("inventories:interests_take"), answers)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert html.count('class="errorlist"') == 2
    assert 'id="id_r2_error"' in html and 'id="id_s7_error"' in html
    assert 'aria-describedby="id_r2_error"' in html
    assert "Choisissez une réponse pour cette activité." in html
    assert 'href="#item-r2"' in html and 'id="item-r2"' in html
    assert len(re.findall(r'value="4"[^>]*checked', html)) == len(riasec.ITEMS) - 2
    assert not InventoryResponse.objects.exists()


def test_an_empty_submission_flags_every_item(client, people):
    client.force_login(people["beneficiary"])

    response = client.post(reverse("inventories:values_take"), {})

    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist"') == len(values.ITEMS)


def test_the_interests_result_shows_the_code_the_chart_and_the_table(client, people):
    client.force_login(people["beneficiary"])

    response = client.post(
        reverse("inventories:interests_take"), interests_answers(social_artistic), follow=True
    )

    taken = InventoryResponse.objects.get()
    assert response.redirect_chain == [
        (reverse("inventories:interests_result", args=[taken.pk]), 302)
    ]
    html = response.content.decode()
    assert "Le code : SA" in html
    assert "Votre code est « SA »" in html
    assert (
        'role="img"' in html and 'aria-labelledby="profile-chart-title profile-chart-desc"' in html
    )
    assert html.count("<rect") == 6
    assert "<caption>Score de chaque type, de 0 à 100</caption>" in html
    assert '<th scope="row">S — Social</th>' in html
    assert "S — Social : 100 / 100" in html
    assert "Des pistes à explorer" in html
    assert "Refaire l'inventaire" in html
    assert 'aria-current="page"' in html  # the take on show, in the history


def test_the_values_result_ranks_the_values(client, people):
    client.force_login(people["beneficiary"])
    answers = values_answers(
        lambda item: {"service": 5, "balance": 4, "security": 4}.get(item.dimension, 2)
    )

    html = client.post(reverse("inventories:values_take"), answers, follow=True).content.decode()

    assert "Ce qui compte le plus aujourd'hui" in html
    ranked_rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert ranked_rows[:3] == ["Être utile aux autres", "Sécurité", "Équilibre de vie"]
    assert html.count("<rect") == 8
    assert html.index("Être utile aux autres") < html.index("Sécurité")


def test_the_own_page_invites_to_take_the_inventory_when_there_is_none(client, people):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("inventories:interests")).content.decode()

    assert "Commencer l'inventaire" in html
    assert reverse("inventories:interests_take") in html
    assert 'role="img"' not in html
    assert "Historique" not in html


@pytest.mark.parametrize("name", ["interests", "values"])
@pytest.mark.parametrize("n", [1, 4])
def test_the_own_page_shows_the_latest_take_and_the_history(
    client, people, django_assert_max_num_queries, name, n
):
    for i in range(n):
        latest = take(people["beneficiary"], name, lambda item, i=i: 1 + i % 5)
    client.force_login(people["beneficiary"])

    with django_assert_max_num_queries(6):
        response = client.get(reverse(f"inventories:{name}"))

    html = response.content.decode()
    assert response.status_code == 200
    history = html[html.index('id="history-title"') :]
    assert history.count('<th scope="row">') == n
    current = re.search(r'href="([^"]+)"\s+aria-current="page"', history)
    assert current and current.group(1) == reverse(f"inventories:{name}_result", args=[latest.pk])


@pytest.mark.parametrize("name", ["interests", "values"])
def test_the_consultant_reads_the_results_of_their_beneficiary_without_changing_them(
    client, people, name
):
    earlier = take(people["beneficiary"], name)
    latest = take(people["beneficiary"], name, lambda item: 5)
    client.force_login(people["consultant"])

    for_page = client.get(reverse(f"inventories:{name}_for", args=[people["beneficiary"].pk]))
    one_take = client.get(reverse(f"inventories:{name}_result", args=[earlier.pk]))

    assert for_page.status_code == 200 and one_take.status_code == 200
    html = for_page.content.decode()
    assert people["beneficiary"].get_full_name() in html
    assert "Refaire" not in html and "Commencer" not in html
    assert reverse(f"inventories:{name}_take") not in html
    assert html.count("100</td>") >= 1
    assert reverse(f"inventories:{name}_result", args=[latest.pk]) in html
    reads = AuditEvent.objects.filter(action__endswith=".read").order_by("id")
    assert [(e.action, e.actor, e.data) for e in reads] == [
        (
            "inventory_history.read",
            people["consultant"],
            {"person_id": people["beneficiary"].pk, "kind": name},
        ),
        (
            "inventory.read",
            people["consultant"],
            {"person_id": people["beneficiary"].pk, "kind": name},
        ),
    ]


def test_the_consultant_page_says_when_nothing_was_taken(client, people):
    client.force_login(people["consultant"])

    html = client.get(
        reverse("inventories:values_for", args=[people["beneficiary"].pk])
    ).content.decode()

    assert "L'inventaire des valeurs n'a pas encore été rempli." in html


@pytest.mark.parametrize("name", ["interests", "values"])
@pytest.mark.parametrize("who", ["other_consultant", "coordinator", "mentor", "beneficiary"])
def test_anyone_else_gets_a_404(client, people, organisation, name, who):
    taken = take(people["beneficiary"], name)
    user = member(Role.CONSULTANT, organisation) if who == "other_consultant" else people[who]
    client.force_login(user)

    assert client.get(reverse(f"inventories:{name}_for", args=[taken.user_id])).status_code == 404
    if who != "beneficiary":
        result = reverse(f"inventories:{name}_result", args=[taken.pk])
        assert client.get(result).status_code == 404


def test_another_beneficiary_cannot_read_a_take(client, people, organisation):
    taken = take(people["beneficiary"])
    client.force_login(member(Role.BENEFICIARY, organisation, invited_by=people["consultant"]))

    assert client.get(reverse("inventories:interests_result", args=[taken.pk])).status_code == 404


def test_a_values_take_is_not_an_interests_result(client, people):
    taken = take(people["beneficiary"], "values")
    client.force_login(people["beneficiary"])

    assert client.get(reverse("inventories:interests_result", args=[taken.pk])).status_code == 404
    assert client.get(reverse("inventories:values_result", args=[taken.pk])).status_code == 200


def test_my_bilan_and_the_bilan_detail_link_to_the_inventories(client, people):
    bilan = bilan_open(
        consultant=people["consultant"], beneficiary=people["beneficiary"], funding=Funding.CPF
    )

    client.force_login(people["beneficiary"])
    mine = client.get(reverse("bilans:mine")).content.decode()
    client.force_login(people["consultant"])
    detail = client.get(reverse("bilans:detail", args=[bilan.pk])).content.decode()

    assert "Mes outils d'investigation" in mine
    assert reverse("inventories:interests") in mine and reverse("inventories:values") in mine
    person = people["beneficiary"].pk
    assert reverse("inventories:interests_for", args=[person]) in detail
    assert reverse("inventories:values_for", args=[person]) in detail
