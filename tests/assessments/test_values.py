"""The values inventory as data, its pure scoring and its ranked profile."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisser.assessments import values

ITEM_IDS = [item.id for item in values.ITEMS]


def answering(value_for) -> dict[str, int]:
    return {item.id: value_for(item) for item in values.ITEMS}


def test_the_eight_values_of_the_bilan_with_three_items_or_more_each():
    assert values.VALUE_IDS == (
        "autonomy",
        "security",
        "expertise",
        "management",
        "service",
        "challenge",
        "balance",
        "entrepreneurship",
    )
    for value_id in values.VALUE_IDS:
        assert len([item for item in values.ITEMS if item.dimension == value_id]) >= 3
        assert str(values.value_by_id(value_id).description)
    assert len(ITEM_IDS) == len(set(ITEM_IDS))
    # Reconnecting with others is part of "being useful" and of "life balance".
    assert "avec d'autres" in str(next(i.text for i in values.ITEMS if i.id == "service_3"))
    assert "proches" in str(next(i.text for i in values.ITEMS if i.id == "balance_3"))


def test_the_items_are_interleaved():
    shown = [item for block in values.BLOCKS for item in block]

    assert sorted(item.id for item in shown) == sorted(ITEM_IDS)
    for block in values.BLOCKS:
        assert sorted(item.dimension for item in block) == sorted(values.VALUE_IDS)
    for before, after in itertools.pairwise(shown):
        assert before.dimension != after.dimension


@pytest.mark.parametrize(
    ("value_for", "expected"),
    [
        (lambda item: 1, dict.fromkeys(values.VALUE_IDS, 0)),
        (lambda item: 5, dict.fromkeys(values.VALUE_IDS, 100)),
        # 5, 4, 3 → (4 + 3 + 2) / 12 = 75 %
        (lambda item: 6 - int(item.id[-1]), dict.fromkeys(values.VALUE_IDS, 75)),
        # 2, 1, 1 → 1 / 12 = 8.3 % → 8; 5, 5, 4 → 11 / 12 = 91.7 % → 92
        (
            lambda item: {"balance": (2, 1, 1), "service": (5, 5, 4)}.get(item.dimension, (3,) * 3)[
                int(item.id[-1]) - 1
            ],
            {**dict.fromkeys(values.VALUE_IDS, 50), "balance": 8, "service": 92},
        ),
    ],
)
def test_known_answers_give_known_scores(value_for, expected):
    assert values.score(answering(value_for)) == expected


def test_the_ranking_goes_from_highest_to_lowest_ties_in_the_documented_order():
    scores = {
        "autonomy": 50,
        "security": 75,
        "expertise": 50,
        "management": 0,
        "service": 100,
        "challenge": 25,
        "balance": 75,
        "entrepreneurship": 50,
    }

    assert values.ranking(scores) == [
        ("service", 100),
        ("security", 75),
        ("balance", 75),
        ("autonomy", 50),
        ("expertise", 50),
        ("entrepreneurship", 50),
        ("challenge", 25),
        ("management", 0),
    ]


@pytest.mark.parametrize(
    ("high", "expected"),
    [
        ({"security", "entrepreneurship"}, ["création progressive"]),
        ({"challenge", "balance"}, ["vos limites"]),
        ({"security", "autonomy", "entrepreneurship"}, ["création progressive", "liberté"]),
        ({"service", "balance"}, []),
    ],
)
def test_two_values_that_both_count_a_lot_get_a_note(high, expected):
    scores = {value_id: 90 if value_id in high else 40 for value_id in values.VALUE_IDS}

    notes = values.tensions(scores)

    assert len(notes) == len(expected)
    for note, fragment in zip(notes, expected, strict=True):
        assert fragment in note


answer_sets = st.fixed_dictionaries(
    {item_id: st.integers(min_value=1, max_value=5) for item_id in ITEM_IDS}
)


@given(answer_sets)
def test_every_score_is_between_0_and_100_and_the_ranking_is_sorted(answers):
    scores = values.score(answers)
    ranking = values.ranking(scores)

    assert all(0 <= value <= 100 for value in scores.values())
    assert sorted(value_id for value_id, _ in ranking) == sorted(values.VALUE_IDS)
    assert [score for _, score in ranking] == sorted(scores.values(), reverse=True)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=3, max_size=3), st.randoms())
def test_the_same_answers_in_another_order_give_the_same_scores(answers_of_a_value, random):
    answers = {}
    for value_id in values.VALUE_IDS:
        shuffled = list(answers_of_a_value)
        random.shuffle(shuffled)
        items = [item for item in values.ITEMS if item.dimension == value_id]
        answers.update({item.id: v for item, v in zip(items, shuffled, strict=True)})

    scores = values.score(answers)

    assert len(set(scores.values())) == 1
    # All equal: the ranking is the documented order.
    assert [value_id for value_id, _ in values.ranking(scores)] == list(values.VALUE_IDS)
