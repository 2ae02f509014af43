"""``diagrams/recovery.*``: the disaster-recovery view, for designs with a recovery Region.

Both Regions side by side, one compact node per component (or per group of same-kind services), the paths that
matter in a disaster: each primary store's replication to its copy (labelled with the mechanism), the copy of the
backups, the restore of dormant copies, and the failover path from the edge through DNS to each Region's entry.

* ``recovery.mmd``: a Mermaid flowchart (:func:`recovery_mermaid_source`, for DESIGN.md's DR runbook);
* ``recovery.dot``: Graphviz DOT built with mingrammer's ``diagrams``; ``recovery.svg`` and ``recovery.png`` are
  laid out from it by :func:`archgen.render.diagram.render_diagrams`.

The view is derived from the design alone: every word is a component id or property, a connection label, or text
from ``data/diagram_icons.yaml`` (``recovery``). The failover path is the design's DNS routing component (a global
component connected to both Regions' entries, with a ``routing`` property) and its connections; a design without
one (backup and restore, a queue-fed pipeline) has no failover path to draw. Ids are stable (component ids, Region
indexes, kinds), so the output is byte-identical like the architecture view's.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

from archgen.components import component_catalogue
from archgen.design import Component, Connection, Design
from archgen.recovery_data import recovery_data
from archgen.render.diagram import (
    CLUSTER_ATTRS,
    CLUSTER_STYLES,
    EDGE_ATTRS,
    FOLDER,
    GLOBAL,
    ICON_SIZE,
    LINE_HEIGHT,
    NODE_ATTRS,
    NOT_STORES,
    TIER_ORDER,
    WRAP,
    Layout,
    RecoveryText,
    RegionBox,
    diagram_layout,
    dot_header,
    dot_text,
    icon_class,
    icon_for,
    icon_name,
    icon_table,
    is_dormant,
    mermaid_text,
    safe_id,
    tier_of,
    vpc_label,
    wrap,
)

MERMAID_FILE = f"{FOLDER}/recovery.mmd"
DOT_FILE = f"{FOLDER}/recovery.dot"
SVG_FILE = f"{FOLDER}/recovery.svg"
PNG_FILE = f"{FOLDER}/recovery.png"
FRONT_LABEL = "Edge and DNS (global)"

# How each kind of link is drawn: local request paths thin and unlabelled; the recovery paths labelled.
Style = Literal["local", "front", "copy", "restore", "serve", "standby"]
LABELLED: tuple[Style, ...] = ("front", "copy", "restore", "serve", "standby")
DASHED: tuple[Style, ...] = ("copy", "restore", "standby")
ORANGE = {"color": "#D45B07", "fontcolor": "#B34A00", "penwidth": "1.6"}
GREY = "#9AA0A6"
LINK_STYLES: dict[Style, dict[str, str]] = {
    "local": {"color": "#AEB6BE", "arrowsize": "0.6"},
    "front": {"color": "#545B64", "penwidth": "1.2"},
    "copy": {"style": "dashed", **ORANGE},
    "restore": {"style": "dashed", "color": "#7D8998", "fontcolor": "#545B64"},
    "serve": {"color": "#007D7F", "fontcolor": "#00585A", "penwidth": "1.8"},
    "standby": {"style": "dashed", **ORANGE, "penwidth": "1.8"},
}
DORMANT_WRAP = 15  # characters per label line inside a dormant node's frame, which is the icon's width
DORMANT_NODE = {"shape": "box", "style": "dashed,rounded", "color": GREY, "fontcolor": "#6B7280"}
GRAPH_ATTRS = {
    "pad": "0.3",
    "splines": "spline",
    "nodesep": "0.5",
    "ranksep": "0.8",
    "fontsize": "20",
    "labelloc": "t",
    "newrank": "true",
    "outputorder": "edgesfirst",
}
MERMAID_ORANGE = "stroke:#D45B07,color:#B34A00"


# --- the model ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """One node: a component, or a group of same-kind services in one Region."""

    key: str  # the node id in both drawings
    lines: tuple[str, ...]
    icon: str  # the mingrammer node class (module.Class)
    row: int  # the tier's position, top to bottom, shared by both Regions (edge nodes: -1)
    dormant: bool = False
    store: bool = False  # a data store: a cylinder in Mermaid


@dataclass(frozen=True)
class Column:
    """One Region, drawn as a box."""

    key: str
    lines: tuple[str, ...]
    primary: bool
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Link:
    """One edge: its ends (node keys), its label ("" for none) and how it is drawn."""

    source: str
    target: str
    label: str
    style: Style
    faint: bool = False  # an edge of the dormant stack


@dataclass(frozen=True)
class RecoveryView:
    """The whole recovery drawing: the global edge with the DNS routing, the Regions, the links."""

    title: str
    front: tuple[Node, ...]
    columns: tuple[Column, ...]
    links: tuple[Link, ...]

    @property
    def nodes(self) -> tuple[Node, ...]:
        """Every node, edge first."""
        return (*self.front, *(node for column in self.columns for node in column.nodes))


def recovery_view(design: Design) -> RecoveryView | None:
    """The recovery view of ``design``; None when it has no recovery Region."""
    layout = diagram_layout(design)
    if len(layout.regions) < 2:
        return None
    text = icon_table().recovery
    owner: dict[str, Node] = {}  # component id → the node that draws it
    columns = tuple(_column(design, box, text, owner) for box in layout.regions)
    front: list[Node] = []
    for component in layout.edge:
        if component.kind not in text.plumbing:
            front.append(_single(design, component, text, -1))
            owner[component.id] = front[-1]
    routes = _routes(design, layout)
    links = [_link(design, _through_dns(connection, routes), owner, text) for connection in design.connections]
    strategy = next((s for key, s in recovery_data().strategies.items() if key == _strategy(design)), None)
    title = f"{design.name}: disaster recovery" + (f", {strategy.title.lower()}" if strategy else "")
    return RecoveryView(title=title, front=tuple(front), columns=columns, links=_unique(links))


def _strategy(design: Design) -> str:
    decision = design.decisions.get("dr_strategy")
    return decision.choice if decision is not None else ""


def _column(design: Design, box: RegionBox, text: RecoveryText, owner: dict[str, Node]) -> Column:
    """A Region's nodes: one per component, one per group of :attr:`RecoveryText.group_at` same-kind services."""
    members = [c for c in design.components if c.region == box.name and c.kind not in text.plumbing]
    kinds: dict[str, list[Component]] = {}
    for component in members:
        if component_catalogue().kinds[component.kind].category == "compute":
            kinds.setdefault(component.kind, []).append(component)
    grouped = {kind: group for kind, group in kinds.items() if len(group) >= text.group_at}
    nodes: list[Node] = []
    for component in members:
        group = grouped.get(component.kind)
        if group is None:
            nodes.append(_single(design, component, text, _row(component)))
        elif component is group[0]:
            nodes.append(_group(design, box.index, group, text))
        owner[component.id] = owner[group[0].id] if group and component is not group[0] else nodes[-1]
    lines = (box.label, vpc_label(box)) if box.vpc is not None else (box.label,)
    return Column(key=box.key, lines=lines, primary=box.index == 0, nodes=tuple(nodes))


def _row(component: Component) -> int:
    return TIER_ORDER.get(tier_of(component), TIER_ORDER["storage"])


def _single(design: Design, component: Component, text: RecoveryText, row: int) -> Node:
    routing = text.routing.get(str(component.properties.get("routing", "")))
    state = (routing.detail,) if routing is not None else _state([component], text)
    return Node(
        key=safe_id(component.id),
        lines=(component.id, icon_for(design, component).caption, *state),
        icon=icon_for(design, component).icon,
        row=row,
        dormant=is_dormant(component),
        store=_is_store(component),
    )


def _group(design: Design, region: int, members: list[Component], text: RecoveryText) -> Node:
    """One node for several services of one kind: the count, their names, their common state."""
    first = members[0]
    icon = icon_for(design, first)
    originals = [c.properties.get("replica_of") for c in members]
    if all(isinstance(name, str) for name in originals):
        names = text.copies.format(names=", ".join(str(name) for name in originals))
    else:
        names = ", ".join(c.id for c in members)
    return Node(
        key=f"g_{first.kind.replace('-', '_')}_{region}",
        lines=(text.group.format(count=len(members), caption=icon.caption), names, *_state(members, text)),
        icon=icon.icon,
        row=_row(first),
        dormant=all(is_dormant(c) for c in members),
    )


def _state(members: list[Component], text: RecoveryText) -> tuple[str, ...]:
    """What a copy is doing until failover: dormant (restored on disaster) or its standby capacity."""
    if all(is_dormant(c) for c in members):
        return (text.dormant,)
    percents = {_number(c.properties.get("capacity_percent")) for c in members}
    if len(percents) != 1 or None in percents:
        return ()
    percent = percents.pop()
    if percent == 0:
        return (text.capacity_zero,)
    if percent is not None and percent >= 100:
        return (text.capacity_full.format(percent=f"{percent:g}"),)
    tops = sorted({m for c in members if (m := _number(c.properties.get("max_count"))) is not None})
    if not tops:
        return (text.capacity_full.format(percent=f"{percent:g}"),)
    top = f"{tops[0]:g}" if len(tops) == 1 else text.max_range.format(low=f"{tops[0]:g}", high=f"{tops[-1]:g}")
    return (text.capacity_partial.format(percent=f"{percent:g}", max=top),)


def _number(value: object) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _is_store(component: Component) -> bool:
    category = component_catalogue().kinds[component.kind].category
    return category == "data" and component.kind not in NOT_STORES


def _link(design: Design, connection: Connection, owner: dict[str, Node], text: RecoveryText) -> Link | None:
    """The link drawing ``connection``: None when an end is not drawn (plumbing) or both ends share a node."""
    source, target = owner.get(connection.source), owner.get(connection.target)
    if source is None or target is None or source is target:
        return None
    ends = design.component(connection.source), design.component(connection.target)
    style = _style(design, ends, text)
    label = connection.label if style in LABELLED else ""
    return Link(source.key, target.key, label, style, faint=source.dormant or target.dormant)


def _style(design: Design, ends: tuple[Component, Component], text: RecoveryText) -> Style:
    """How a connection is drawn: which path it is on, from the Regions and roles of its ends."""
    source, target = ends
    routing = text.routing.get(str(source.properties.get("routing", "")))
    if source.region == GLOBAL and routing is not None and target.region != GLOBAL:
        # the DNS routing: into the primary Region it serves; into the recovery Region it serves or stands by
        return "standby" if routing.standby and target.region != design.primary_region else "serve"
    if GLOBAL in (source.region, target.region):
        return "front"
    if source.region != target.region:
        return "copy"
    return "restore" if is_dormant(target) and not is_dormant(source) else "local"


def _routes(design: Design, layout: Layout) -> dict[str, str]:
    """Each entry the DNS routing leads to in the primary Region → the routing component.

    The DNS routing is a global component that leads into both Regions (Route 53 health checks and failover or
    latency records, in front of each Region's entry).
    """
    regions = {c.id: c.region for c in design.components}
    edge = {c.id for c in layout.edge}
    reach: dict[str, set[str]] = {}
    for connection in design.connections:
        if connection.source in edge and regions[connection.target] != GLOBAL:
            reach.setdefault(connection.source, set()).add(regions[connection.target])
    routers = [source for source, into in reach.items() if len(into) > 1]
    return {
        c.target: c.source
        for c in design.connections
        if c.source in routers and regions[c.target] == design.primary_region
    }


def _through_dns(connection: Connection, routes: dict[str, str]) -> Connection:
    """A connection from the edge (the CDN) to an entry the DNS routes to, led into the DNS routing instead.

    The CDN reaches the entry through the DNS name that fails over (or routes by latency) between the Regions:
    drawn so, the failover path reads from the edge through the DNS to both Regions.
    """
    router = routes.get(connection.target)
    if router is None or connection.source == router:
        return connection
    return connection.model_copy(update={"target": router})


def _unique(links: list[Link | None]) -> tuple[Link, ...]:
    """The links in order, without gaps and without repeats (grouped services share their edges)."""
    return tuple(dict.fromkeys(link for link in links if link is not None))


# --- Mermaid ----------------------------------------------------------------------------------------------------------


def recovery_mermaid_source(design: Design) -> str | None:
    """``recovery.mmd`` for DESIGN.md's DR runbook; None when the design has no recovery Region."""
    view = recovery_view(design)
    return None if view is None else mermaid_of(view)


def mermaid_of(view: RecoveryView) -> str:
    """A top-down flowchart: the edge and DNS above the Regions, side by side; recovery paths dashed and orange."""
    lines = ["flowchart TB"]
    if view.front:
        lines.append(f'  subgraph front["{mermaid_text(FRONT_LABEL)}"]')
        lines += [f"    {_mermaid_node(node)}" for node in view.front]
        lines.append("  end")
    for column in view.columns:
        label = "<br/>".join(mermaid_text(line) for line in column.lines)
        lines.append(f'  subgraph {column.key}["{label}"]')
        lines += [f"    {_mermaid_node(node)}" for node in column.nodes]
        lines.append("  end")
    for link in view.links:
        arrow = "-.->" if link.style in DASHED or link.faint else "-->"
        label = f'|"{mermaid_text(link.label)}"|' if link.label else ""
        lines.append(f"  {link.source} {arrow}{label} {link.target}")
    orange = [str(index) for index, link in enumerate(view.links) if link.style in ("copy", "standby")]
    if orange:
        lines.append(f"  linkStyle {','.join(orange)} {MERMAID_ORANGE}")
    dormant = [node.key for node in view.nodes if node.dormant]
    if dormant:
        lines.append(f"  classDef dormant stroke-dasharray: 4 3,stroke:{GREY},color:#6B7280,fill:#F4F4F4")
        lines.append(f"  class {','.join(dormant)} dormant")
    return "\n".join(lines) + "\n"


def _mermaid_node(node: Node) -> str:
    label = "<br/>".join(mermaid_text(line) for line in node.lines)
    opening, closing = ("[(", ")]") if node.store else ("[", "]")  # data stores as cylinders
    return f'{node.key}{opening}"{label}"{closing}'


# --- Graphviz -------------------------------------------------------------------------------------------------------


def dot_of(view: RecoveryView) -> str:
    """``recovery.dot``, built with mingrammer's ``diagrams`` like ``architecture.dot`` (icons named, not pathed).

    Top to bottom: the edge and the DNS routing, then the Regions side by side (primary left), their tiers in rows
    shared across both Regions so that every copy sits level with its original.
    """
    import diagrams  # type: ignore[import-untyped]  # noqa: PLC0415 - heavy: loaded only to draw
    from graphviz import nohtml  # type: ignore[import-untyped]  # noqa: PLC0415

    def text(value: str) -> str:
        return nohtml(dot_text(value))  # type: ignore[no-any-return]

    diagram = diagrams.Diagram(
        name=text(view.title),
        filename="recovery",
        direction="TB",
        show=False,
        graph_attr=GRAPH_ATTRS,
        node_attr=NODE_ATTRS,
        edge_attr=EDGE_ATTRS,
    )
    diagram.dot.comment = dot_header("recovery.dot")
    nodes: dict[str, Any] = {}

    def cluster(name: str, lines: tuple[str, ...], style: str) -> Any:
        label = nohtml("\n".join(dot_text(line) for line in lines))
        box = diagrams.Cluster(label, graph_attr={**CLUSTER_STYLES[style], **CLUSTER_ATTRS})
        box.dot.name = f"cluster_{name}"  # stable and unique: mingrammer names a cluster after its label
        return box

    diagrams.setdiagram(diagram)
    try:
        if view.front:
            with cluster("front", (FRONT_LABEL,), "edge"):
                nodes.update({node.key: _dot_node(node, nohtml) for node in view.front})
        for column in view.columns:
            with cluster(column.key, column.lines, "region" if column.primary else "recovery"):
                nodes.update({node.key: _dot_node(node, nohtml) for node in column.nodes})
        for link in view.links:
            attrs = {**EDGE_ATTRS, **LINK_STYLES[link.style], **({"style": "dashed"} if link.faint else {})}
            edge = diagrams.Edge(forward=True, label=text(link.label) if link.label else "", **attrs)
            diagram.connect(nodes[link.source], nodes[link.target], edge)
        _dot_rows(view, diagram, nodes)
    finally:
        diagrams.setdiagram(None)
    return str(diagram.dot.source)


def _dot_node(node: Node, not_html: Any) -> Any:
    node_class = icon_class(node.icon)
    width = DORMANT_WRAP if node.dormant else WRAP
    lines = [dot_text(part) for line in node.lines for part in wrap(line, width)]
    return node_class(
        not_html("\n".join(lines)),
        nodeid=node.key,
        image=icon_name(node_class),
        height=f"{ICON_SIZE + 0.08 + LINE_HEIGHT * len(lines):.2f}",
        **(DORMANT_NODE if node.dormant else {}),
    )


def _dot_rows(view: RecoveryView, diagram: Any, nodes: dict[str, Any]) -> None:
    """One row per tier, in tier order; the recovery Region one row lower than the primary.

    Shifted by a row, every replication and copy edge runs down and across, its label in the gap between rows
    (edges within a row would bend over their neighbours and stack their labels). Invisible edges keep the rows in
    order (between their first nodes) and each row in column order, the primary Region left.
    """
    import diagrams  # noqa: PLC0415

    rows = _rows(view)
    ranks: dict[int, list[str]] = {}
    levels = sorted(set(rows.values()))
    for shift, column in enumerate(view.columns):
        for node in column.nodes:
            ranks.setdefault(levels.index(rows[node.key]) + shift, []).append(node.key)
    linked = {(link.source, link.target) for link in view.links}
    ordered = [ranks[rank] for rank in sorted(ranks)]
    for index, keys in enumerate(ordered):
        with diagram.dot.subgraph(name=f"row{index}") as rank:
            rank.attr(rank="same")
            for key in keys:
                rank.node(key)
        for left, right in itertools.pairwise(keys):
            if (left, right) not in linked and (right, left) not in linked:  # Graphviz 2.43 aborts on such twins
                diagram.connect(nodes[left], nodes[right], diagrams.Edge(style="invis"))
    for upper, lower in itertools.pairwise(ordered):
        diagram.connect(nodes[upper[0]], nodes[lower[0]], diagrams.Edge(style="invis"))


def _rows(view: RecoveryView) -> dict[str, int]:
    """Each Region node's row: its tier's, except that a queue or stream that a service writes to sits with the data.

    A queue fed from outside the design (producers elsewhere) stays above the services it feeds.
    """
    kinds = {node.key: node.row for node in view.nodes}
    written = {link.target for link in view.links if link.style == "local" and kinds[link.source] > kinds[link.target]}
    return {
        node.key: TIER_ORDER["storage"] if node.row == TIER_ORDER["messaging"] and node.key in written else node.row
        for column in view.columns
        for node in column.nodes
    }
