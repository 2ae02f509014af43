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
from archgen.render import diagram
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
from archgen.render.result import Rendered, RenderWarning
from tests.conftest import EXAMPLES, ROOT

CASES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
DIAGRAMS = (MERMAID_FILE, DOT_FILE, SVG_FILE, PNG_FILE)
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
    assert files[PNG_FILE].startswith(b"\x89PNG\r\n\x1a\n")
    svg = ElementTree.fromstring(files[SVG_FILE])  # noqa: S314 - archgen's own output
    assert svg.tag == f"{SVG}svg"
    hrefs = [element.get(XLINK, "") for element in svg.iter() if element.get(XLINK) is not None]
    assert hrefs, "no icons in the SVG"
    assert all(href.startswith(("#icon", "data:image/png;base64,")) for href in hrefs), "an icon is not embedded"
    # every component is drawn, except each VPC, which is the box around its subnets
    design = planned(case)
    titles = {element.text for element in svg.iter(f"{SVG}title")}
    for component in design.components:
        assert (safe_id(component.id) in titles) != (component.kind == "vpc"), component.id
        assert f"{safe_id(component.id)}[" in mermaid or component.kind == "vpc", component.id


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


@pytest.mark.parametrize("case", ["payments-platform", "global-catalog"])
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
        if name != PNG_FILE:
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
        [c for c in design.components if c.kind != "vpc"]
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
    assert sorted(result.files) == sorted([MERMAID_FILE, DOT_FILE])
    assert len(result.warnings) == 1
    assert "`dot`" in result.warnings[0]
    with pytest.warns(RenderWarning) as caught:
        files = render_files(planned("orders-api"))
    assert len(caught) == 1
    assert [name for name in files if name.startswith("diagrams/")] == [DOT_FILE, MERMAID_FILE]
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
    assert sorted(p.name for p in (out / "diagrams").iterdir()) == ["architecture.dot", "architecture.mmd"]
    artifacts = json.loads((out / "design.json").read_text(encoding="utf-8"))["artifacts"]
    assert [name for name in artifacts if name.startswith("diagrams/")] == [DOT_FILE, MERMAID_FILE]


def test_cli_with_dot_is_quiet(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["design", str(EXAMPLES / "notes-api.yaml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert (tmp_path / "out" / PNG_FILE).is_file()
