"""Render a Design into files. Renderers are entries in one table; each maps the design to {relative path: content}.

Content is text (written as UTF-8) or bytes (written as is: a PNG). A renderer that could not do all of its work
returns ``Rendered(files, warnings)``; each distinct warning is issued once as a ``RenderWarning``.

Renderers read only the Design (never the spec directly, never the clock) so output is byte-identical for the same
spec and version. ``design.json`` is produced last because it lists every artifact, itself included.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

from archgen.design import Design
from archgen.errors import UserError
from archgen.render.cloudformation import render_cloudformation
from archgen.render.design_json import render_design_json
from archgen.render.diagram import render_diagrams
from archgen.render.docs import render_docs
from archgen.render.kubernetes import render_kubernetes, with_kubernetes
from archgen.render.result import Rendered, RenderWarning
from archgen.render.terraform import render_terraform
from archgen.render.writer import write_tree

Renderer = Callable[[Design], Mapping[str, str | bytes] | Rendered]

# target name → renderer; a new output target is one more entry here.
RENDERERS: dict[str, Renderer] = {
    "docs": render_docs,
    "diagrams": render_diagrams,
    "terraform": render_terraform,
    "kubernetes": render_kubernetes,  # every EKS design gets it; others only when listed (with_kubernetes decides)
    "cloudformation": render_cloudformation,  # only when asked (`--target cloudformation`)
}
DEFAULT_TARGETS: tuple[str, ...] = ("docs", "diagrams", "terraform")
ALWAYS_TARGETS: tuple[str, ...] = ("docs", "diagrams")  # written whatever --target names
IAC_TARGETS: tuple[str, ...] = ("terraform", "cloudformation")  # what --target chooses between


def parse_targets(text: str) -> tuple[str, ...]:
    """``--target terraform,cloudformation`` → every target to render (docs and diagrams always)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in IAC_TARGETS]
    if unknown or not names:
        raise UserError(f"--target takes a comma-separated list of {', '.join(IAC_TARGETS)}; got {text!r}")
    return (*ALWAYS_TARGETS, *dict.fromkeys(names))


def render_files(design: Design, targets: tuple[str, ...] = DEFAULT_TARGETS) -> dict[str, bytes]:
    """Every file of the design, in memory: the targets' artifacts plus ``design.json``."""
    files: dict[str, str | bytes] = {}
    notes: dict[str, None] = {}
    for target in with_kubernetes(design, targets):
        # DESIGN.md also depends on the chosen targets: it says what the chosen IaC target cannot express
        result = render_docs(design, targets) if target == "docs" else RENDERERS[target](design)
        if isinstance(result, Rendered):
            notes.update(dict.fromkeys(result.warnings))
            result = result.files
        files.update(result)
    artifacts = sorted([*files, "design.json"])
    files["design.json"] = render_design_json(design, artifacts)
    for note in notes:
        warnings.warn(note, RenderWarning, stacklevel=2)
    return {name: _bytes(content) for name, content in sorted(files.items())}


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def render_design(
    design: Design, out: Path, *, force: bool = False, targets: tuple[str, ...] = DEFAULT_TARGETS
) -> list[str]:
    """Write the design into ``out`` atomically; return the relative paths written."""
    files = render_files(design, targets)
    write_tree(out, files, force=force)
    return sorted(files)
