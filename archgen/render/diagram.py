"""``diagrams/``: the architecture as a Mermaid flowchart and as a Graphviz drawing with AWS icons.

* ``architecture.mmd``: a Mermaid flowchart, also embedded in DESIGN.md (:func:`mermaid_source`);
* ``architecture.dot``: Graphviz DOT built with mingrammer's ``diagrams`` (:func:`dot_source`);
* ``architecture.svg`` and ``architecture.png``: that DOT laid out once by Graphviz's ``dot``. Without ``dot`` on
  the PATH the renderer writes the two sources only and returns a warning.

Both drawings share one layout model (:func:`diagram_layout`): the edge services that serve every Region sit
outside the Regions; each Region holds its VPC, split into subnet tiers, and tiers of the regional services outside
the VPC. Cross-Region connections (replication, backup copies) are dashed.

The output is byte-identical across runs and processes: node and cluster ids derive from component ids (mingrammer
would draw random UUIDs and name clusters after their labels), nothing iterates over a set, ``dot`` runs in a
temporary folder (mingrammer would write into the working directory), and no path of this machine reaches a file
(see :func:`dot_source` and :func:`embed_icons`). ``diagrams`` and ``graphviz`` are imported only when a diagram is
drawn, so importing this module (DESIGN.md needs :func:`mermaid_source`) costs nothing.
"""

from __future__ import annotations

import base64
import importlib
import itertools
import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from archgen.components import component_catalogue
from archgen.design import Component, Connection, Design
from archgen.render.result import Rendered
from archgen.resources import load_data

FOLDER = "diagrams"
MERMAID_FILE = f"{FOLDER}/architecture.mmd"
DOT_FILE = f"{FOLDER}/architecture.dot"
SVG_FILE = f"{FOLDER}/architecture.svg"
PNG_FILE = f"{FOLDER}/architecture.png"
GLOBAL = "global"  # the region of edge services (archgen.plan.components.GLOBAL)
DOT_TIMEOUT = 120  # seconds; the largest example lays out in well under one
NO_DOT = (
    f"Graphviz's `dot` is not on the PATH: wrote the Mermaid and DOT sources in {FOLDER}/ but not the SVG and PNG; "
    "install Graphviz (e.g. apt-get install graphviz) and re-run archgen design"
)
FAN_IN = 3  # this many edges with one label into one component carry the label once


# --- the icon table -----------------------------------------------------------------------------------------------


class Icon(BaseModel):
    """How one component kind is drawn: a mingrammer node class (``module.Class``) and a short caption."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    icon: str
    caption: str


class Routing(BaseModel):
    """One kind of DNS routing between the Regions (a ``routing`` property), as the recovery view draws it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    detail: str  # a line under the DNS component
    standby: bool  # its path into the recovery Region is a standby path (dashed), not live traffic


class RecoveryText(BaseModel):
    """The words and thresholds of the recovery view (``recovery`` in ``data/diagram_icons.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plumbing: tuple[str, ...]
    group_at: int
    group: str
    copies: str
    capacity_zero: str
    capacity_partial: str
    capacity_full: str
    max_range: str
    dormant: str
    routing: dict[str, Routing]


class IconTable(BaseModel):
    """``data/diagram_icons.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: dict[str, Icon]
    with_cloudflare: dict[str, Icon] = {}
    recovery: RecoveryText


@cache
def icon_table() -> IconTable:
    """The shipped icon table, loaded once."""
    return load_data("diagram_icons.yaml", IconTable)


def icon_for(design: Design, component: Component) -> Icon:
    """The icon and caption of ``component`` (the WAF of a Cloudflare zone is Cloudflare's, not AWS WAF)."""
    table = icon_table()
    if component.kind in table.with_cloudflare and any(c.kind == "cloudflare-zone" for c in design.components):
        return table.with_cloudflare[component.kind]
    return table.kinds[component.kind]


def icon_class(path: str) -> Any:
    """The mingrammer node class named ``module.Class`` (imports ``diagrams``)."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# --- the layout model, shared by both drawings ----------------------------------------------------------------------

# tier key → label, in drawing order; a component's tier follows from its kind's category and whether it is in a VPC
VPC_TIERS = {"public": "Public subnets", "private": "Private subnets: compute", "data": "Private subnets: data"}
SERVICE_TIERS = {
    "entry": "Regional entry",
    "messaging": "Messaging",
    "compute": "Serverless compute",
    "storage": "Managed data",
    "backup": "Backups",
}
NOT_STORES = ("backup-vault", "firehose-stream")  # data kinds that hold no data of their own (Mermaid: no cylinder)
# left-to-right position of each tier, for components that no connection places
TIER_ORDER = {"entry": 0, "public": 0, "messaging": 1, "compute": 2, "private": 2, "storage": 3, "data": 3, "backup": 4}


@dataclass(frozen=True)
class Tier:
    """One group of components in a Region: a subnet tier of the VPC, or regional services outside it."""

    key: str
    label: str
    members: tuple[Component, ...]


@dataclass(frozen=True)
class RegionBox:
    """One Region: its VPC (drawn as a box around the subnet tiers) and its service tiers outside the VPC."""

    index: int
    name: str
    label: str
    vpc: Component | None
    vpc_tiers: tuple[Tier, ...]
    tiers: tuple[Tier, ...]

    @property
    def key(self) -> str:
        """The box's id in both drawings."""
        return f"region{self.index}"


@dataclass(frozen=True)
class Layout:
    """The whole drawing: the global edge services and the Regions, primary first."""

    edge: tuple[Component, ...]
    regions: tuple[RegionBox, ...]

    @property
    def nodes(self) -> tuple[Component, ...]:
        """The components drawn as nodes (a VPC is drawn as the box around its tiers)."""
        inside = [c for box in self.regions for tier in (*box.vpc_tiers, *box.tiers) for c in tier.members]
        return (*self.edge, *inside)


def tier_of(component: Component) -> str:
    """The tier key of a component in a Region."""
    kind = component_catalogue().kinds[component.kind]
    if kind.in_vpc:
        return {"network": "public", "edge": "public", "compute": "private"}.get(kind.category, "data")
    if component.kind == "backup-vault":
        return "backup"
    return {"network": "entry", "edge": "entry", "compute": "compute", "messaging": "messaging"}.get(
        kind.category, "storage"
    )


def is_dormant(component: Component) -> bool:
    """A recovery copy that exists only as code until a disaster is declared (backup and restore)."""
    return component.properties.get("dormant") is True


def deployed(design: Design) -> Design:
    """The design without its dormant copies and their connections: what the architecture view draws.

    Dormant copies are not running; drawn beside the deployed stack they would suggest one. The recovery view
    (:mod:`archgen.render.recovery_diagram`) draws them, marked as restored on disaster.
    """
    dormant = {c.id for c in design.components if is_dormant(c)}
    if not dormant:
        return design
    components = tuple(c for c in design.components if c.id not in dormant)
    connections = tuple(c for c in design.connections if c.source not in dormant and c.target not in dormant)
    return design.model_copy(update={"components": components, "connections": connections})


def drawn(component: Component) -> bool:
    """Whether the architecture views draw a component.

    Not the security overlay (trail, detectors, Config, image repositories): it sits beside every design alike and
    DESIGN.md lists it instead.
    """
    return component_catalogue().kinds[component.kind].category != "security"


def diagram_layout(design: Design) -> Layout:
    """Group the components into the global edge and the Regions, each Region into its VPC and tiers."""
    names = list(dict.fromkeys([*design.regions, *(c.region for c in design.components if c.region != GLOBAL)]))
    boxes = []
    for index, name in enumerate(names):
        members = [c for c in design.components if c.region == name and drawn(c)]
        vpc = next((c for c in members if c.kind == "vpc"), None)
        inside = [c for c in members if c.kind != "vpc" and component_catalogue().kinds[c.kind].in_vpc]
        outside = [c for c in members if c not in inside and (c is not vpc or not inside)]
        role = {0: " (primary)", 1: " (recovery)"}.get(index, "")
        boxes.append(
            RegionBox(
                index=index,
                name=name,
                label=f"Region {name}{role}",
                vpc=vpc if inside else None,
                vpc_tiers=_tiers(inside, VPC_TIERS),
                tiers=_tiers(outside, SERVICE_TIERS),
            )
        )
    return Layout(edge=tuple(c for c in design.components if c.region == GLOBAL), regions=tuple(boxes))


def _tiers(components: list[Component], labels: dict[str, str]) -> tuple[Tier, ...]:
    tiers = [
        Tier(key, label, tuple(c for c in components if tier_of(c) == key))
        for key, label in labels.items()
        if any(tier_of(c) == key for c in components)
    ]
    rest = tuple(c for c in components if tier_of(c) not in labels)  # a VPC with nothing in it
    return (*tiers, Tier("other", "Network", rest)) if rest else tuple(tiers)


def is_cross_region(design: Design, connection: Connection) -> bool:
    """A connection between two Regions (replication, backup copies): drawn dashed."""
    regions = {design.component(connection.source).region, design.component(connection.target).region}
    return len(regions) == 2 and GLOBAL not in regions


def node_lines(design: Design, component: Component) -> list[str]:
    """The text of a node: its id, its kind's caption, and the capacity of a scaled-down recovery copy."""
    lines = [component.id, icon_for(design, component).caption]
    capacity = component.properties.get("capacity_percent")
    if isinstance(capacity, int | float) and not isinstance(capacity, bool) and capacity < 100:
        lines.append(f"{capacity:g}% capacity")
    return lines


def safe_id(text: str) -> str:
    """A node id both Mermaid and DOT take bare, injective over any text.

    Component ids are lowercase DNS labels or identifiers: ``c_`` + the id with hyphens as underscores. Anything
    else is hex-encoded under another prefix, so two different ids never meet (and ``end`` is never a Mermaid id).
    """
    if re.fullmatch(r"[a-z0-9-]+", text):
        return "c_" + text.replace("-", "_")
    return "x_" + text.encode("utf-8").hex()


# --- escaping ---------------------------------------------------------------------------------------------------------

_MERMAID_SAFE = frozenset(" .,:/_+'()-%!?@*=")


def mermaid_text(text: object) -> str:
    """Free text for inside a double-quoted Mermaid label: one line, every risky character an entity code.

    Letters, digits and plain punctuation stay; quotes, ``#``, ``<`` ``>`` ``&``, brackets, braces, pipes,
    backticks, semicolons and the rest become Mermaid entity codes (``"`` → ``#34;``), shown as the character.
    """
    value = " ".join(str(text).split())
    return "".join(ch if ch.isalnum() or ch in _MERMAID_SAFE else f"#{ord(ch)};" for ch in value)


def dot_text(text: object) -> str:
    r"""Free text for a DOT label: one line, backslashes doubled so Graphviz escapes (``\n``, ``\N``) stay text.

    The ``graphviz`` package escapes the quotes when it writes the DOT; :func:`dot_source` hands it every label
    marked as not HTML, so a label like ``<b>x</b>`` is never read as an HTML-like label.
    """
    return " ".join(str(text).split()).replace("\\", "\\\\")


# --- Mermaid ----------------------------------------------------------------------------------------------------------


def mermaid_source(design: Design) -> str:
    """``architecture.mmd``: a left-to-right flowchart; Regions → VPC → tiers; cross-Region edges dashed.

    Dormant copies are left out (see :func:`deployed`).
    """
    design = deployed(design)
    layout = diagram_layout(design)
    lines = ["flowchart LR"]
    if layout.edge:
        lines.append('  subgraph global_edge["Edge (global)"]')
        lines += [f"    {_mermaid_node(design, c)}" for c in layout.edge]
        lines.append("  end")
    for box in layout.regions:
        lines.append(f'  subgraph {box.key}["{mermaid_text(box.label)}"]')
        if box.vpc_tiers:
            lines.append(f'    subgraph {box.key}_vpc["{mermaid_text(vpc_label(box))}"]')
            for tier in box.vpc_tiers:
                lines += _mermaid_tier(design, f"{box.key}_{tier.key}", tier, "      ")
            lines.append("    end")
        for tier in box.tiers:
            lines += _mermaid_tier(design, f"{box.key}_{tier.key}", tier, "    ")
        lines.append("  end")
    boxes = {box.vpc.id: f"{box.key}_vpc" for box in layout.regions if box.vpc is not None}
    for connection in design.connections:
        arrow = "-.->" if is_cross_region(design, connection) else "-->"
        source = boxes.get(connection.source, safe_id(connection.source))  # a VPC is its subgraph
        target = boxes.get(connection.target, safe_id(connection.target))
        lines.append(f'  {source} {arrow}|"{mermaid_text(connection.label)}"| {target}')
    copies = [safe_id(c.id) for c in layout.nodes if "replica_of" in c.properties]
    if copies:
        lines.append("  classDef copy stroke-dasharray: 4 3")
        lines.append(f"  class {','.join(copies)} copy")
    return "\n".join(lines) + "\n"


def _mermaid_tier(design: Design, name: str, tier: Tier, indent: str) -> list[str]:
    lines = [f'{indent}subgraph {name}["{mermaid_text(tier.label)}"]']
    lines += [f"{indent}  {_mermaid_node(design, c)}" for c in tier.members]
    lines.append(f"{indent}end")
    return lines


def _mermaid_node(design: Design, component: Component) -> str:
    label = "<br/>".join(mermaid_text(line) for line in node_lines(design, component))
    store = component_catalogue().kinds[component.kind].category == "data" and component.kind not in NOT_STORES
    opening, closing = ("[(", ")]") if store else ("[", "]")  # data stores as cylinders
    return f'{safe_id(component.id)}{opening}"{label}"{closing}'


def vpc_label(box: RegionBox) -> str:
    """The VPC box's label: the VPC component, its CIDR and its AZs when the design carries them."""
    if box.vpc is None:
        return "VPC"
    cidr, zones = box.vpc.properties.get("cidr"), box.vpc.properties.get("az_count")
    details = [cidr] if isinstance(cidr, str) else []
    details += [f"{zones} AZs"] if isinstance(zones, int) and not isinstance(zones, bool) else []
    return f"VPC {box.vpc.id}" + (f" ({', '.join(details)})" if details else "")


# --- Graphviz: where things go ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankHints:
    """What places the nodes beyond the visible edges (which leave copies and unconnected components adrift)."""

    same: tuple[tuple[str, ...], ...]  # component ids laid out in one column
    after: tuple[tuple[str, str], ...]  # invisible edges: the second id in a column right of the first
    loose: frozenset[tuple[str, str]]  # visible edges inside one tier, which must not push columns apart
    around: frozenset[tuple[str, str]]  # edges from the VPC to a service outside it: past the data subnets


def rank_hints(design: Design, layout: Layout) -> RankHints:
    """Columns for the Graphviz drawing, beyond what the visible edges decide.

    * a recovery copy sits one column right of its original (an invisible edge, unless a replication edge joins
      them or an edge of its own Region leads into it): the recovery Region lines up under the primary, shifted by
      a column, and every replication edge runs forward, down and to the right;
    * an edge inside one tier between components with no other edges (nodes join their cluster) makes no column;
    * a component no other edge places shares the column of a connected one in its tier (the NAT gateway with the
      load balancer, the ECS cluster with its services) or, alone in its tier, sits left or right of the connected
      components by tier order (the backup vault last).
    """
    drawn = {c.id for c in layout.nodes}
    tiers = {c.id: (c.region, tier_of(c)) for c in layout.nodes if c.region != GLOBAL}
    local = [c for c in design.connections if not is_cross_region(design, c)]
    within = [c for c in local if c.source in tiers and tiers.get(c.source) == tiers.get(c.target)]
    between = {end for c in local if c not in within for end in (c.source, c.target)}
    loose = frozenset((c.source, c.target) for c in within if c.source not in between and c.target not in between)
    connected = {end for c in local if (c.source, c.target) not in loose for end in (c.source, c.target)}
    crossing = {(c.source, c.target) for c in design.connections if is_cross_region(design, c)}
    fed = {c.target for c in local if (c.source, c.target) not in loose}  # placed by an edge into them
    originals = {
        c.id: original
        for c in layout.nodes
        if isinstance(original := c.properties.get("replica_of"), str) and original in drawn
    }
    after: list[tuple[str, str]] = []
    same: list[tuple[str, ...]] = []
    for box in layout.regions:
        groups = [*box.vpc_tiers, *box.tiers]
        placed = [c for tier in groups for c in tier.members if c.id in connected]
        for tier in groups:
            siblings = [c for c in tier.members if c.id in connected]
            lone = [c for c in tier.members if c.id not in connected]
            if lone and siblings:
                same.append((siblings[0].id, *(c.id for c in lone)))
            elif placed:
                after += [_beside(c, tier.key, placed) for c in lone if c.id not in originals]
    beside = {component_id for group in same for component_id in group[1:]}
    after += [
        (original, copy)
        for copy, original in originals.items()
        if (original, copy) not in crossing and copy not in fed and copy not in beside
    ]
    # only a Region whose VPC has a data tier has a column to step over
    stepped = [box for box in layout.regions if any(tier.key == "data" for tier in box.vpc_tiers)]
    inside = {c.id for box in stepped for tier in box.vpc_tiers for c in tier.members}
    outside = {c.id for box in stepped for tier in box.tiers for c in tier.members}
    around = frozenset((c.source, c.target) for c in local if c.source in inside and c.target in outside)
    return RankHints(same=tuple(same), after=tuple(after), loose=loose, around=around)


def _beside(component: Component, tier: str, placed: list[Component]) -> tuple[str, str]:
    """An invisible edge putting a lone component right of the latest tier before its own, or left of the first."""
    order = TIER_ORDER.get(tier, 3)
    earlier = [c for c in placed if TIER_ORDER.get(tier_of(c), 3) <= order]
    if earlier:
        return max(earlier, key=lambda c: TIER_ORDER.get(tier_of(c), 3)).id, component.id
    return component.id, min(placed, key=lambda c: TIER_ORDER.get(tier_of(c), 3)).id


def quiet_labels(design: Design) -> set[int]:
    """Indexes of connections drawn without their label in the Graphviz drawing.

    When :data:`FAN_IN` or more edges with one label lead into one component (six services that all read and write
    the ledger), only the middle one carries the label: one label reads the same, and a label per edge would stack
    into a column taller than the services themselves.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for index, connection in enumerate(design.connections):
        groups.setdefault((connection.target, connection.label), []).append(index)
    quiet: set[int] = set()
    for indexes in groups.values():
        if len(indexes) >= FAN_IN:
            quiet.update(i for i in indexes if i != indexes[len(indexes) // 2])
    return quiet


# --- Graphviz: the DOT --------------------------------------------------------------------------------------------

ICON_SIZE = 1.2  # inches: the icon's width and height, and the node's width
LINE_HEIGHT = 0.18  # inches per label line at 11 pt
WRAP = 19  # characters per label line: about the icon's width plus the cluster's margin at 11 pt
GRAPH_ATTRS = {
    "pad": "0.3",
    "splines": "spline",
    "nodesep": "0.45",
    "ranksep": "1.1",
    "fontsize": "20",
    "labelloc": "t",
    "newrank": "true",
    "outputorder": "edgesfirst",
    "compound": "true",  # an edge to a VPC ends at its box
}
NODE_ATTRS = {"fontsize": "11", "width": f"{ICON_SIZE:g}", "imagepos": "tc"}
EDGE_ATTRS = {"color": "#545B64", "fontcolor": "#414850", "fontsize": "10", "arrowsize": "0.7"}
CROSS_REGION_EDGE = {"style": "dashed", "color": "#D45B07", "fontcolor": "#B34A00", "penwidth": "1.6"}


def dot_header(file_name: str) -> str:
    """The comment that opens a DOT file: where it comes from and how to render it again."""
    lines = (
        "Generated by archgen from design.json. The icons are those of the Python package `diagrams` (mingrammer),",
        "named by their path in its resources folder; to render this file again:",
        "  dot -Gimagepath=\"$(python3 -c 'import diagrams, pathlib; "
        f'print(pathlib.Path(diagrams.__file__).parent.parent / "resources")\')" -Tsvg -O {file_name}',
    )
    return "\n// ".join(lines)


CLUSTER_ATTRS = {"fontsize": "12", "margin": "16"}
CLUSTER_STYLES: dict[str, dict[str, str]] = {
    "edge": {"bgcolor": "#F4F4F4", "pencolor": "#7D8998", "style": "rounded"},
    "region": {"bgcolor": "#FFFFFF", "pencolor": "#00A4A6", "style": "dashed", "penwidth": "1.5"},
    "recovery": {"bgcolor": "#FFF8F1", "pencolor": "#D45B07", "style": "dashed", "penwidth": "1.5"},
    "vpc": {"bgcolor": "#FFFFFF", "pencolor": "#8C4FFF", "style": "solid", "penwidth": "1.2"},
    "public": {"bgcolor": "#F2F6E8", "pencolor": "#7AA116", "style": "solid"},
    "private": {"bgcolor": "#E6F6F7", "pencolor": "#00A4A6", "style": "solid"},
    "data": {"bgcolor": "#EEF0FB", "pencolor": "#3B48CC", "style": "solid"},
    "service": {"bgcolor": "#F7F7F7", "pencolor": "#AEB6BE", "style": "rounded"},
}


def dot_source(design: Design) -> str:
    """``architecture.dot``, built with mingrammer's ``diagrams`` and never rendered by it.

    Icons: mingrammer points each node's ``image`` at the absolute path of a PNG inside its installed package. Here
    each icon is named by its path under that package's ``resources/`` folder (``aws/compute/fargate.png``) and the
    DOT says in a comment how to render it again (``dot -Gimagepath=<that folder>``): the file carries no path of
    this machine and is the same on every machine. Dormant copies are left out (see :func:`deployed`).
    """
    import diagrams  # type: ignore[import-untyped]  # noqa: PLC0415 - heavy: loaded only to draw
    from graphviz import nohtml  # type: ignore[import-untyped]  # noqa: PLC0415

    def text(value: str) -> str:
        return nohtml(dot_text(value))  # type: ignore[no-any-return]

    design = deployed(design)
    layout = diagram_layout(design)
    diagram = diagrams.Diagram(
        name=text(f"{design.name}: architecture"),
        filename="architecture",
        direction="LR",
        show=False,
        graph_attr=GRAPH_ATTRS,
        node_attr=NODE_ATTRS,
        edge_attr=EDGE_ATTRS,
    )
    diagram.dot.comment = dot_header("architecture.dot")
    nodes: dict[str, Any] = {}

    def cluster(name: str, label: str, style: str) -> Any:
        box = diagrams.Cluster(text(label), graph_attr={**CLUSTER_STYLES[style], **CLUSTER_ATTRS})
        box.dot.name = f"cluster_{name}"  # stable and unique: mingrammer names a cluster after its label
        return box

    def add(name: str, tier: Tier, style: str) -> None:
        with cluster(name, tier.label, style):
            for component in tier.members:
                nodes[component.id] = _dot_node(design, component, nohtml)

    diagrams.setdiagram(diagram)
    try:
        # Graphviz stacks clusters that share columns bottom-up in the order it meets them (rankdir=LR): the
        # recovery Region goes first so that it ends up below the primary (the edge has columns of its own).
        for box in reversed(layout.regions):
            with cluster(box.key, box.label, "region" if box.index == 0 else "recovery"):
                if box.vpc_tiers:
                    with cluster(f"{box.key}_vpc", vpc_label(box), "vpc"):
                        for tier in box.vpc_tiers:
                            add(f"{box.key}_{tier.key}", tier, tier.key)
                for tier in box.tiers:
                    add(f"{box.key}_{tier.key}", tier, "service")
        if layout.edge:
            add("edge", Tier("edge", "Edge (global)", layout.edge), "edge")
        _dot_edges(design, layout, diagram, nodes, text)
    finally:
        diagrams.setdiagram(None)
    return str(diagram.dot.source)


def _dot_node(design: Design, component: Component, not_html: Callable[[str], str]) -> Any:
    node_class = icon_class(icon_for(design, component).icon)
    lines = [dot_text(part) for line in node_lines(design, component) for part in wrap(line)]
    return node_class(
        not_html("\n".join(lines)),
        nodeid=safe_id(component.id),
        image=icon_name(node_class),
        height=f"{ICON_SIZE + 0.08 + LINE_HEIGHT * len(lines):.2f}",
    )


def _dot_edges(design: Design, layout: Layout, diagram: Any, nodes: dict[str, Any], text: Callable[[str], str]) -> None:
    import diagrams  # noqa: PLC0415

    hints = rank_hints(design, layout)
    quiet = quiet_labels(design)
    boxes = {box.vpc.id: box for box in layout.regions if box.vpc is not None}

    def end(component_id: str, clip: str, attrs: dict[str, str]) -> Any:
        """The node an edge attaches to; an edge to a VPC attaches to a node in it, clipped at the VPC's box."""
        box = boxes.get(component_id)
        if box is None:
            return nodes[component_id]
        attrs[clip] = f"cluster_{box.key}_vpc"
        return nodes[box.vpc_tiers[0].members[0].id]

    for index, connection in enumerate(design.connections):
        attrs = _edge_attrs(design, connection, hints)
        source, target = end(connection.source, "ltail", attrs), end(connection.target, "lhead", attrs)
        label = "" if index in quiet else text(connection.label)
        diagram.connect(source, target, diagrams.Edge(forward=True, label=label, **attrs))
    for source, target in hints.after:
        diagram.connect(nodes[source], nodes[target], diagrams.Edge(style="invis"))
    for index, ids in enumerate(hints.same):
        with diagram.dot.subgraph(name=f"column{index}") as column:
            column.attr(rank="same")
            for component_id in ids:
                column.node(safe_id(component_id))
        # edges within a column order it (in rankdir=LR a tail goes below its head): the connected one on top,
        # the others under it in design order
        for upper, lower in itertools.pairwise(ids):
            diagram.connect(nodes[lower], nodes[upper], diagrams.Edge(style="invis"))


def _edge_attrs(design: Design, connection: Connection, hints: RankHints) -> dict[str, str]:
    attrs = dict(EDGE_ATTRS)
    if is_cross_region(design, connection):
        attrs.update(CROSS_REGION_EDGE)
    else:
        attrs["weight"] = "3"  # keep a Region's own edges short; replication edges may stretch
    if (connection.source, connection.target) in hints.loose:
        attrs["constraint"] = "false"
    elif (connection.source, connection.target) in hints.around:
        attrs["minlen"] = "2"
    return attrs


def wrap(text: str, width: int = WRAP) -> list[str]:
    """A label line broken after spaces and hyphens into lines of at most ``width`` characters where it can be."""
    lines = [""]
    for token in re.findall(r"[^ -]*[ -]|[^ -]+$", text):
        if lines[-1] and len((lines[-1] + token).rstrip()) > width:
            lines.append("")
        lines[-1] += token
    return [line.rstrip() for line in lines]


def icon_name(node_class: Any) -> str:
    """A node class's icon: its path under the ``diagrams`` package's ``resources/`` folder."""
    return f"{str(node_class._icon_dir).removeprefix('resources/')}/{node_class._icon}"


def icons_folder() -> Path:
    """The ``resources/`` folder of the installed ``diagrams`` package, where its icons live."""
    import diagrams  # noqa: PLC0415

    return Path(diagrams.__file__).resolve().parent.parent / "resources"


# --- Graphviz: SVG and PNG ----------------------------------------------------------------------------------------


def render_with_dot(source: str, dot: str, stem: str = "architecture") -> tuple[bytes, bytes]:
    """Lay out the DOT once and write both formats; in a temporary folder, never the working directory."""
    with tempfile.TemporaryDirectory(prefix="archgen-dot-") as folder:
        work = Path(folder)
        (work / f"{stem}.dot").write_text(source, encoding="utf-8")
        command = [dot, f"-Gimagepath={icons_folder()}", "-Tsvg", f"-o{stem}.svg", "-Tpng", f"-o{stem}.png"]
        subprocess.run([*command, f"{stem}.dot"], cwd=work, check=True, capture_output=True, timeout=DOT_TIMEOUT)
        svg = (work / f"{stem}.svg").read_text(encoding="utf-8")
        png = (work / f"{stem}.png").read_bytes()
    return embed_icons(svg, icons_folder()).encode("utf-8"), png


_SVG_IMAGE = re.compile(
    r'<image xlink:href="([A-Za-z0-9_./-]+\.png)" width="([\d.]+)px" height="([\d.]+)px"'
    r' preserveAspectRatio="([A-Za-z ]+)" x="(-?[\d.]+)" y="(-?[\d.]+)"/>'
)


def embed_icons(svg: str, folder: Path) -> str:
    """The SVG with its icons inside it: one ``<symbol>`` per icon holding the PNG as a ``data:`` URI, ``<use>``d.

    Graphviz writes each icon's file name into the SVG. A name (relative or absolute) breaks as soon as the SVG is
    moved, attached or shown through an ``<img>`` tag (GitHub's preview, Markdown viewers, browsers), which does not
    let an SVG load other files. Embedded, the SVG shows its icons everywhere, depends on nothing and names no path.
    Each icon is embedded once however many nodes use it.
    """
    symbols: dict[str, str] = {}

    def use(match: re.Match[str]) -> str:
        name, width, height, aspect, x, y = match.groups()
        if name not in symbols:
            data = (folder / name).read_bytes()
            pixels_wide, pixels_high = struct.unpack(">II", data[16:24])  # the PNG header's IHDR chunk
            symbols[name] = (
                f'<symbol id="icon{len(symbols)}" viewBox="0 0 {pixels_wide} {pixels_high}" '
                f'preserveAspectRatio="{aspect}"><image width="{pixels_wide}" height="{pixels_high}" '
                f'xlink:href="data:image/png;base64,{base64.b64encode(data).decode("ascii")}"/></symbol>'
            )
        symbol = list(symbols).index(name)
        return f'<use xlink:href="#icon{symbol}" width="{width}" height="{height}" x="{x}" y="{y}"/>'

    body = _SVG_IMAGE.sub(use, svg)
    if not symbols:
        return body
    defs = "<defs>\n" + "\n".join(symbols.values()) + "\n</defs>\n"
    head, separator, rest = body.partition('<g id="graph0"')
    return head + defs + separator + rest


def render_diagrams(design: Design) -> Rendered:
    """The diagrams: Mermaid and DOT always; SVG and PNG when Graphviz's ``dot`` is installed.

    The architecture view always; the recovery view (``recovery.*``) when the design has a recovery Region.
    """
    # imported here: the recovery view is built from this module's helpers
    from archgen.render import recovery_diagram  # noqa: PLC0415

    source = dot_source(design)
    files: dict[str, str | bytes] = {MERMAID_FILE: mermaid_source(design), DOT_FILE: source}
    recovery = recovery_diagram.recovery_view(design)
    if recovery is not None:
        files[recovery_diagram.MERMAID_FILE] = recovery_diagram.mermaid_of(recovery)
        files[recovery_diagram.DOT_FILE] = recovery_diagram.dot_of(recovery)
    dot = shutil.which("dot")
    if dot is None:
        return Rendered(files, warnings=(NO_DOT,))
    files[SVG_FILE], files[PNG_FILE] = render_with_dot(source, dot)
    if recovery is not None:
        images = render_with_dot(str(files[recovery_diagram.DOT_FILE]), dot, "recovery")
        files[recovery_diagram.SVG_FILE], files[recovery_diagram.PNG_FILE] = images
    return Rendered(files)
