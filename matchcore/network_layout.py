"""The drawing of a person's network: where each person goes on the page.

A radial tree by referral depth. The person ("me") sits at the centre. The people they know
directly (contacts nobody introduced, mentors, peers) sit on the first ring; a contact
introduced by another sits one ring further out than its introducer, inside its introducer's
angular sector, so that each referral chain reads outwards from the centre.

Angular sectors: every node gets a share of the circle proportional to the number of leaves
under it (a node without children counts as one leaf), children split their parent's share
in their input order, and a node sits in the middle of its share. Two nodes on the same ring
are therefore at least ``2π / L`` apart (``L`` leaves in all), and the first ring's radius is
chosen so that this angle is at least ``settings.spacing`` long as a chord; outer rings are
``settings.ring_gap`` further out each. Hence no two nodes share a position, every node is
further from the centre than its parent, and the whole drawing fits in a square of side
``2 × (last ring + margin)``, the margin leaving room for the labels.

Bad links never fail the drawing: an introducer that is not among the nodes, a node that
names itself, or a loop of introductions (the services forbid them, data may still hold them)
attach the node to "me" instead, the first node of a loop in input order being cut.

Deterministic: the same input in the same order gives the same drawing (the first node at the
top, the others clockwise). Pure Python, no Django: frozen dataclasses in and out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class NodeKind(StrEnum):
    ME = "me"
    CONTACT = "contact"
    MENTOR = "mentor"
    PEER = "peer"


class EdgeKind(StrEnum):
    DIRECT = "direct"  # "me" knows this person without an introduction
    REFERRAL = "referral"  # the source introduced the target


@dataclass(frozen=True)
class Person:
    """One person of the network (not "me"). `id` is unique among the persons of one kind;
    `introduced_by` is the id of another person of the input (a contact, usually)."""

    id: int
    kind: NodeKind = NodeKind.CONTACT
    introduced_by: int | None = None


@dataclass(frozen=True)
class LayoutSettings:
    ring_gap: float = 150.0  # between two rings, room for a label along the radius
    spacing: float = 18.0  # minimum distance between the centres of two nodes of one ring
    node_radius: float = 8.0
    me_radius: float = 22.0
    margin: float = 150.0  # beyond the last ring: room for its labels

    def __post_init__(self):
        if not 0 < self.spacing <= self.ring_gap or self.ring_gap <= self.me_radius:
            raise ValueError("need 0 < spacing <= ring_gap, and ring_gap > me_radius")
        if self.margin < max(self.node_radius, self.me_radius):
            raise ValueError("the margin must hold a whole node")


@dataclass(frozen=True)
class PlacedNode:
    """A node and its position. `id` and `kind` are the input's (`id` is None for "me");
    `parent` is the id of the node it hangs from (None: "me"); `angle` is in degrees,
    0 pointing right and growing clockwise, as SVG's y axis points down."""

    id: int | None
    kind: NodeKind
    x: float
    y: float
    depth: int
    angle: float
    parent: int | None


@dataclass(frozen=True)
class Edge:
    source: int | None  # None: "me"
    target: int
    kind: EdgeKind
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Layout:
    """The drawing: a `width` × `height` box (origin top left), "me" first in `nodes`,
    then the others ring by ring; one edge per node other than "me"."""

    width: float
    height: float
    node_radius: float
    me_radius: float
    nodes: tuple[PlacedNode, ...]
    edges: tuple[Edge, ...]
    depth: int  # number of rings

    @property
    def me(self) -> PlacedNode:
        return self.nodes[0]


def _tree(people: Sequence[Person]) -> dict[int | None, list[int]]:
    """Children of each node (None: "me"), in input order, loops and dangling links cut."""
    known = {person.id for person in people}
    parent: dict[int, int | None] = {}
    for person in people:
        link = person.introduced_by
        parent[person.id] = link if link in known and link != person.id else None
    children: dict[int | None, list[int]] = {}
    for person in people:
        children.setdefault(parent[person.id], []).append(person.id)

    reached: set[int] = set()

    def reach(start: int | None) -> None:
        stack = list(children.get(start, ()))
        while stack:
            node = stack.pop()
            if node not in reached:
                reached.add(node)
                stack.extend(children.get(node, ()))

    reach(None)
    for person in people:  # what is left hangs in a loop: cut it at its first node
        if person.id not in reached:
            old = parent[person.id]
            children[old].remove(person.id)
            parent[person.id] = None
            children.setdefault(None, []).append(person.id)
            reached.add(person.id)
            reach(person.id)
    return children


def network_layout(people: Sequence[Person], settings: LayoutSettings | None = None) -> Layout:
    """Place "me" and `people` (see the module's docstring for the rules)."""
    settings = settings or LayoutSettings()
    ids = [person.id for person in people]
    if len(set(ids)) != len(ids):
        raise ValueError("each person needs a distinct id")
    kinds = {person.id: person.kind for person in people}
    children = _tree(people)

    # Leaves under each node, children before parents (reverse breadth-first order).
    Visit = tuple[int, int, int | None]  # (node, depth, parent)
    order: list[Visit] = []
    queue: list[Visit] = [(child, 1, None) for child in children.get(None, ())]
    while queue:
        order.extend(queue)
        queue = [
            (child, depth + 1, node) for node, depth, _ in queue for child in children.get(node, ())
        ]
    leaves: dict[int, int] = {}
    for node, _, _ in reversed(order):
        leaves[node] = sum(leaves[child] for child in children.get(node, ())) or 1
    total = sum(leaves[child] for child in children.get(None, ())) or 1
    depth_max = max((depth for _, depth, _ in order), default=0)

    first_ring = settings.ring_gap
    if total > 1:
        first_ring = max(first_ring, settings.spacing / (2 * math.sin(math.pi / total)))

    def radius(depth: int) -> float:
        return first_ring + (depth - 1) * settings.ring_gap

    half = (radius(depth_max) if depth_max else 0) + settings.margin
    centre = half

    # Each node's sector start (radians); the first node's sector is centred on the top.
    unit = 2 * math.pi / total
    roots = children.get(None, [])
    start: dict[int, float] = {}
    cursor = -math.pi / 2 - (leaves[roots[0]] * unit / 2 if roots else 0)
    for root in roots:
        start[root] = cursor
        cursor += leaves[root] * unit
    placed = [PlacedNode(None, NodeKind.ME, centre, centre, 0, 0.0, None)]
    position: dict[int | None, tuple[float, float]] = {None: (centre, centre)}
    edges: list[Edge] = []
    for node, depth, parent in order:
        inner = start[node]
        for child in children.get(node, ()):
            start[child] = inner
            inner += leaves[child] * unit
        angle = start[node] + leaves[node] * unit / 2
        r = radius(depth)
        x, y = centre + r * math.cos(angle), centre + r * math.sin(angle)
        position[node] = (x, y)
        degrees = math.degrees(angle) % 360
        placed.append(PlacedNode(node, kinds[node], x, y, depth, degrees, parent))
        px, py = position[parent]
        kind = EdgeKind.DIRECT if parent is None else EdgeKind.REFERRAL
        edges.append(Edge(parent, node, kind, px, py, x, y))
    return Layout(
        width=2 * half,
        height=2 * half,
        node_radius=settings.node_radius,
        me_radius=settings.me_radius,
        nodes=tuple(placed),
        edges=tuple(edges),
        depth=depth_max,
    )
