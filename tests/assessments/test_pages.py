import re
from html import unescape

import pytest
from django.urls import reverse

from tests.assessments.test_services import all_answers, record
from tests.factories import member
from tisser.assessments import isolation, loneliness
from tisser.assessments.models import IsolationCheck
from tisser.core.enums import Role
from tisser.core.models import AuditEvent

Moment = IsolationCheck.Moment


def test_the_form_shows_every_item_as_a_radio_group(client, people):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("assessments:isolation_start")).content.decode()

    # The 16 items, then the direct question on loneliness (the short scale is not asked
    # without permission on file, ADR 0031).
    assert html.count("<fieldset") == len(isolation.ITEMS) + 1
    assert html.count("<legend>") == len(isolation.ITEMS) + 1
    assert str(isolation.ITEMS[0].text) in html
    assert "À quelle fréquence vous sentez-vous seul·e ?" in html
    assert "loneliness_1" not in html
    assert "Ce n&#x27;est pas un diagnostic :" in html
    assert 'value="start" selected' in html
    # One question on loneliness, said in the singular.
    text = unescape(html)
    assert "puis une question sur le sentiment de solitude." in text
    assert "La question suivante porte sur vos relations avec les autres" in text
    assert "quelques questions" not in text and "Pour chacune" not in text


def test_an_incomplete_form_keeps_the_answers_and_flags_each_missing_item(client, people):
    client.force_login(people["beneficiary"])
    answers = all_answers(4) | {"lonely_frequency": 4}
    del answers["remote_2"], answers["felt_3"]

    response = client.post(
        reverse("assessments:isolation_start"), {"moment": Moment.START, **answers}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert html.count('class="errorlist"') == 2
    assert 'id="id_remote_2_error"' in html and 'id="id_felt_3_error"' in html
    assert 'aria-describedby="id_remote_2_error"' in html
    # The answers already given are still checked.
    assert len(re.findall(r'value="4"[^>]*checked', html)) == len(isolation.ITEMS) - 2 + 1
    assert not IsolationCheck.objects.exists()


def test_a_complete_form_records_the_check_and_shows_the_result(client, people):
    client.force_login(people["beneficiary"])
    answers = {item.id: 1 if item.reverse else 5 for item in isolation.ITEMS}
    answers["lonely_frequency"] = 5

    response = client.post(
        reverse("assessments:isolation_start"), {"moment": Moment.START, **answers}, follow=True
    )

    check = IsolationCheck.objects.get()
    assert response.redirect_chain == [
        (reverse("assessments:isolation_result", args=[check.pk]), 302)
    ]
    html = response.content.decode()
    assert "Vue d&#x27;ensemble : 100 / 100" in html
    assert html.count("Très présent") == 6
    assert "Ce n&#x27;est pas un diagnostic :" in html
    assert "Demandez un mentor" in html
    assert (
        "À la question « À quelle fréquence vous sentez-vous seul·e ? », "
        "vous avez répondu : souvent ou toujours (5e réponse sur 5, de «\xa0Jamais\xa0» à "
        "«\xa0Souvent ou toujours\xa0»)."
    ) in html
    # One question asked, one answer: said in the singular.
    assert "La réponse à cette question" in html
    assert "Cette question est aussi posée dans des enquêtes publiques" in html
    assert "Ces questions" not in html and "ces questions" not in html
    assert (check.version, check.scores[isolation.LONELY_FREQUENCY]) == ("isolement-2026-2", 5)
    assert isolation.LONELINESS_SCALE not in check.scores


def test_the_second_check_suggests_another_moment_when_there_is_no_bilan(client, people):
    record(people["beneficiary"])
    client.force_login(people["beneficiary"])

    html = client.get(reverse("assessments:isolation_start")).content.decode()

    assert 'value="other" selected' in html


def test_the_form_suggests_the_moment_where_the_bilan_stands(client, people):
    from datetime import timedelta

    from django.utils import timezone

    from tisser.bilans import services as bilans
    from tisser.bilans.models import Bilan, Funding, Phase

    beneficiary = people["beneficiary"]
    bilan = bilans.bilan_open(
        consultant=people["consultant"], beneficiary=beneficiary, funding=Funding.CPF
    )
    client.force_login(beneficiary)

    def selected() -> str:
        html = client.get(reverse("assessments:isolation_start")).content.decode()
        return next(
            value
            for value in ("start", "end", "plus_3_months", "plus_6_months", "other")
            if f'value="{value}" selected' in html
        )

    assert selected() == "start"
    record(beneficiary)  # the start check
    assert selected() == "other"  # in the middle of the bilan: not its end
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CONCLUSION)
    assert selected() == "end"
    ended = timezone.now() - timedelta(days=100)
    Bilan.objects.filter(pk=bilan.pk).update(status=Phase.CLOSED, closed_at=ended)
    assert selected() == "plus_3_months"


@pytest.mark.parametrize(
    ("query", "selected"), [("plus_3_months", "plus_3_months"), ("x", "start")]
)
def test_a_reminder_link_opens_the_form_on_its_moment(client, people, query, selected):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("assessments:isolation_start") + f"?moment={query}").content.decode()

    assert f'value="{selected}" selected' in html


@pytest.mark.parametrize("n", [0, 1, 3])
def test_history_shows_a_chart_and_a_table(client, people, django_assert_max_num_queries, n):
    for i in range(n):
        record(people["beneficiary"], value=1 + i)
    client.force_login(people["beneficiary"])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("assessments:isolation_history"))

    html = response.content.decode()
    if n == 0:
        assert 'role="img"' not in html
        assert "<table" not in html
        assert "pas encore fait le point" in html
        return
    assert 'role="img"' in html and 'aria-labelledby="chart-title chart-desc"' in html
    assert html.count("<polyline") == (6 if n > 1 else 0)
    assert html.count("<circle") == 6 * n
    assert html.count('<th scope="row">') == n


def test_the_consultant_sees_the_history_and_results_of_their_beneficiary(client, people):
    check = record(people["beneficiary"], value=5)
    client.force_login(people["consultant"])

    home = client.get(reverse("consultant:home")).content.decode()
    history_url = reverse("assessments:isolation_history_for", args=[people["beneficiary"].pk])
    assert history_url in home
    history = client.get(history_url)
    result = client.get(reverse("assessments:isolation_result", args=[check.pk]))

    assert history.status_code == 200
    assert people["beneficiary"].get_full_name() in history.content.decode()
    assert result.status_code == 200
    assert "Faire le point maintenant" not in history.content.decode()


@pytest.mark.parametrize("who", ["other_consultant", "coordinator", "mentor", "beneficiary"])
def test_anyone_else_gets_a_404(client, people, organisation, who):
    check = record(people["beneficiary"])
    user = member(Role.CONSULTANT, organisation) if who == "other_consultant" else people[who]
    client.force_login(user)
    history_for = reverse("assessments:isolation_history_for", args=[people["beneficiary"].pk])

    assert client.get(history_for).status_code == 404
    if who != "beneficiary":
        result = reverse("assessments:isolation_result", args=[check.pk])
        assert client.get(result).status_code == 404


def test_the_beneficiary_home_links_to_the_check(client, people):
    client.force_login(people["beneficiary"])

    html = client.get(reverse("beneficiary:home")).content.decode()

    assert "Faire le point sur mon isolement" in html
    assert reverse("assessments:isolation_start") in html


def test_the_consultant_reading_results_is_audited_the_person_is_not(client, people):
    check = record(people["beneficiary"])
    result_url = reverse("assessments:isolation_result", args=[check.pk])
    history_url = reverse("assessments:isolation_history_for", args=[people["beneficiary"].pk])

    client.force_login(people["beneficiary"])
    client.get(result_url)
    client.get(reverse("assessments:isolation_history"))
    assert not AuditEvent.objects.filter(action__endswith=".read").exists()

    client.force_login(people["consultant"])
    client.get(result_url)
    client.get(history_url)
    reads = AuditEvent.objects.filter(action__endswith=".read").order_by("id")
    assert [(e.action, e.actor, e.data["person_id"]) for e in reads] == [
        ("isolation_check.read", people["consultant"], people["beneficiary"].pk),
        ("isolation_history.read", people["consultant"], people["beneficiary"].pk),
    ]
    assert all(e.organisation == check.organisation for e in reads)


def _form_answers(value: int = 3, **research: int) -> dict[str, int]:
    return all_answers(value) | {"lonely_frequency": 3} | research


def test_the_direct_question_is_required_with_a_french_message(client, people):
    client.force_login(people["beneficiary"])
    answers = _form_answers()
    del answers["lonely_frequency"]

    response = client.post(
        reverse("assessments:isolation_start"), {"moment": Moment.START, **answers}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not IsolationCheck.objects.exists()
    # Next to the question, and in the summary at the top, as a link to its first answer.
    assert html.count('class="errorlist"') == 1
    assert 'id="id_lonely_frequency_error"' in html
    assert 'aria-describedby="id_lonely_frequency_error"' in html
    assert "Choisissez une réponse pour cette question." in html
    assert "data-error-summary" in html and 'href="#id_lonely_frequency_0"' in html


@pytest.mark.parametrize("missing", ["loneliness_2", "lonely_frequency"])
def test_with_the_scale_permitted_every_question_is_asked_and_required(
    client, people, settings, missing
):
    settings.TISSER_LONELINESS_SCALE_PERMITTED = True
    client.force_login(people["beneficiary"])
    answers = _form_answers(loneliness_1=2, loneliness_2=3, loneliness_3=1)
    form = client.get(reverse("assessments:isolation_start")).content.decode()
    assert form.count("<fieldset") == len(isolation.ITEMS) + 4
    assert "À quelle fréquence vous sentez-vous laissé·e de côté ?" in form
    assert "puis 4 questions sur le sentiment de solitude." in unescape(form)
    assert "Les questions suivantes portent sur vos relations" in form
    incomplete = {key: value for key, value in answers.items() if key != missing}

    refused = client.post(
        reverse("assessments:isolation_start"), {"moment": Moment.START, **incomplete}
    )
    assert f'id="id_{missing}_error"' in refused.content.decode()
    assert not IsolationCheck.objects.exists()

    response = client.post(
        reverse("assessments:isolation_start"), {"moment": Moment.START, **answers}, follow=True
    )
    check = IsolationCheck.objects.get()
    assert check.version == "isolement-2026-3"
    assert check.scores[isolation.LONELINESS_SCALE] == 6
    assert check.scores[isolation.LONELY_FREQUENCY] == 3
    html = response.content.decode()
    assert "Échelle courte de solitude : 6 sur 9." in html
    assert "Ces sentiments reviennent par moments." in html
    assert "vous avez répondu : de temps en temps (3e réponse sur 5, de " in html
    assert "Les réponses à ces questions" in html
    assert "Ces questions sont aussi posées dans des enquêtes publiques" in html


def _old_check(user, organisation) -> IsolationCheck:
    """A check of the first version: the 16 items, no question on loneliness."""
    answers = all_answers(2)
    return IsolationCheck.objects.create(
        user=user,
        organisation=organisation,
        moment=Moment.START,
        version="isolement-2026-1",
        answers=answers,
        scores=isolation.score(answers),
    )


def test_a_check_of_the_first_version_still_reads(client, people, organisation):
    old = _old_check(people["beneficiary"], organisation)
    new = services_record(people["beneficiary"], lonely_frequency=2)
    client.force_login(people["beneficiary"])

    result = client.get(reverse("assessments:isolation_result", args=[old.pk]))
    history = client.get(reverse("assessments:isolation_history"))

    assert result.status_code == 200
    assert "Vue d&#x27;ensemble" in result.content.decode()
    assert "Le sentiment de solitude" not in result.content.decode()
    rows = re.findall(r"<tr>.*?</tr>", history.content.decode(), flags=re.S)[1:]
    assert len(rows) == 2
    old_cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", rows[0], flags=re.S)
    new_cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", rows[1], flags=re.S)
    # The short scale was not asked (no permission on file): no column for it.
    assert old_cells[-1] == "—"
    assert new_cells[-1] == "Presque jamais (2e réponse sur 5)"
    assert "Échelle courte de solitude" not in history.content.decode()
    assert new.version == "isolement-2026-2"


def test_the_consultant_reads_the_answers_in_words(client, people):
    check = services_record(
        people["beneficiary"], lonely_frequency=4, loneliness_1=3, loneliness_2=2, loneliness_3=2
    )
    client.force_login(people["consultant"])

    html = client.get(reverse("assessments:isolation_result", args=[check.pk])).content.decode()
    history = client.get(
        reverse("assessments:isolation_history_for", args=[people["beneficiary"].pk])
    ).content.decode()

    name = people["beneficiary"].get_full_name()
    assert f"{name} a répondu : une partie du temps (4e réponse sur 5, de " in html
    assert "Échelle courte de solitude : 7 sur 9." in html
    assert "À quelle fréquence avez-vous le sentiment de manquer de compagnie ? " in html
    assert "<strong>Souvent</strong>" in html
    assert 'data-label="Sentiment de solitude">' in history
    assert "Une partie du temps (4e réponse sur 5)" in history
    assert "parmi cinq réponses, de « Jamais » à « Souvent ou toujours »" in unescape(history)
    assert 'data-label="Échelle courte de solitude (sur 9)">7</td>' in history


def services_record(user, **research) -> IsolationCheck:
    from tisser.assessments import services

    return services.isolation_check_record(
        user=user, moment=Moment.START, answers=all_answers(3) | research
    )


def test_the_archive_holds_the_answers_in_words(people, organisation):
    from tisser.assessments.personal_data import isolation_checks_personal_data

    _old_check(people["beneficiary"], organisation)
    services_record(people["beneficiary"], lonely_frequency=1)

    old, new = isolation_checks_personal_data(user=people["beneficiary"])

    assert old["solitude"] == []
    assert new["answers"]["lonely_frequency"] == 1
    assert new["solitude"] == [
        {
            "id": "lonely_frequency",
            "question": str(loneliness.FREQUENCY_QUESTION),
            "value": 1,
            "answer": "Jamais",
        }
    ]
