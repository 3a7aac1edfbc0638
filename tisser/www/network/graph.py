"""The drawing of "Mon réseau en image": the layout of `matchcore.network_layout` turned into
what the SVG template draws (circles, labels, lines, legend), and the rows of its table
alternative.

Each contact's circle is coloured by the stage of its enquête (the most advanced one when
there are several) and carries the stage's number, so that the legend never relies on colour
alone; a contact without an enquête is a hollow circle. Referral edges are solid and thick,
"I know this person directly" edges thin and dashed."""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchcore.network_layout import EdgeKind, LayoutSettings, NodeKind, Person, network_layout
from tisser.network.metrics import NetworkMetrics
from tisser.network.models import STAGE_ORDER, Contact, Stage

LABEL_LENGTH = 20
# Room a label takes along its radius, per character at font-size 12 (a generous average, so
# that the drawing's box never cuts a label), and across it.
CHAR_WIDTH = 7.0
LABEL_HALF_HEIGHT = 8.0
PADDING = 12.0
MIN_SIDE = 320.0  # a network of one or two contacts is not drawn as a thin strip
# Fill colours with at least 3:1 contrast on white and 4.5:1 under the white stage number.
STAGE_COLOURS = {
    Stage.TO_CONTACT: "#5f6368",
    Stage.MESSAGE_SENT: "#1f4e8c",
    Stage.FOLLOWED_UP: "#5b3a8c",
    Stage.MEETING_SET: "#8a3b12",
    Stage.INTERVIEW_DONE: "#1f5f2a",
    Stage.THANKED: "#063f46",
    Stage.NEXT_STEP: "#9b1c4a",
}
NO_ENQUETE_FILL = "#ffffff"
EDGE_STYLES = {
    EdgeKind.REFERRAL: ("#1d2125", "2.5", ""),
    EdgeKind.DIRECT: ("#5f6b66", "1.5", "5 4"),
}
SETTINGS = LayoutSettings(ring_gap=165.0)


def truncate(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper() or "?"


@dataclass(frozen=True)
class StageMark:
    """How a stage (or "no enquête": `stage` empty) is drawn and named."""

    stage: str
    number: str  # shown in the circle: the step's rank, "" without an enquête
    fill: str
    label: str


def stage_mark(stage: str) -> StageMark:
    if not stage:
        return StageMark("", "", NO_ENQUETE_FILL, _("Pas encore d'enquête"))
    return StageMark(
        stage,
        str(STAGE_ORDER.index(stage) + 1),
        STAGE_COLOURS[stage],
        str(Stage(stage).label),
    )


@dataclass(frozen=True)
class DrawnNode:
    contact_id: int
    x: float
    y: float
    mark: StageMark
    name: str
    label: str
    # The label runs along the radius, outwards, upright on either half of the circle.
    label_x: float
    label_anchor: str
    rotation: float
    # The SVG attributes, formatted once (the template draws up to hundreds of nodes).
    cx: str = field(init=False)
    cy: str = field(init=False)
    lx: str = field(init=False)
    transform: str = field(init=False)
    tooltip: str = field(init=False)

    def __post_init__(self):
        cx, cy = f"{self.x:.1f}", f"{self.y:.1f}"
        object.__setattr__(self, "cx", cx)
        object.__setattr__(self, "cy", cy)
        object.__setattr__(self, "lx", f"{self.label_x:.1f}")
        object.__setattr__(self, "transform", f"rotate({self.rotation:.1f} {cx} {cy})")
        object.__setattr__(self, "tooltip", f"{self.name} — {self.mark.label}")


@dataclass(frozen=True)
class DrawnEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: str
    dash: str
    points: str = field(init=False)  # x1, y1, x2, y2 formatted for the SVG

    def __post_init__(self):
        object.__setattr__(
            self,
            "points",
            f'x1="{self.x1:.1f}" y1="{self.y1:.1f}" x2="{self.x2:.1f}" y2="{self.y2:.1f}"',
        )


@dataclass(frozen=True)
class LegendEntry:
    mark: StageMark
    count: int


@dataclass(frozen=True)
class Drawing:
    """What the template draws; `view_x`, `view_y`, `width` and `height` are the SVG's
    viewBox, cropped to the nodes and their labels."""

    view_x: float
    view_y: float
    width: float
    height: float
    node_radius: float
    me_x: float
    me_y: float
    me_radius: float
    me_label: str
    nodes: tuple[DrawnNode, ...]
    edges: tuple[DrawnEdge, ...]
    legend: tuple[LegendEntry, ...]
    summary: str


def most_advanced(stages: Sequence[str]) -> str:
    return max(stages, key=STAGE_ORDER.index, default="")


def _grouped(count: int) -> str:
    """« 3 613 »: thousands grouped as on every other page, not « 3613 »."""
    return number_format(count, force_grouping=True)


def network_summary(metrics: NetworkMetrics, depth: int) -> str:
    """One paragraph saying what the drawing shows, for those who do not see it."""
    parts = [
        ngettext(
            "Votre réseau compte %(count)s contact",
            "Votre réseau compte %(count)s contacts",
            metrics.contacts,
        )
        % {"count": _grouped(metrics.contacts)},
        ngettext(
            "dont %(count)s présenté par un autre contact",
            "dont %(count)s présentés par un autre contact",
            metrics.referrals,
        )
        % {"count": _grouped(metrics.referrals)},
    ]
    sentence = ", ".join(parts) + ". "
    if depth > 2:  # "me" → a contact → the one they introduced → …: a chain of referrals
        sentence += _("La plus longue chaîne compte %(count)d mises en relation successives. ") % {
            "count": depth - 1
        }
    sentence += ngettext(
        "%(count)s enquête réalisée, ", "%(count)s enquêtes réalisées, ", metrics.interviews_done
    ) % {"count": _grouped(metrics.interviews_done)}
    sentence += ngettext(
        "%(count)d secteur distinct.", "%(count)d secteurs distincts.", metrics.sectors
    ) % {"count": metrics.sectors}
    return sentence + " " + _("Chaque contact figure dans le tableau qui suit.")


def _bounds(layout, nodes: Sequence[DrawnNode], offset: float) -> tuple[float, ...]:
    """The box holding "me", every circle and every label (left, top, right, bottom)."""
    me = layout.me
    xs = [me.x - layout.me_radius, me.x + layout.me_radius]
    ys = [me.y - layout.me_radius, me.y + layout.me_radius]
    for node, placed in zip(nodes, layout.nodes[1:], strict=True):
        reach = offset + len(node.label) * CHAR_WIDTH
        angle = math.radians(placed.angle)
        end_x, end_y = node.x + reach * math.cos(angle), node.y + reach * math.sin(angle)
        xs += [node.x - layout.node_radius, node.x + layout.node_radius]
        xs += [end_x - LABEL_HALF_HEIGHT, end_x + LABEL_HALF_HEIGHT]
        ys += [node.y - layout.node_radius, node.y + layout.node_radius]
        ys += [end_y - LABEL_HALF_HEIGHT, end_y + LABEL_HALF_HEIGHT]
    left, top = min(xs) - PADDING, min(ys) - PADDING
    right, bottom = max(xs) + PADDING, max(ys) + PADDING
    widen = max(0.0, MIN_SIDE - (right - left)) / 2
    heighten = max(0.0, MIN_SIDE - (bottom - top)) / 2
    return left - widen, top - heighten, right + widen, bottom + heighten


def network_drawing(
    contacts: Sequence[Contact],
    stages: Mapping[int, Sequence[str]],
    metrics: NetworkMetrics,
    me_label: str,
) -> Drawing:
    """The drawing of `contacts` (in the order to place them), `stages` giving the stages of
    each contact's enquêtes by contact id."""
    layout = network_layout(
        [Person(c.pk, NodeKind.CONTACT, c.introduced_by_id) for c in contacts], SETTINGS
    )
    by_id = {contact.pk: contact for contact in contacts}
    offset = layout.node_radius + 5
    nodes = []
    marks = Counter()
    for placed in layout.nodes[1:]:
        contact = by_id[placed.id]
        mark = stage_mark(most_advanced(stages.get(contact.pk, ())))
        marks[mark.stage] += 1
        name = str(contact)
        upright = placed.angle <= 90 or placed.angle >= 270
        nodes.append(
            DrawnNode(
                contact_id=contact.pk,
                x=placed.x,
                y=placed.y,
                mark=mark,
                name=name,
                label=truncate(name),
                label_x=placed.x + offset if upright else placed.x - offset,
                label_anchor="start" if upright else "end",
                # in [-90, 90]: text never reads upside down
                rotation=(placed.angle + 90) % 360 - 90 if upright else placed.angle - 180,
            )
        )
    view_x, view_y, right, bottom = _bounds(layout, nodes, offset)
    edges = tuple(
        DrawnEdge(edge.x1, edge.y1, edge.x2, edge.y2, *EDGE_STYLES[edge.kind])
        for edge in layout.edges
    )
    legend = tuple(LegendEntry(stage_mark(stage), marks[stage]) for stage in ("", *STAGE_ORDER))
    return Drawing(
        view_x=view_x,
        view_y=view_y,
        width=right - view_x,
        height=bottom - view_y,
        node_radius=layout.node_radius,
        me_x=layout.me.x,
        me_y=layout.me.y,
        me_radius=layout.me_radius,
        me_label=me_label,
        nodes=tuple(nodes),
        edges=edges,
        legend=legend,
        summary=network_summary(metrics, layout.depth),
    )


@dataclass(frozen=True)
class ContactRow:
    contact: Contact
    introduced_by: str
    sector: str
    mark: StageMark
    url: str  # the contact's page, "" when not linked


def contact_page_url(contact_id: int) -> str:
    """The contact's page; "" while the contact pages are not installed."""
    try:
        return reverse("network:contact", args=[contact_id])
    except NoReverseMatch:
        return ""


def contact_rows(
    contacts: Sequence[Contact], stages: Mapping[int, Sequence[str]], *, link: bool = False
) -> list[ContactRow]:
    """The table alternative: who, introduced by whom, how known, sector, enquête stage;
    each name linked to the contact's page when `link`. `contacts` come with `introduced_by`
    and `metier__domaine` selected."""
    link = link and bool(contacts) and bool(contact_page_url(contacts[0].pk))
    rows = []
    for contact in contacts:
        sector = contact.sector
        if contact.metier is not None:
            sector = f"{contact.metier.libelle} ({contact.metier.domaine.libelle})"
        rows.append(
            ContactRow(
                contact=contact,
                introduced_by=str(contact.introduced_by) if contact.introduced_by else "",
                sector=sector,
                mark=stage_mark(most_advanced(stages.get(contact.pk, ()))),
                url=contact_page_url(contact.pk) if link else "",
            )
        )
    return rows
