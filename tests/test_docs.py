"""The checked-in generated docs match what the code generates, so a stale doc fails CI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archgen.docs import README_MARKERS, blueprint_table_markdown, spec_reference_markdown
from archgen.schemas import spec_json_schema

ROOT = Path(__file__).resolve().parent.parent
SPEC_DOC = ROOT / "docs" / "spec.md"
README = ROOT / "README.md"
REGENERATE = "stale: run `python -m archgen.docs` to regenerate it"


def test_spec_reference_is_current() -> None:
    assert SPEC_DOC.is_file(), f"{SPEC_DOC} is missing: run `python -m archgen.docs` to generate it"
    assert SPEC_DOC.read_text(encoding="utf-8") == spec_reference_markdown(), f"docs/spec.md is {REGENERATE}"


def test_readme_blueprint_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = README_MARKERS
    assert text.count(start) == 1, f"README.md needs exactly one {start} marker"
    assert text.count(end) == 1, f"README.md needs exactly one {end} marker"
    between = text.split(start, 1)[1].split(end, 1)[0]
    assert between == f"\n{blueprint_table_markdown()}", f"the README blueprint table is {REGENERATE}"


def _ref(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema ``node`` refers to, directly, through an array, or through ``anyOf``."""
    for candidate in [node, node.get("items", {}), *node.get("anyOf", [])]:
        if "$ref" in candidate:
            found: dict[str, Any] = definitions[candidate["$ref"].rsplit("/", 1)[-1]]
            return found
        if "$ref" in candidate.get("items", {}):
            found = definitions[candidate["items"]["$ref"].rsplit("/", 1)[-1]]
            return found
    return None


def _is_list(node: dict[str, Any]) -> bool:
    return node.get("type") == "array" or any(option.get("type") == "array" for option in node.get("anyOf", []))


def _field_paths(schema: dict[str, Any], definitions: dict[str, Any], prefix: str = "") -> list[str]:
    """Every field path of the spec schema, written the way docs/spec.md writes them (``data[].name``)."""
    paths = []
    for name, node in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        paths.append(path)
        nested = _ref(node, definitions)
        if nested is not None:
            paths += _field_paths(nested, definitions, path + ("[]." if _is_list(node) else "."))
    return paths


def test_every_spec_field_is_documented() -> None:
    schema = spec_json_schema()
    paths = _field_paths(schema, schema.get("$defs", {}))
    assert len(paths) > 20, "the schema walk found too few fields; the walk is broken"
    documented = set(re.findall(r"^\| `([^`]+)` \|", SPEC_DOC.read_text(encoding="utf-8"), flags=re.M))
    missing = [path for path in paths if path not in documented]
    assert not missing, f"spec fields missing from docs/spec.md ({REGENERATE}): {', '.join(missing)}"


def test_every_section_field_appears_by_name() -> None:
    """A cross-check independent of the path notation: every property name of every section is in the doc."""
    schema = spec_json_schema()
    text = SPEC_DOC.read_text(encoding="utf-8")
    names = set(schema.get("properties", {}))
    for definition in schema.get("$defs", {}).values():
        names |= set(definition.get("properties", {}))
    missing = sorted(name for name in names if not re.search(rf"`([\w\[\].]*\.)?{re.escape(name)}`", text))
    assert not missing, f"spec fields missing from docs/spec.md ({REGENERATE}): {', '.join(missing)}"
