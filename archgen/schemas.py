"""JSON Schemas published by ``archgen schema``: the spec (for editors) and design.json (for scripts)."""

from __future__ import annotations

from typing import Any

from archgen import __version__
from archgen.design import SCHEMA_VERSION, Design
from archgen.spec import Spec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def spec_json_schema() -> dict[str, Any]:
    """The spec's schema, with field descriptions from the model."""
    schema = Spec.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, "$id": f"https://archgen.dev/schema/spec-v1-{__version__}.json", **schema}


def design_json_schema() -> dict[str, Any]:
    """The schema of design.json (``artifacts`` is added by the renderer)."""
    schema = Design.model_json_schema(by_alias=True, mode="serialization")
    schema["properties"]["artifacts"] = {"type": "array", "items": {"type": "string"}, "title": "Artifacts"}
    schema["properties"]["schema_version"]["const"] = SCHEMA_VERSION
    # design.json always carries every key (null where a later release fills it in), so all are required
    schema["required"] = sorted(schema["properties"])
    for definition in schema.get("$defs", {}).values():
        definition["required"] = sorted(definition.get("properties", {}))
    return {"$schema": SCHEMA_DIALECT, "$id": f"https://archgen.dev/schema/design-v1-{__version__}.json", **schema}
