"""``design.json``: the design as a stable, versioned contract for scripts and CI (see docs/design-json.md)."""

from __future__ import annotations

import json
from typing import Any

from archgen.design import Design


def design_document(design: Design, artifacts: list[str]) -> dict[str, Any]:
    """The JSON document: the design's fields in a fixed order, then the artifacts."""
    document = design.model_dump(mode="json", by_alias=True)
    document["artifacts"] = artifacts
    return document


def render_design_json(design: Design, artifacts: list[str]) -> str:
    """Serialised with a fixed key order and a trailing newline, so it diffs cleanly in git."""
    return json.dumps(design_document(design, artifacts), indent=2, ensure_ascii=False) + "\n"
