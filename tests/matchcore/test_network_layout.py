import math
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchcore.network_layout import (
    EdgeKind,
    LayoutSettings,
    NodeKind,
    Person,
    network_layout,
)


@st.composite
def forests(draw, max_size=60):
    """People whose introducers come earlier in the list (no loop), ids shuffled."""
    size = draw(st.integers(min_value=0, max_value=max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    people = []
    for index, person_id in enumerate(ids):
        introducer = draw(st.none() | st.integers(0, index - 1)) if index else None
        people.append(
            Person(
                id=person_id,
                kind=draw(st.sampled_from([NodeKind.CONTACT, NodeKind.MENTOR, NodeKind.PEER])),
                introduced_by=ids[introducer] if introducer is not None else None,
            )
        )
    return draw(st.permutations(people))


@st.composite
def any_links(draw):
    """People whose introducers may be anyone, themselves, or nobody known: loops included."""
    ids = draw(st.lists(st.integers(1, 50), max_size=30, unique=True))
    return [Person(id=i, introduced_by=draw(st.none() | st.sampled_from([*ids, 999]))) for i in ids]


def distance(a, b):
    return math.hypot(a.x - b.x, a.y - b.y)


def check_properties(people, layout, spacing):
    by_id = {node.id: node for node in layout.nodes}
    me = layout.me
    # every person is drawn once, "me" first
    assert me.kind == NodeKind.ME
    assert sorted(node.id for node in layout.nodes[1:]) == sorted(p.id for p in people)
    # no two nodes at the same position (nor closer than the spacing)
    for a, b in combinations(layout.nodes, 2):
        assert distance(a, b) >= spacing - 1e-6
        assert (round(a.x, 1), round(a.y, 1)) != (round(b.x, 1), round(b.y, 1))
    # every node inside the box, its circle included
    for node in layout.nodes:
        r = layout.me_radius if node.kind == NodeKind.ME else layout.node_radius
        assert r <= node.x <= layout.width - r
        assert r <= node.y <= layout.height - r
    # children further from the centre than their parent; one edge per person
    for node in layout.nodes[1:]:
        parent = by_id[node.parent]
        assert distance(node, me) > distance(parent, me)
        assert node.depth == parent.depth + 1
    assert len(layout.edges) == len(people)
    for edge in layout.edges:
        assert (edge.x1, edge.y1) == (by_id[edge.source].x, by_id[edge.source].y)
        assert (edge.x2, edge.y2) == (by_id[edge.target].x, by_id[edge.target].y)


@given(forests())
@settings(max_examples=150, deadline=None)
def test_layout_properties_on_any_referral_forest(people):
    layout = network_layout(people)

    check_properties(people, layout, LayoutSettings().spacing)
    # the referral chains are kept: each introduced person hangs from its introducer
    by_id = {node.id: node for node in layout.nodes}
    for person in people:
        assert by_id[person.id].parent == person.introduced_by
        edge = next(e for e in layout.edges if e.target == person.id)
        expected = EdgeKind.DIRECT if person.introduced_by is None else EdgeKind.REFERRAL
        assert edge.kind == expected


@given(any_links())
@settings(max_examples=150, deadline=None)
def test_loops_and_dangling_introducers_never_break_the_drawing(people):
    layout = network_layout(people)

    check_properties(people, layout, LayoutSettings().spacing)


@given(forests(max_size=25))
@settings(max_examples=50, deadline=None)
def test_the_same_input_gives_the_same_drawing(people):
    assert network_layout(people) == network_layout(list(people))


def test_an_empty_network_is_me_alone_in_the_middle():
    layout = network_layout([])

    assert [node.kind for node in layout.nodes] == [NodeKind.ME]
    assert (layout.me.x, layout.me.y) == (layout.width / 2, layout.height / 2)
    assert layout.edges == () and layout.depth == 0


def test_a_radial_tree_by_referral_depth():
    # given Anne and Bruno known directly, Anne introduced Chloé who introduced David
    people = [
        Person(1),
        Person(2),
        Person(3, introduced_by=1),
        Person(4, introduced_by=3),
    ]

    layout = network_layout(people)

    nodes = {node.id: node for node in layout.nodes}
    assert [nodes[i].depth for i in (1, 2, 3, 4)] == [1, 1, 2, 3]
    # the first person is at the top, the chain under Anne points the same way
    assert nodes[1].angle == pytest.approx(270)
    assert nodes[3].angle == pytest.approx(nodes[1].angle)
    assert nodes[2].angle == pytest.approx(90)
    assert [(e.source, e.target, e.kind) for e in layout.edges] == [
        (None, 1, EdgeKind.DIRECT),
        (None, 2, EdgeKind.DIRECT),
        (1, 3, EdgeKind.REFERRAL),
        (3, 4, EdgeKind.REFERRAL),
    ]


def test_a_crowded_first_ring_grows_to_keep_nodes_apart():
    layout = network_layout([Person(i) for i in range(1, 201)])

    first = layout.nodes[1]
    radius = math.hypot(first.x - layout.me.x, first.y - layout.me.y)
    assert radius > LayoutSettings().ring_gap
    check_properties([Person(i) for i in range(1, 201)], layout, LayoutSettings().spacing)


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError):
        network_layout([Person(1), Person(1)])


@pytest.mark.parametrize("bad", [{"spacing": 0}, {"spacing": 200}, {"ring_gap": 20}, {"margin": 5}])
def test_inconsistent_settings_are_refused(bad):
    with pytest.raises(ValueError):
        LayoutSettings(**bad)
