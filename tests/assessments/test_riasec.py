"""The interests inventory as data, its pure scoring and its two-letter code."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisser.assessments import likert, riasec

ITEM_IDS = [item.id for item in riasec.ITEMS]


def answering(value_for) -> dict[str, int]:
    return {item.id: value_for(item) for item in riasec.ITEMS}


def test_eight_activities_or_more_per_type_with_unique_ids_and_texts():
    assert riasec.LETTERS == ("R", "I", "A", "S", "E", "C")
    assert [t.letter for t in riasec.TYPES] == list(riasec.LETTERS)
    for letter in riasec.LETTERS:
        assert len([item for item in riasec.ITEMS if item.dimension == letter]) >= 8
    assert len(ITEM_IDS) == len(set(ITEM_IDS))
    assert len({str(item.text) for item in riasec.ITEMS}) == len(riasec.ITEMS)
    assert [value for value, _label in riasec.SCALE] == [1, 2, 3, 4, 5]
    assert str(riasec.SCALE[0][1]) == "Cela ne m'attire pas du tout"
    assert str(riasec.SCALE[-1][1]) == "Cela m'attire beaucoup"


def test_the_items_are_shown_interleaved_never_two_of_a_type_in_a_row():
    shown = [item for block in riasec.BLOCKS for item in block]

    assert sorted(item.id for item in shown) == sorted(ITEM_IDS)
    for block in riasec.BLOCKS:
        assert sorted(item.dimension for item in block) == sorted(riasec.LETTERS)
    for before, after in itertools.pairwise(shown):
        assert before.dimension != after.dimension
    # Not the RIASEC order: the person is not led from one type to the next.
    assert [item.dimension for item in shown[:6]] != list(riasec.LETTERS)


@pytest.mark.parametrize(
    ("value_for", "expected"),
    [
        (lambda item: 1, dict.fromkeys("RIASEC", 0)),
        (lambda item: 5, dict.fromkeys("RIASEC", 100)),
        (lambda item: 3, dict.fromkeys("RIASEC", 50)),
        (
            lambda item: {"S": 5, "A": 4, "I": 3, "E": 2}.get(item.dimension, 1),
            {"R": 0, "I": 50, "A": 75, "S": 100, "E": 25, "C": 0},
        ),
        # One 5 and seven 1 → 4 / 32 = 12.5 %, rounded half up to 13.
        (lambda item: 5 if item.id == "r1" else 1, {**dict.fromkeys("RIASEC", 0), "R": 13}),
        # Answers 1..5,1..3 on C: (0+1+2+3+4+0+1+2) / 32 = 40.6 % → 41.
        (
            lambda item: (int(item.id[1]) - 1) % 5 + 1 if item.dimension == "C" else 1,
            {**dict.fromkeys("RIASEC", 0), "C": 41},
        ),
    ],
)
def test_known_answers_give_known_scores(value_for, expected):
    assert riasec.score(answering(value_for)) == expected


def test_scores_come_in_riasec_order():
    assert list(riasec.score(answering(lambda item: 2))) == list(riasec.LETTERS)


@pytest.mark.parametrize(
    ("bad", "error"), [(0, ValueError), (6, ValueError), ("3", TypeError), (True, TypeError)]
)
def test_an_answer_outside_the_scale_is_refused(bad, error):
    answers = answering(lambda item: 3)
    answers["s4"] = bad

    with pytest.raises(error):
        riasec.score(answers)


def test_a_missing_answer_is_refused():
    answers = answering(lambda item: 3)
    del answers["e8"]

    with pytest.raises(KeyError):
        riasec.score(answers)


answer_sets = st.fixed_dictionaries(
    {item_id: st.integers(min_value=1, max_value=5) for item_id in ITEM_IDS}
)


@given(answer_sets)
def test_every_score_is_between_0_and_100(answers):
    scores = riasec.score(answers)

    assert set(scores) == set(riasec.LETTERS)
    assert all(0 <= value <= 100 for value in scores.values())
    assert len(riasec.code(scores)) == 2


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=8, max_size=8), st.randoms())
def test_the_same_answers_in_another_order_give_the_same_scores(values, random):
    """Each type receives the same multiset of answers, shuffled among its activities: every
    type then scores the same, whatever the order."""
    answers = {}
    for letter in riasec.LETTERS:
        shuffled = list(values)
        random.shuffle(shuffled)
        items = [item for item in riasec.ITEMS if item.dimension == letter]
        answers.update({item.id: value for item, value in zip(items, shuffled, strict=True)})

    scores = riasec.score(answers)

    assert len(set(scores.values())) == 1
    assert scores["R"] == likert.percent(values)


@given(answer_sets)
def test_raising_one_answer_never_lowers_its_type(answers):
    item = riasec.ITEMS[7]
    before = riasec.score(answers)[item.dimension]
    answers[item.id] = min(5, answers[item.id] + 1)

    assert riasec.score(answers)[item.dimension] >= before


@pytest.mark.parametrize(
    ("scores", "code"),
    [
        ({"R": 10, "I": 20, "A": 80, "S": 90, "E": 30, "C": 0}, "SA"),
        ({"R": 10, "I": 20, "A": 80, "S": 80, "E": 30, "C": 0}, "AS"),  # tie: RIASEC order
        ({"R": 50, "I": 50, "A": 50, "S": 50, "E": 50, "C": 50}, "RI"),  # all equal
        ({"R": 0, "I": 0, "A": 0, "S": 0, "E": 70, "C": 70}, "EC"),
        ({"R": 0, "I": 0, "A": 0, "S": 60, "E": 90, "C": 60}, "ES"),  # tie for second
        ({"R": 95, "I": 0, "A": 0, "S": 0, "E": 0, "C": 96}, "CR"),
    ],
)
def test_the_code_is_the_two_highest_types_ties_in_riasec_order(scores, code):
    assert riasec.code(scores) == code


def test_the_reading_explains_the_code_as_leads_not_a_verdict():
    reading = riasec.code_reading({"R": 10, "I": 30, "A": 80, "S": 95, "E": 40, "C": 20})

    assert reading.code == "SA"
    assert (reading.first.letter, reading.second.letter) == ("S", "A")
    assert "« SA »" in reading.summary
    assert "Social" in reading.summary and "Artistique" in reading.summary
    assert "piste à explorer" in reading.summary
    assert reading.notes == ()


@pytest.mark.parametrize(
    ("scores", "expected_note"),
    [
        ({"R": 10, "I": 20, "A": 30, "S": 45, "E": 25, "C": 5}, "ne vous attire nettement"),
        ({"R": 60, "I": 62, "A": 65, "S": 70, "E": 58, "C": 66}, "six scores sont proches"),
        ({"R": 10, "I": 20, "A": 78, "S": 95, "E": 75, "C": 5}, "Entreprenant est très proche"),
    ],
)
def test_the_reading_adds_the_nuances(scores, expected_note):
    notes = " ".join(riasec.code_reading(scores).notes)

    assert expected_note in notes
