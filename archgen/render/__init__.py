"""Render a Design into files. Renderers are entries in one table; each maps the design to {relative path: text}.

Renderers read only the Design (never the spec directly, never the clock) so output is byte-identical for the same
spec and version. ``design.json`` is produced last because it lists every artifact, itself included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archgen.design import Design
from archgen.render.design_json import render_design_json
from archgen.render.docs import render_docs
from archgen.render.writer import write_tree

Renderer = Callable[[Design], dict[str, str]]

# target name → renderer; later targets (terraform, kubernetes, diagrams, cloudformation) add entries here.
RENDERERS: dict[str, Renderer] = {
    "docs": render_docs,
}
DEFAULT_TARGETS: tuple[str, ...] = ("docs",)


def render_files(design: Design, targets: tuple[str, ...] = DEFAULT_TARGETS) -> dict[str, bytes]:
    """Every file of the design, in memory: the targets' artifacts plus ``design.json``."""
    files: dict[str, str] = {}
    for target in targets:
        files.update(RENDERERS[target](design))
    artifacts = sorted([*files, "design.json"])
    files["design.json"] = render_design_json(design, artifacts)
    return {name: text.encode("utf-8") for name, text in sorted(files.items())}


def render_design(
    design: Design, out: Path, *, force: bool = False, targets: tuple[str, ...] = DEFAULT_TARGETS
) -> list[str]:
    """Write the design into ``out`` atomically; return the relative paths written."""
    files = render_files(design, targets)
    write_tree(out, files, force=force)
    return sorted(files)
