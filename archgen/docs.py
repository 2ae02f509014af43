"""Documentation generated from metadata: the README's blueprint table, ``blueprints show``, docs/spec.md.

Tests check that the checked-in copies match; ``python -m archgen.docs`` regenerates them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from archgen.blueprint import Blueprint, blueprint_library
from archgen.schemas import spec_json_schema

README_MARKERS = ("<!-- blueprints:start -->", "<!-- blueprints:end -->")


def blueprint_table_markdown() -> str:
    """A Markdown table of the blueprint library."""
    lines = ["| Blueprint | What it is | Compute | Follows |", "|---|---|---|---|"]
    for blueprint in blueprint_library():
        compute = ", ".join(f"`{c}`" for c in blueprint.compute)
        summary = " ".join(blueprint.summary.split())
        lines.append(
            f"| `{blueprint.id}` | **{blueprint.title}.** {summary} | {compute} | "
            f"[{blueprint.source.title}]({blueprint.source.url}) |"
        )
    return "\n".join(lines) + "\n"


def describe_blueprint(blueprint: Blueprint) -> str:
    """Plain-text description for ``archgen blueprints show``."""
    lines = [
        f"{blueprint.id}: {blueprint.title}",
        "",
        " ".join(blueprint.summary.split()),
        "",
        f"follows: {blueprint.source.title} <{blueprint.source.url}>",
        f"compute: {', '.join(blueprint.compute)}   complexity: {blueprint.complexity}",
        "components:",
    ]
    for component in blueprint.components:
        repeat = f" (one per {component.for_each.replace('_', ' ')[:-1]})" if component.for_each else ""
        lines.append(f"  {component.id}: {component.kind}{repeat}" + (f" — {component.role}" if component.role else ""))
    if blueprint.defaults:
        lines.append("defaults: " + ", ".join(f"{key}={value}" for key, value in sorted(blueprint.defaults.items())))
    return "\n".join(lines)


def spec_reference_markdown() -> str:
    """docs/spec.md: every spec field with its type, default and description, from the JSON Schema."""
    schema = spec_json_schema()
    definitions = schema.get("$defs", {})
    lines = [
        "# Spec reference (v1)",
        "",
        "<!-- Generated from the spec model by `python -m archgen.docs`; do not edit by hand. -->",
        "",
        "A spec is one YAML mapping. Unknown keys are errors. Durations are integer seconds or a number with a unit: "
        "`30s`, `15m`, `4h`, `1d` (combinations such as `1h30m` work too). `archgen schema` prints this as JSON "
        "Schema for editors.",
        "",
        "| Field | Type | Default | Description |",
        "|---|---|---|---|",
    ]
    lines += _field_rows(schema, definitions, "")
    return "\n".join(lines) + "\n"


def _field_rows(schema: dict[str, Any], definitions: dict[str, Any], prefix: str) -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        nested = _nested(field, definitions)
        default = "required" if name in required else _default(field)
        rows.append(f"| `{path}` | {_type(field, definitions)} | {default} | {_text(field, nested)} |")
        if nested is not None:
            suffix = "[]." if _is_array(field) else "."
            rows += _field_rows(nested, definitions, path + suffix)
    return rows


def _nested(field: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any] | None:
    for candidate in [field, field.get("items", {}), *field.get("anyOf", [])]:
        if "$ref" in candidate:
            return definitions[candidate["$ref"].split("/")[-1]]  # type: ignore[no-any-return]
        if candidate.get("type") == "array" and "$ref" in candidate.get("items", {}):
            return definitions[candidate["items"]["$ref"].split("/")[-1]]  # type: ignore[no-any-return]
    return None


def _is_array(field: dict[str, Any]) -> bool:
    return field.get("type") == "array" or any(option.get("type") == "array" for option in field.get("anyOf", []))


def _type(field: dict[str, Any], definitions: dict[str, Any]) -> str:
    if "enum" in field:
        return " \\| ".join(f"`{value}`" for value in field["enum"])
    if "const" in field:
        return f"`{field['const']}`"
    options = field.get("anyOf")
    if options:
        return " or ".join(_type(option, definitions) for option in options if option.get("type") != "null")
    if field.get("type") == "array":
        return f"list of {_type(field.get('items', {}), definitions)}"
    if "$ref" in field:
        return "mapping"
    return str(field.get("type", "mapping"))


def _default(field: dict[str, Any]) -> str:
    if "default" not in field:
        return ""
    value = field["default"]
    if isinstance(value, dict):
        return "see below" if value else ""
    special = {"None": "not set", "": "empty", "[]": "empty", "True": "`true`", "False": "`false`"}
    return special.get(str(value), f"`{value}`")


def _text(field: dict[str, Any], nested: dict[str, Any] | None) -> str:
    text = field.get("description") or (nested or {}).get("description") or ""
    return " ".join(str(text).split()).replace("|", "\\|")


def update(root: Path) -> list[Path]:
    """Rewrite the generated docs under ``root``; return the files that changed."""
    changed = []
    spec_doc = root / "docs" / "spec.md"
    if _replace(spec_doc, spec_reference_markdown()):
        changed.append(spec_doc)
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = README_MARKERS
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    new = pattern.sub(lambda _: f"{start}\n{blueprint_table_markdown()}{end}", text)
    if _replace(readme, new):
        changed.append(readme)
    return changed


def _replace(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


if __name__ == "__main__":
    for changed_path in update(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()):
        print(f"updated {changed_path}")
