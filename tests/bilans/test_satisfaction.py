from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.bilans.helpers import closed_bilan, open_bilan
from tisser.bilans import satisfaction
from tisser.bilans import services as bilans
from tisser.bilans.models import SatisfactionMoment, SatisfactionResponse
from tisser.core.models import AuditEvent

SIX_MONTHS_LATER = timedelta(days=185)


def full_answers(value=4, recommendation=9):
    return {**{item.id: value for item in satisfaction.ITEMS}, "recommendation": recommendation}


@pytest.fixture
def bilan(people):
    return closed_bilan(people["consultant"], people["beneficiary"])


def respond(bilan, moment=SatisfactionMoment.END, answers=None, actor=None, comment=""):
    return bilans.satisfaction_respond(
        beneficiary=actor or bilan.beneficiary,
        bilan=bilan,
        moment=moment,
        answers=full_answers() if answers is None else answers,
        comment=comment,
    )


def test_the_questionnaire_has_original_items_and_a_recommendation_score():
    assert len(satisfaction.ITEMS) == 7
    assert len(set(satisfaction.ITEM_IDS)) == 7
    assert satisfaction.RECOMMENDATION not in satisfaction.ITEM_IDS


def test_the_end_questionnaire_is_answered_once_with_its_version_and_audited(bilan):
    response = respond(bilan, comment="  Merci pour l'écoute.  ")

    assert response.version == satisfaction.VERSION
    assert response.answers == full_answers()
    assert response.comment == "Merci pour l'écoute."
    event = AuditEvent.objects.get(action="satisfaction.respond")
    assert "answers" not in event.data and "comment" not in event.data
    with pytest.raises(ValidationError) as error:
        respond(bilan)
    assert error.value.code == "answered"


def test_an_open_bilan_has_no_questionnaire_yet(people):
    bilan = open_bilan(people["consultant"], people["beneficiary"])

    with pytest.raises(ValidationError) as error:
        respond(bilan)

    assert error.value.code == "not_closed"


def test_the_six_months_questionnaire_opens_six_months_after_the_end(bilan):
    with pytest.raises(ValidationError) as error:
        respond(bilan, SatisfactionMoment.PLUS_6_MONTHS)
    assert error.value.code == "not_yet"

    with freeze_time(bilan.closed_at + SIX_MONTHS_LATER):
        response = respond(bilan, SatisfactionMoment.PLUS_6_MONTHS)

    assert response.moment == SatisfactionMoment.PLUS_6_MONTHS


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"welcome": None}, "welcome"),
        ({"tools": 6}, "tools"),
        ({"listening": True}, "listening"),
        ({"recommendation": 11}, "recommendation"),
        ({"recommendation": None}, "recommendation"),
    ],
)
def test_missing_or_out_of_range_answers_say_which(bilan, change, key):
    answers = {k: v for k, v in {**full_answers(), **change}.items() if v is not None}

    with pytest.raises(ValidationError) as error:
        respond(bilan, answers=answers)

    assert list(error.value.message_dict) == [key]


@pytest.mark.parametrize("role", ["consultant", "coordinator"])
def test_only_the_beneficiary_answers(bilan, people, role):
    with pytest.raises(PermissionDenied):
        respond(bilan, actor=people[role])


def test_answers_are_visible_to_the_beneficiary_only(bilan, people):
    respond(bilan)

    assert SatisfactionResponse.objects.visible_to(people["beneficiary"]).count() == 1
    for role in ("consultant", "coordinator", "mentor"):
        assert not SatisfactionResponse.objects.visible_to(people[role]).exists()


def test_mon_bilan_offers_the_end_questionnaire_once_closed(client, bilan):
    client.force_login(bilan.beneficiary)

    html = client.get(reverse("bilans:mine")).content.decode()

    assert reverse("bilans:satisfaction", args=[bilan.pk, "fin"]) in html
    assert reverse("bilans:satisfaction", args=[bilan.pk, "6-mois"]) not in html
    assert "questionnaire ouvert à partir du" in html


def test_answering_from_the_page(client, bilan):
    client.force_login(bilan.beneficiary)
    url = reverse("bilans:satisfaction", args=[bilan.pk, "fin"])
    assert "dès le premier contact avec l" in client.get(url).content.decode()

    response = client.post(url, {**full_answers(value=5), "comment": "Très bien"})

    assert response.status_code == 302
    assert SatisfactionResponse.objects.get().answers["welcome"] == 5
    html = client.get(url).content.decode()
    assert "Vous avez répondu à ce questionnaire" in html


def test_a_missing_answer_on_the_page_is_flagged_and_the_others_kept(client, bilan):
    client.force_login(bilan.beneficiary)
    answers = full_answers(value=2)
    del answers["confidence"]

    response = client.post(
        reverse("bilans:satisfaction", args=[bilan.pk, "fin"]),
        {**answers, "comment": "Mon commentaire gardé"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_confidence_error"' in html
    assert 'value="2" id="id_welcome_1" required checked' in html
    assert "Mon commentaire gardé" in html
    assert not SatisfactionResponse.objects.exists()


def test_the_six_months_page_says_when_it_opens(client, bilan):
    client.force_login(bilan.beneficiary)

    response = client.post(
        reverse("bilans:satisfaction", args=[bilan.pk, "6-mois"]), full_answers()
    )

    assert "Ce questionnaire s'ouvrira le" in response.content.decode()
    assert not SatisfactionResponse.objects.exists()


def test_an_unknown_moment_is_a_404(client, bilan):
    client.force_login(bilan.beneficiary)

    response = client.get(reverse("bilans:satisfaction", args=[bilan.pk, "demain"]))

    assert response.status_code == 404


def test_the_consultant_cannot_open_the_questionnaire(client, bilan):
    client.force_login(bilan.consultant)

    response = client.get(reverse("bilans:satisfaction", args=[bilan.pk, "fin"]))

    assert response.status_code == 404


def test_steps_follow_time(bilan):
    with freeze_time(timezone.now() + SIX_MONTHS_LATER):
        steps = {step.moment: step for step in bilans.satisfaction_steps(bilan)}

    assert steps[SatisfactionMoment.END].is_open
    assert steps[SatisfactionMoment.PLUS_6_MONTHS].is_open
