"""The loneliness measures asked with the isolation check (ADR 0031): scores computed by
hand, every stored value reading "higher = lonelier"."""

import pytest

from tisser.assessments import loneliness
from tisser.assessments.isolation import LONELINESS_SCALE, LONELY_FREQUENCY


def test_the_direct_question_is_stored_as_answered_from_never_to_often():
    assert [code for code, _label in loneliness.FREQUENCY_CHOICES] == [1, 2, 3, 4, 5]
    assert str(loneliness.FREQUENCY_CHOICES[0][1]) == "Jamais"
    assert str(loneliness.FREQUENCY_CHOICES[-1][1]) == "Souvent ou toujours"
    assert loneliness.score({"lonely_frequency": 1}) == {LONELY_FREQUENCY: 1}
    assert loneliness.score({"lonely_frequency": 5}) == {LONELY_FREQUENCY: 5}


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ((1, 1, 1), 3),  # presque jamais ×3: the least lonely total
        ((3, 3, 3), 9),  # souvent ×3: the most lonely total
        ((2, 1, 3), 6),
        ((2, 2, 1), 5),
    ],
)
def test_the_short_scale_is_the_sum_of_its_three_answers(answers, total):
    given = dict(zip(loneliness.SCALE_IDS, answers, strict=True)) | {"lonely_frequency": 2}

    assert loneliness.score(given) == {LONELY_FREQUENCY: 2, LONELINESS_SCALE: total}
    assert loneliness.SCALE_MIN_TOTAL <= total <= loneliness.SCALE_MAX_TOTAL


def test_nothing_to_score_for_a_check_without_them():
    items_only = {"remote_1": 3, "felt_4": 5}

    assert loneliness.score(items_only) == {}
    assert loneliness.version_of(items_only) == "isolement-2026-1"
    assert loneliness.version_of({"lonely_frequency": 3}) == "isolement-2026-2"
    assert loneliness.version_of(
        {"lonely_frequency": 3, "loneliness_1": 1, "loneliness_2": 1, "loneliness_3": 1}
    ) == ("isolement-2026-3")


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({"lonely_frequency": 0}, ValueError),
        ({"lonely_frequency": 6}, ValueError),
        ({"lonely_frequency": "2"}, TypeError),
        ({"loneliness_1": 1, "loneliness_2": 4, "loneliness_3": 1}, ValueError),
        ({"loneliness_1": 1}, KeyError),
    ],
)
def test_out_of_range_or_partial_answers_raise(answers, error):
    with pytest.raises(error):
        loneliness.score(answers)


def test_the_readers_say_it_in_words():
    assert loneliness.frequency_label(4) == "une partie du temps"
    assert loneliness.frequency_label(None) == ""
    assert loneliness.frequency_label(9) == ""
    assert loneliness.scale_reading(3) == "Ces sentiments sont rares pour vous en ce moment."
    assert loneliness.scale_reading(6) == "Ces sentiments reviennent par moments."
    assert loneliness.scale_reading(9) == "Ces sentiments reviennent souvent en ce moment."
    assert loneliness.scale_reading(None) == ""
    # Every total has a reading, and only one.
    for total in range(loneliness.SCALE_MIN_TOTAL, loneliness.SCALE_MAX_TOTAL + 1):
        assert sum(r.low <= total <= r.high for r in loneliness.SCALE_READINGS) == 1
    assert loneliness.readings({}) == loneliness.readings({"overall": 50}) | {}
    assert loneliness.readings({})["frequency_label"] is None
    assert loneliness.readings({})["scale_total"] is None


def test_a_meaningful_change_is_one_category_or_one_point():
    assert loneliness.MEANINGFUL_FREQUENCY_CHANGE == 1
    assert loneliness.MEANINGFUL_SCALE_CHANGE == 1
    assert (loneliness.SCALE_MIN_TOTAL, loneliness.SCALE_MAX_TOTAL) == (3, 9)


def test_the_scale_is_asked_only_with_permission(settings):
    settings.TISSER_LONELINESS_SCALE_PERMITTED = False
    assert [q.id for q in loneliness.questions_asked()] == ["lonely_frequency"]
    settings.TISSER_LONELINESS_SCALE_PERMITTED = True
    assert [q.id for q in loneliness.questions_asked()] == [
        "loneliness_1",
        "loneliness_2",
        "loneliness_3",
        "lonely_frequency",
    ]


def test_the_answers_in_words():
    answers = {"felt_1": 2, "lonely_frequency": 3, "loneliness_2": 3}

    assert loneliness.answered(answers) == [
        {
            "id": "loneliness_2",
            "question": "À quelle fréquence vous sentez-vous laissé·e de côté ?",
            "value": 3,
            "answer": "Souvent",
        },
        {
            "id": "lonely_frequency",
            "question": "À quelle fréquence vous sentez-vous seul·e ?",
            "value": 3,
            "answer": "De temps en temps",
        },
    ]


def test_camilles_demo_check_answers_the_direct_question(db, settings):
    from tests.factories import member
    from tisser.accounts.demo import demo_email
    from tisser.assessments.demo import _safety_net
    from tisser.assessments.models import IsolationCheck
    from tisser.core.enums import Role

    settings.TISSER_LONELINESS_SCALE_PERMITTED = False
    camille = member(Role.BENEFICIARY, user__email=demo_email("Camille", "Roussel"))

    _safety_net([camille])

    check = IsolationCheck.objects.get(user=camille)
    assert check.version == "isolement-2026-2"
    assert check.scores[LONELY_FREQUENCY] == 4  # « une partie du temps »: felt isolation high
    assert LONELINESS_SCALE not in check.scores


def test_an_answer_says_its_place_among_the_five():
    # « De temps en temps » and « Une partie du temps » do not rank by themselves.
    assert loneliness.frequency_place(3) == "3e réponse sur 5"
    assert loneliness.frequency_place(1) == "1re réponse sur 5"
    assert loneliness.frequency_place(4, span=True) == (
        "4e réponse sur 5, de «\xa0Jamais\xa0» à «\xa0Souvent ou toujours\xa0»"
    )
    assert loneliness.frequency_place(None) == loneliness.frequency_place(9) == ""
    # The places follow the stored order, the ONS order read from « Jamais ».
    assert [code for code, _label in loneliness.FREQUENCY_CHOICES] == [1, 2, 3, 4, 5]
    assert loneliness.readings({LONELY_FREQUENCY: 2})["frequency_place"] == "2e réponse sur 5"


def test_the_introduction_speaks_of_one_question_or_of_four(settings):
    settings.TISSER_LONELINESS_SCALE_PERMITTED = False
    assert loneliness.introduction().startswith("La question suivante porte")
    settings.TISSER_LONELINESS_SCALE_PERMITTED = True
    assert loneliness.introduction().startswith("Les questions suivantes portent")
    assert "Pour chacune" in loneliness.introduction()
