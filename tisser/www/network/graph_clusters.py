"""The drawing of a large network in groups (`tisser.network.clusters`): "me" at the centre,
one circle per group on a ring around it, its size growing with the group's count, which
it carries in figures; each group's name along its radius. Beyond `MAX_DRAWN` groups, the
smallest are drawn together as one circle "autres" (they stay listed, each openable)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchcore.network_layout import LayoutSettings, NodeKind, Person, network_layout
from tisser.network.clusters import Cluster, Grouping
from tisser.network.metrics import NetworkMetrics
from tisser.www.network.graph import (
    CHAR_WIDTH,
    LABEL_HALF_HEIGHT,
    MIN_SIDE,
    PADDING,
    STAGE_COLOURS,
    _grouped,
    truncate,
)

MAX_DRAWN = 16
SECTOR_FILL = "#0a5c66"
OTHERS_FILL = "#5f6368"
NO_STAGE_FILL = "#5f6368"
SETTINGS = LayoutSettings(ring_gap=190.0, spacing=70.0, node_radius=30.0, margin=160.0)
MIN_RADIUS, MAX_RADIUS = 14.0, 32.0


def cluster_label(cluster: Cluster, grouping: Grouping) -> str:
    """The group's name as a person reads it."""
    if cluster.label:
        return cluster.label
    if grouping == Grouping.STAGE:
        return _("Pas encore d'enquête")
    return _("Secteur non renseigné")


@dataclass(frozen=True)
class DrawnCluster:
    label: str
    short: str  # the label drawn, truncated
    count: int
    fill: str
    cx: str
    cy: str
    r: str
    lx: str
    label_anchor: str
    transform: str
    count_text: str = field(init=False)
    tooltip: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "count_text", _grouped(self.count))
        object.__setattr__(
            self,
            "tooltip",
            ngettext("%(label)s — %(count)s contact", "%(label)s — %(count)s contacts", self.count)
            % {"label": self.label, "count": _grouped(self.count)},
        )


@dataclass(frozen=True)
class ClusterDrawing:
    view_x: float
    view_y: float
    width: float
    height: float
    me_x: float
    me_y: float
    me_radius: float
    me_label: str
    nodes: tuple[DrawnCluster, ...]
    edges: tuple[str, ...]  # the SVG points of each line from "me" to a group
    summary: str


def cluster_summary(metrics: NetworkMetrics, grouping: Grouping, groups: int) -> str:
    sentence = ngettext(
        "Votre réseau compte %(count)s contact",
        "Votre réseau compte %(count)s contacts",
        metrics.contacts,
    ) % {"count": _grouped(metrics.contacts)}
    if grouping == Grouping.STAGE:
        sentence += ngettext(
            ", regroupés ici en %(groups)d groupe selon l'étape de l'enquête.",
            ", regroupés ici en %(groups)d groupes selon l'étape de l'enquête.",
            groups,
        ) % {"groups": groups}
    else:
        sentence += ngettext(
            ", regroupés ici en %(groups)d groupe par secteur.",
            ", regroupés ici en %(groups)d groupes par secteur.",
            groups,
        ) % {"groups": groups}
    return (
        sentence
        + " "
        + _("La liste des groupes permet d'en ouvrir un ; le tableau qui suit liste les contacts.")
    )


def _fill(cluster: Cluster, grouping: Grouping) -> str:
    if grouping == Grouping.STAGE:
        return STAGE_COLOURS.get(cluster.key, NO_STAGE_FILL)
    return SECTOR_FILL


def cluster_drawing(
    groups: Sequence[Cluster], grouping: Grouping, metrics: NetworkMetrics, me_label: str
) -> ClusterDrawing:
    """The drawing of `groups` (largest first), the smallest merged beyond `MAX_DRAWN`."""
    shown: list[tuple[str, int, str]] = [
        (cluster_label(cluster, grouping), cluster.count, _fill(cluster, grouping))
        for cluster in groups[:MAX_DRAWN]
    ]
    rest = groups[MAX_DRAWN:]
    if rest:
        # the last circle drawn stands for every group left
        shown[-1:] = [
            (
                ngettext("%(count)d autre groupe", "%(count)d autres groupes", len(rest) + 1)
                % {"count": len(rest) + 1},
                sum(cluster.count for cluster in groups[MAX_DRAWN - 1 :]),
                OTHERS_FILL,
            )
        ]
    layout = network_layout(
        [Person(index, NodeKind.CONTACT) for index in range(len(shown))], SETTINGS
    )
    biggest = max((count for _label, count, _fill in shown), default=1)
    nodes, edges = [], []
    xs = [layout.me.x - layout.me_radius, layout.me.x + layout.me_radius]
    ys = [layout.me.y - layout.me_radius, layout.me.y + layout.me_radius]
    for (label, count, fill), placed in zip(shown, layout.nodes[1:], strict=True):
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(count / biggest)
        offset = radius + 6
        upright = placed.angle <= 90 or placed.angle >= 270
        rotation = (placed.angle + 90) % 360 - 90 if upright else placed.angle - 180
        text = truncate(label, 28)
        cx, cy = f"{placed.x:.1f}", f"{placed.y:.1f}"
        nodes.append(
            DrawnCluster(
                label=label,
                short=text,
                count=count,
                fill=fill,
                cx=cx,
                cy=cy,
                r=f"{radius:.1f}",
                lx=f"{placed.x + offset if upright else placed.x - offset:.1f}",
                label_anchor="start" if upright else "end",
                transform=f"rotate({rotation:.1f} {cx} {cy})",
            )
        )
        edges.append(f'x1="{layout.me.x:.1f}" y1="{layout.me.y:.1f}" x2="{cx}" y2="{cy}"')
        angle = math.radians(placed.angle)
        reach = offset + len(text) * CHAR_WIDTH
        end_x, end_y = placed.x + reach * math.cos(angle), placed.y + reach * math.sin(angle)
        xs += [placed.x - radius, placed.x + radius, end_x - LABEL_HALF_HEIGHT]
        xs += [end_x + LABEL_HALF_HEIGHT]
        ys += [placed.y - radius, placed.y + radius, end_y - LABEL_HALF_HEIGHT]
        ys += [end_y + LABEL_HALF_HEIGHT]
    left, top = min(xs) - PADDING, min(ys) - PADDING
    right, bottom = max(xs) + PADDING, max(ys) + PADDING
    widen = max(0.0, MIN_SIDE - (right - left)) / 2
    heighten = max(0.0, MIN_SIDE - (bottom - top)) / 2
    left, right, top, bottom = left - widen, right + widen, top - heighten, bottom + heighten
    return ClusterDrawing(
        view_x=left,
        view_y=top,
        width=right - left,
        height=bottom - top,
        me_x=layout.me.x,
        me_y=layout.me.y,
        me_radius=layout.me_radius,
        me_label=me_label,
        nodes=tuple(nodes),
        edges=tuple(edges),
        summary=cluster_summary(metrics, grouping, len(groups)),
    )
