"""The drawing of the network view, from contacts in memory (no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tisser.network.metrics import NetworkMetrics
from tisser.network.models import Contact, Stage
from tisser.www.network.graph import (
    contact_rows,
    initials,
    most_advanced,
    network_drawing,
    truncate,
)
from tisser.www.network.graph_chart import nice_top

METRICS = NetworkMetrics(0, 0, 0, 0)


def contacts(parents: list[int | None], name: str = "Camille Dupont") -> list[Contact]:
    people = [
        Contact(pk=i + 1, first_name=f"{name} {i}", last_name="", introduced_by_id=parent)
        for i, parent in enumerate(parents)
    ]
    return people


@st.composite
def referral_lists(draw):
    size = draw(st.integers(1, 80))
    return [draw(st.none() | st.integers(1, i)) if i else None for i in range(size)]


@given(referral_lists(), st.text(min_size=1, max_size=60))
@settings(max_examples=60, deadline=None)
def test_every_circle_and_label_fits_in_the_view_box(parents, name):
    drawing = network_drawing(contacts(parents, name), {}, METRICS, "Moi")

    right, bottom = drawing.view_x + drawing.width, drawing.view_y + drawing.height
    for node in drawing.nodes:
        assert drawing.view_x < node.x - drawing.node_radius
        assert node.x + drawing.node_radius < right
        assert drawing.view_y < node.y - drawing.node_radius
        assert node.y + drawing.node_radius < bottom
        assert len(node.label) <= 20
    assert drawing.width >= 320 and drawing.height >= 320


def test_labels_read_upright_on_both_sides():
    drawing = network_drawing(contacts([None] * 4), {}, METRICS, "Moi")

    # top, right, bottom, left: the left one is turned over and anchored at its end
    assert [node.label_anchor for node in drawing.nodes] == ["start", "start", "start", "end"]
    assert all(-90 <= node.rotation <= 90 for node in drawing.nodes)


def test_each_contact_shows_its_most_advanced_enquete():
    people = contacts([None, None])
    stages = {1: [Stage.MESSAGE_SENT, Stage.THANKED, Stage.TO_CONTACT]}

    drawing = network_drawing(people, stages, METRICS, "Moi")

    marks = [(node.mark.number, node.mark.label) for node in drawing.nodes]
    assert marks == [("6", "Remercié·e"), ("", "Pas encore d'enquête")]
    assert [(entry.mark.number, entry.count) for entry in drawing.legend][:2] == [("", 1), ("1", 0)]
    assert [row.mark.number for row in contact_rows(people, stages)] == ["6", ""]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anne Martin", "Anne Martin"),
        ("A" * 25, "A" * 19 + "…"),
        ("Jean-Baptiste de la Tour", "Jean-Baptiste de la…"),
    ],
)
def test_labels_are_truncated(text, expected):
    assert truncate(text) == expected


def test_small_helpers():
    assert initials("Chantal de Lamarck") == "CD"
    assert initials("") == "?"
    assert most_advanced([]) == ""


@pytest.mark.parametrize(
    ("value", "top", "step"), [(0, 1, 1), (3, 3, 1), (7, 8, 2), (23, 25, 5), (200, 200, 50)]
)
def test_the_y_axis_ends_on_a_round_number(value, top, step):
    assert nice_top(value) == (top, step)
