"""The diagrams renderer: Mermaid, DOT, SVG and PNG for every example, byte-stable, path-free, injection-proof.

Graphviz is real here (``make test`` and CI install it): a test that needs ``dot`` fails without it, never skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from archgen import design_from_spec, load_spec, render_files
from archgen.cli import app
from archgen.components import component_catalogue
from archgen.design import Connection, Design
from archgen.render import diagram, recovery_diagram
from archgen.render.diagram import (
    DOT_FILE,
    MERMAID_FILE,
    PNG_FILE,
    SVG_FILE,
    WRAP,
    dot_source,
    dot_text,
    icon_class,
    icon_name,
    icon_table,
    icons_folder,
    mermaid_source,
    mermaid_text,
    render_diagrams,
    safe_id,
)
from archgen.render.recovery_diagram import recovery_mermaid_source, recovery_view
from archgen.render.result import Rendered, RenderWarning
from tests.conftest import EXAMPLES, ROOT

CASES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
ARCHITECTURE = (MERMAID_FILE, DOT_FILE, SVG_FILE, PNG_FILE)
RECOVERY = (
    recovery_diagram.MERMAID_FILE,
    recovery_diagram.DOT_FILE,
    recovery_diagram.SVG_FILE,
    recovery_diagram.PNG_FILE,
)
DIAGRAMS = (*ARCHITECTURE, *RECOVERY)  # every example has a recovery Region
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
HOSTILE = [
    'quote " and "" double',
    "brackets [x] (y) {z} <b>bold</b>",
    "pipe | and || and -->|label| edge",
    "newline\nsecond line\r\nthird\ttab",
    "hash #35; entity #quot; and & amp; semicolon;",
    "backtick ` and ```fence``` and %% comment",
    'end"] ; click c_entry call alert(1) ; subgraph x["',
    'back\\slash \\N \\n \\" \\',
    '"]; } digraph evil { node [label="x',
]


@cache
def planned(case: str) -> Design:
    return design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))[1]


@cache
def rendered(case: str) -> dict[str, bytes]:
    return render_files(planned(case))


def test_graphviz_is_installed() -> None:
    assert shutil.which("dot"), "Graphviz's dot is missing: `make test` installs it (apt-get install graphviz)"


# --- icons --------------------------------------------------------------------------------------------------------


def test_every_component_kind_has_an_icon() -> None:
    table = icon_table()
    kinds = component_catalogue().kinds
    assert sorted(table.kinds) == sorted(kinds), "diagram_icons.yaml and component_kinds.yaml list different kinds"
    assert set(table.with_cloudflare) <= set(kinds)
    for kind, icon in [*table.kinds.items(), *table.with_cloudflare.items()]:
        node_class = icon_class(icon.icon)
        assert (icons_folder() / icon_name(node_class)).is_file(), f"{kind}: {icon.icon} has no icon file"
        assert icon.icon.startswith(("diagrams.aws.", "diagrams.saas.", "diagrams.k8s.")), kind
        assert 0 < len(icon.caption) <= WRAP, f"{kind}: caption longer than a label line"


def test_cloudflare_waf_is_drawn_as_cloudflare() -> None:
    design = planned("marketing-site")
    assert diagram.icon_for(design, design.component("waf")).icon == "diagrams.saas.cdn.Cloudflare"
    assert diagram.icon_for(planned("payments-platform"), planned("payments-platform").component("waf")).icon == (
        "diagrams.aws.security.WAF"
    )


# --- every example ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_example_renders_every_diagram(case: str) -> None:
    files = rendered(case)
    for name in DIAGRAMS:
        assert files.get(name), f"{case}: {name} missing or empty"
    assert json.loads(files["design.json"])["artifacts"] == sorted(files)
    mermaid = files[MERMAID_FILE].decode("utf-8")
    assert mermaid.startswith("flowchart LR\n")
    assert files[recovery_diagram.MERMAID_FILE].decode("utf-8").startswith("flowchart TB\n")
    for png, svg_file in ((PNG_FILE, SVG_FILE), (recovery_diagram.PNG_FILE, recovery_diagram.SVG_FILE)):
        assert files[png].startswith(b"\x89PNG\r\n\x1a\n")
        drawing = ElementTree.fromstring(files[svg_file])  # noqa: S314 - archgen's own output
        assert drawing.tag == f"{SVG}svg"
        hrefs = [element.get(XLINK, "") for element in drawing.iter() if element.get(XLINK) is not None]
        assert hrefs, f"no icons in {svg_file}"
        assert all(href.startswith(("#icon", "data:image/png;base64,")) for href in hrefs), "an icon is not embedded"
    svg = ElementTree.fromstring(files[SVG_FILE])  # noqa: S314 - archgen's own output
    # every component is drawn, except each VPC, which is the box around its subnets, the dormant copies and the
    # security overlay (listed in DESIGN.md)
    design = planned(case)
    titles = {element.text for element in svg.iter(f"{SVG}title")}
    for component in design.components:
        security = component_catalogue().kinds[component.kind].category == "security"
        drawn = component.kind != "vpc" and not component.properties.get("dormant") and not security
        assert (safe_id(component.id) in titles) == drawn, component.id
        assert (f"{safe_id(component.id)}[" in mermaid) == drawn, component.id


@pytest.mark.parametrize("case", CASES)
def test_design_md_embeds_the_mermaid_diagram(case: str) -> None:
    files = rendered(case)
    document = files["DESIGN.md"].decode("utf-8")
    assert "\n## Diagram\n" in document
    assert f"```mermaid\n{files[MERMAID_FILE].decode('utf-8')}```\n" in document
    assert "[diagrams/architecture.svg](diagrams/architecture.svg)" in document


def test_dot_is_a_valid_graph_with_every_connection() -> None:
    design = planned("payments-platform")
    source = rendered("payments-platform")[DOT_FILE].decode("utf-8")
    graph = json.loads(
        subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, text=True, check=True).stdout
    )
    drawn = {
        (graph["objects"][e["tail"]]["name"], graph["objects"][e["head"]]["name"])
        for e in graph["edges"]
        if e.get("style") != "invis"
    }
    assert drawn == {(safe_id(c.source), safe_id(c.target)) for c in design.connections}
    assert graph["rankdir"] == "LR"
    clusters = [o["name"] for o in graph["objects"] if o["name"].startswith("cluster_")]
    assert len(clusters) == len(set(clusters))
    assert {"cluster_edge", "cluster_region0", "cluster_region1", "cluster_region0_vpc"} <= set(clusters)


def test_cross_region_connections_are_dashed() -> None:
    design = planned("orders-api")
    mermaid = mermaid_source(design)
    dot = dot_source(design)
    for connection in design.connections:
        source, target = safe_id(connection.source), safe_id(connection.target)
        crossing = diagram.is_cross_region(design, connection)
        assert (f"{source} -.->" in mermaid) == crossing
        line = next(line for line in dot.splitlines() if line.strip().startswith(f"{source} -> {target} "))
        assert ("style=dashed" in line) == crossing
    assert any(diagram.is_cross_region(design, c) for c in design.connections)


# --- the recovery view ---------------------------------------------------------------------------------------------


def _laid_out(source: str) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """The nodes (by name) and visible edges (with ``tail`` and ``head`` names) of a DOT source, laid out by dot."""
    graph = json.loads(
        subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, text=True, check=True).stdout
    )
    objects = graph["objects"]
    nodes = {o["name"]: o for o in objects if "nodes" not in o}
    edges = [
        {**e, "tail": objects[e["tail"]]["name"], "head": objects[e["head"]]["name"]}
        for e in graph["edges"]
        if e.get("style") != "invis"
    ]
    return nodes, edges


def _recovery(case: str) -> tuple[str, dict[str, dict[str, str]], list[dict[str, str]]]:
    files = rendered(case)
    nodes, edges = _laid_out(files[recovery_diagram.DOT_FILE].decode("utf-8"))
    return _mermaid_decoded(files[recovery_diagram.MERMAID_FILE].decode("utf-8")), nodes, edges


def _edge(edges: list[dict[str, str]], tail: str, head: str) -> dict[str, str]:
    found = [e for e in edges if (e["tail"], e["head"]) == (tail, head)]
    assert len(found) == 1, f"{tail} -> {head}: {len(found)} edges"
    return found[0]


def _mermaid_label(mermaid: str, key: str) -> list[str]:
    match = re.search(rf'^    {key}\[\(?"([^"]*)"\)?\]$', mermaid, re.MULTILINE)
    assert match, f"{key} is not a node"
    return match.group(1).split("<br/>")


@pytest.mark.parametrize("case", CASES)
def test_recovery_mermaid_source_is_the_mmd_file(case: str) -> None:
    assert recovery_mermaid_source(planned(case)) == rendered(case)[recovery_diagram.MERMAID_FILE].decode("utf-8")


def test_no_recovery_view_without_a_recovery_region(write_spec) -> None:  # type: ignore[no-untyped-def]
    text = (EXAMPLES / "notes-api.yaml").read_text(encoding="utf-8")
    spec = write_spec(text.replace("  primary: us-east-1\n", "  primary: us-east-1\n  allowed: [us-east-1]\n"))
    design = design_from_spec(load_spec(spec))[1]
    assert design.regions == ("us-east-1",)
    assert recovery_view(design) is None
    assert recovery_mermaid_source(design) is None
    files = render_diagrams(design).files
    assert sorted(files) == sorted(ARCHITECTURE)


@pytest.mark.parametrize("case", CASES)
def test_cross_region_paths_carry_their_mechanism(case: str) -> None:
    """Every replication and backup-copy connection is a dashed edge labelled as in the design, in both drawings."""
    design = planned(case)
    mermaid, _, edges = _recovery(case)
    crossing = [c for c in design.connections if diagram.is_cross_region(design, c)]
    assert crossing
    for connection in crossing:
        tail, head = safe_id(connection.source), safe_id(connection.target)
        edge = _edge(edges, tail, head)
        assert edge["label"] == connection.label
        assert edge["style"] == "dashed"
        assert f'  {tail} -.->|"{connection.label}"| {head}\n' in mermaid
    assert any(c.label == "cross-Region copy" for c in crossing), "the backup copy path"


def test_replication_labels_name_the_mechanism() -> None:
    _, _, edges = _recovery("payments-platform")
    assert _edge(edges, "c_data_ledger", "c_data_ledger_recovery")["label"] == "Aurora Global Database"
    assert _edge(edges, "c_data_idempotency", "c_data_idempotency_recovery")["label"] == "DynamoDB global tables"
    assert _edge(edges, "c_backups", "c_backups_recovery")["label"] == "cross-Region copy"
    _, _, edges = _recovery("orders-api")
    assert _edge(edges, "c_data_orders", "c_data_orders_recovery")["label"] == "RDS cross-Region read replica"


FAILOVER = {
    # case: the CDN in front, the DNS routing's path into the recovery Region is dashed (a standby path)
    "payments-platform": ("c_edge", True),
    "orders-api": (None, True),
    "global-catalog": ("c_edge", False),
}


@pytest.mark.parametrize("case", sorted(FAILOVER))
def test_failover_path_runs_from_the_edge_through_dns_to_both_entries(case: str) -> None:
    cdn, dashed = FAILOVER[case]
    design = planned(case)
    dns = next(c for c in design.components if c.kind == "route53-zone")
    routes = {c.target: c.label for c in design.connections if c.source == dns.id}
    assert sorted(routes) == ["entry", "entry-recovery"]
    mermaid, nodes, edges = _recovery(case)
    key = safe_id(dns.id)
    to_primary = _edge(edges, key, "c_entry")
    to_recovery = _edge(edges, key, "c_entry_recovery")
    assert to_primary["label"] == routes["entry"]
    assert to_primary.get("style") != "dashed"
    assert to_recovery["label"] == routes["entry-recovery"]
    assert (to_recovery.get("style") == "dashed") == dashed
    routing = icon_table().recovery.routing[str(dns.properties["routing"])]
    assert routing.standby == dashed
    assert _mermaid_label(mermaid, key) == [dns.id, "Route 53 zone", routing.detail]
    assert routing.detail in " ".join(nodes[key]["label"].split())
    arrow = "-.->" if dashed else "-->"
    assert f'  {key} {arrow}|"{routes["entry-recovery"]}"| c_entry_recovery\n' in mermaid
    if cdn is not None:  # the CDN leads into the DNS routing, no longer straight into the primary entry
        front = next(c for c in design.connections if c.source == "edge" and c.target == "entry")
        assert _edge(edges, cdn, key)["label"] == front.label
        assert not [e for e in edges if (e["tail"], e["head"]) == (cdn, "c_entry")]


def test_failover_labels_say_what_the_routing_does() -> None:
    mermaid, _, edges = _recovery("payments-platform")  # warm standby
    assert _mermaid_label(mermaid, "c_dns")[-1] == "health checks + failover records"
    assert _edge(edges, "c_dns", "c_entry_recovery")["label"] == "on failover"
    mermaid, _, _ = _recovery("global-catalog")  # active/active
    assert _mermaid_label(mermaid, "c_dns")[-1] == "latency routing + health checks"


@pytest.mark.parametrize("case", ["order-events", "notes-api"])
def test_no_failover_path_without_dns_routing(case: str) -> None:
    """A queue-fed pipeline has nothing to route to; backup and restore has no live Region to fail over to."""
    assert not [c for c in planned(case).components if c.kind == "route53-zone"]
    _, _, edges = _recovery(case)
    assert not [e for e in edges if e.get("color") == recovery_diagram.LINK_STYLES["serve"]["color"]]


def test_compute_copies_show_their_standby_capacity() -> None:
    mermaid, _, _ = _recovery("orders-api")
    assert _mermaid_label(mermaid, "c_orders_api_recovery")[-1] == "0 % until failover"
    mermaid, _, _ = _recovery("payments-platform")
    assert _mermaid_label(mermaid, "c_nodes_recovery")[-1] == "25 %, scales to 21"
    mermaid, _, _ = _recovery("global-catalog")
    assert _mermaid_label(mermaid, "c_storefront_recovery")[-1] == "100 %, serves traffic"


def test_many_services_of_one_kind_are_one_node_per_region() -> None:
    design = planned("payments-platform")
    mermaid, nodes, edges = _recovery("payments-platform")
    services = [c for c in design.components if c.kind == "k8s-deployment"]
    assert len(services) == 12
    for service in services:
        assert safe_id(service.id) not in nodes
        assert f"{safe_id(service.id)}[" not in mermaid
    primary = _mermaid_label(mermaid, "g_k8s_deployment_0")
    copies = _mermaid_label(mermaid, "g_k8s_deployment_1")
    assert primary == ["6 × K8s Deployment", "authorise, capture, refunds, ledger, notifications, admin"]
    assert copies[0] == "6 × K8s Deployment"
    assert copies[1] == "copies of authorise, capture, refunds, ledger, notifications, admin"
    assert copies[2] == "25 %, scales to 6–11 each"
    assert _edge(edges, "c_entry_recovery", "g_k8s_deployment_1")["label"] == ""  # one edge for the six


def test_dormant_copies_appear_only_in_the_recovery_view() -> None:
    design = planned("notes-api")
    dormant = [c for c in design.components if c.properties.get("dormant")]
    assert dormant
    files = rendered("notes-api")
    architecture = files[MERMAID_FILE].decode("utf-8") + files[DOT_FILE].decode("utf-8")
    mermaid, nodes, edges = _recovery("notes-api")
    for component in dormant:
        key = safe_id(component.id)
        assert key not in architecture, f"{component.id} drawn in the architecture view"
        assert _mermaid_label(mermaid, key)[-1] == "restored on disaster"
        assert nodes[key]["style"] == "dashed,rounded"
        assert nodes[key]["color"] == recovery_diagram.GREY
    assert re.search(r"^  class (\w+,)*c_notes_recovery(,\w+)* dormant$", mermaid, re.MULTILINE)
    restores = [c for c in design.connections if c.label == "restore on disaster"]
    assert restores
    for connection in restores:
        edge = _edge(edges, safe_id(connection.source), safe_id(connection.target))
        assert (edge["label"], edge["style"]) == ("restore on disaster", "dashed")
    assert "restore on disaster" not in architecture


def test_recovery_view_labels_come_from_the_design_and_the_data() -> None:
    """Every word in the recovery drawing is a component id or property, a connection label or data-file text."""
    design = planned("payments-platform")
    view = recovery_view(design)
    assert view is not None
    text = icon_table().recovery
    words = {c.id for c in design.components} | {c.label for c in design.connections}
    words |= {icon_table().kinds[c.kind].caption for c in design.components}
    words |= {text.routing["failover"].detail, ""}
    for link in view.links:
        assert link.label in words, link.label
    for node in view.nodes:
        assert node.lines[0] in words or node.lines[0] == text.group.format(count=6, caption="K8s Deployment")


def test_hostile_labels_cannot_break_the_recovery_view() -> None:
    design = _hostile_design()
    view = recovery_view(design)
    assert view is not None
    lines = recovery_diagram.mermaid_of(view).splitlines()
    for line in (line for line in lines if "->" in line):
        assert re.fullmatch(r'  (\w+) -\.?->(\|"[^"\n]*"\|)? (\w+)', line), line
    opened = sum(1 for line in lines if line.lstrip().startswith("subgraph "))
    assert opened == sum(1 for line in lines if line.strip() == "end")
    laid_out = subprocess.run(
        ["dot", "-Tsvg"], input=recovery_diagram.dot_of(view).encode("utf-8"), capture_output=True, check=True
    ).stdout
    texts = {element.text for element in ElementTree.fromstring(laid_out).iter(f"{SVG}text")}  # noqa: S314
    for connection in (c for c in design.connections if diagram.is_cross_region(design, c)):
        assert " ".join(connection.label.split()) in texts, connection.label


# --- determinism and paths ----------------------------------------------------------------------------------------


def _design_in_subprocess(spec: Path, out: Path, cwd: Path, seed: str) -> dict[str, bytes]:
    cwd.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "archgen", "design", str(spec), "--out", str(out)],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )
    assert list(cwd.iterdir()) == [], "rendering left files in the working directory"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "diagrams").iterdir())}


@pytest.mark.parametrize("case", ["payments-platform", "global-catalog", "notes-api"])
def test_diagrams_are_byte_identical_across_processes(case: str, tmp_path: Path) -> None:
    runs = [
        _design_in_subprocess(EXAMPLES / f"{case}.yaml", tmp_path / f"out-{seed}", tmp_path / f"cwd-{seed}", seed)
        for seed in ("1", "2")
    ]
    assert sorted(runs[0]) == sorted(DIAGRAMS)
    for name in runs[0]:
        assert runs[0][name] == runs[1][name], f"{name} differs between two processes"
        assert runs[0][name] == rendered(case)[name], f"{name} differs between the CLI and the library"


def _forbidden_paths() -> list[str]:
    paths = {
        str(icons_folder()),
        str(icons_folder().parent),
        sys.prefix,
        sys.base_prefix,
        str(ROOT),
        str(Path.home()),
        tempfile.gettempdir(),
        os.getcwd(),
    }
    return sorted(p for p in paths if len(p) > 1)


@pytest.mark.parametrize("case", CASES)
def test_no_absolute_paths_in_any_output(case: str) -> None:
    mine = [*DIAGRAMS, "DESIGN.md", "design.json"]  # other renderers' files may name paths inside a container
    for name, content in ((name, rendered(case)[name]) for name in mine):
        for path in _forbidden_paths():
            assert path.encode("utf-8") not in content, f"{case}/{name} contains {path}"
        if not name.endswith(".png"):
            text = content.decode("utf-8")
            assert not re.search(r"(?<![\w.:/])/(usr|home|root|tmp|var|opt|work|srv)/", text), f"{case}/{name}"
            assert "site-packages/" not in text, f"{case}/{name}"


def test_dot_names_icons_relative_to_the_diagrams_package() -> None:
    source = rendered("global-catalog")[DOT_FILE].decode("utf-8")
    images = re.findall(r'image="([^"]+)"', source)
    assert images
    for image in images:
        assert not Path(image).is_absolute()
        assert (icons_folder() / image).is_file()
    assert source.startswith("// Generated by archgen")


def test_importing_archgen_does_not_import_diagrams() -> None:
    probe = "import sys, archgen.cli, archgen.api, archgen.render; print({'diagrams', 'graphviz'} & set(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    assert out.strip() == "set()"


# --- escaping -------------------------------------------------------------------------------------------------------


def _mermaid_decoded(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_text_cannot_break_out(text: str) -> None:
    escaped = mermaid_text(text)
    assert "\n" not in escaped
    assert "\r" not in escaped
    assert not re.search(r"[\"`<>&|\[\]{};\\]", re.sub(r"#\d+;", "", escaped))
    assert not re.search(r"#(?!\d+;)", escaped), "a bare # would start an entity"
    assert _mermaid_decoded(escaped) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_text_keeps_graphviz_escapes_literal(text: str) -> None:
    escaped = dot_text(text)
    assert "\n" not in escaped
    assert "\r" not in escaped
    assert "\\" not in escaped.replace("\\\\", ""), "every backslash doubled"
    assert escaped.replace("\\\\", "\\") == " ".join(text.split())


def test_safe_ids_are_bare_and_distinct() -> None:
    names = ["a-b", "a_b", "a--b", "end", "subgraph", "a b", 'x"y', "日本", "", "c_a", "A"]
    ids = [safe_id(name) for name in names]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    assert safe_id("end") != "end"


def _hostile_design() -> Design:
    """orders-api with hostile text wherever free text could reach a label: connections, the name, the roles."""
    design = planned("orders-api")
    connections = tuple(
        c.model_copy(update={"label": f"{i} {HOSTILE[i % len(HOSTILE)]}"}) for i, c in enumerate(design.connections)
    )
    components = tuple(c.model_copy(update={"role": HOSTILE[0]}) for c in design.components)
    return design.model_copy(update={"connections": connections, "components": components, "name": "<b>x</b> \\N"})


def test_hostile_labels_cannot_break_mermaid() -> None:
    design = _hostile_design()
    lines = mermaid_source(design).splitlines()
    edges = [line for line in lines if "->|" in line]
    assert len(edges) == len(design.connections)
    for line, connection in zip(edges, design.connections, strict=True):
        match = re.fullmatch(r'  (\w+) -\.?->\|"([^"\n]*)"\| (\w+)', line)
        assert match, line
        assert (match.group(1), match.group(3)) == (safe_id(connection.source), safe_id(connection.target))
        assert _mermaid_decoded(match.group(2)) == " ".join(connection.label.split())
    opened = sum(1 for line in lines if line.lstrip().startswith("subgraph "))
    assert opened == sum(1 for line in lines if line.strip() == "end")


def test_hostile_labels_cannot_break_dot() -> None:
    design = _hostile_design()
    source = dot_source(design)
    graph = json.loads(
        subprocess.run(["dot", "-Tjson"], input=source, capture_output=True, text=True, check=True).stdout
    )
    visible = [e for e in graph["edges"] if e.get("style") != "invis"]
    assert len(visible) == len(design.connections)
    assert len([o for o in graph["objects"] if "nodes" not in o]) == len(
        [c for c in design.components if c.kind != "vpc" and component_catalogue().kinds[c.kind].category != "security"]
    )
    # laid out, every label reads exactly as written: no escape sequence, HTML or DOT syntax took effect
    laid_out = subprocess.run(["dot", "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=True).stdout
    svg = ElementTree.fromstring(laid_out)  # noqa: S314 - archgen's own output
    texts = {element.text for element in svg.iter(f"{SVG}text")}
    for connection in design.connections:
        assert " ".join(connection.label.split()) in texts, connection.label
    assert "<b>x</b> \\N: architecture" in texts


def test_a_connection_to_a_vpc_ends_at_its_box() -> None:
    design = planned("orders-api")
    extra = Connection(source="entry", target="network", label="lives in")
    design = design.model_copy(update={"connections": (*design.connections, extra)})
    assert 'c_entry -->|"lives in"| region0_vpc' in mermaid_source(design)
    source = dot_source(design)
    assert "lhead=cluster_region0_vpc" in source
    subprocess.run(["dot", "-Tsvg", "-o", os.devnull], input=source, text=True, capture_output=True, check=True)


# --- without Graphviz -------------------------------------------------------------------------------------------


def test_without_dot_the_renderer_writes_the_sources_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot to find
    result = render_diagrams(planned("orders-api"))
    assert isinstance(result, Rendered)
    assert sorted(result.files) == sorted(
        [MERMAID_FILE, DOT_FILE, recovery_diagram.MERMAID_FILE, recovery_diagram.DOT_FILE]
    )
    assert len(result.warnings) == 1
    assert "`dot`" in result.warnings[0]
    with pytest.warns(RenderWarning) as caught:
        files = render_files(planned("orders-api"))
    assert len(caught) == 1
    sources = sorted([DOT_FILE, MERMAID_FILE, recovery_diagram.DOT_FILE, recovery_diagram.MERMAID_FILE])
    assert [name for name in files if name.startswith("diagrams/")] == sources
    assert json.loads(files["design.json"])["artifacts"] == sorted(files)


def test_cli_without_dot_exits_0_and_says_so_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # no dot to find
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ARCHGEN_DEBUG", raising=False)
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escaped the CLI would fail the run here
        result = CliRunner().invoke(app, ["design", str(EXAMPLES / "payments-platform.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: Graphviz's `dot` is not on the PATH"), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    sources = ["architecture.dot", "architecture.mmd", "recovery.dot", "recovery.mmd"]
    assert sorted(p.name for p in (out / "diagrams").iterdir()) == sources
    artifacts = json.loads((out / "design.json").read_text(encoding="utf-8"))["artifacts"]
    assert [name for name in artifacts if name.startswith("diagrams/")] == [f"diagrams/{name}" for name in sources]


def test_cli_with_dot_is_quiet(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["design", str(EXAMPLES / "notes-api.yaml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert (tmp_path / "out" / PNG_FILE).is_file()
