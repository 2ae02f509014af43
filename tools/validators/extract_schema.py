"""Turn the jsii assembly of a prebuilt cdktf provider wheel into a compact Terraform provider schema.

A ``cdktf-cdktf-provider-<name>`` wheel carries ``_jsii/*.jsii.tgz``; its ``package/.jsii`` member is a JSON file
that describes every resource, data source and provider argument of the Terraform provider it was generated from
(the README inside names that provider's version). This script reads it and writes the compact schema that
``tfstub_provider.py`` serves::

    {
      "format": 1,
      "source": "hashicorp/aws", "version": "6.25.0", "generated_from": "cdktf-cdktf-provider-aws 21.22.1",
      "nesting": "blocks" | "attributes",
      "provider": BLOCK, "resources": {"aws_s3_bucket": BLOCK, ...}, "data_sources": {...}
    }
    BLOCK  = {"attributes": {name: {"type": CTY, "use": "required" | "optional" | "computed"}},
              "nested": {name: {"mode": "single" | "list" | "set" | "map", "required": bool, "block": BLOCK}}}
    CTY    = a type in Terraform's JSON type notation: "string", "number", "bool", "dynamic", ["list", CTY], ...

An attribute may carry ``"write_only": true``. A nested object may also carry ``"style": "block" | "attribute"``
(overrides ``nesting``), ``"min_items"`` and ``"max_items"`` (exact block counts), or ``"opaque": true`` (content
unknown). The schema also has ``"ephemeral_resources"`` (empty unless completed) and, once completed,
``"completed_from"``.

What the assembly does not say, and how it is filled in:

* Names: every argument's documentation links to ``...#<terraform_name>``, which is used as is; computed-only
  attributes have no link, so their camelCase name is converted (with the names learnt from links first).
* Nested objects are the same in the assembly whether the provider takes them as blocks (SDKv2 providers such as
  hashicorp/aws) or as nested attributes (plugin-framework providers such as cloudflare v5): ``--nesting`` says
  which, and the stand-in serves them so.
* Sets look like lists; a single nested object (SDKv2 ``MaxItems: 1``) is recorded as ``single``.
* Computed attributes of complex types are typed ``dynamic``.
* A few huge recursive blocks (``aws_wafv2_web_acl``'s ``statement``, QuickSight ``definition``) are typed ``any``
  by cdktf: they are recorded as ``"opaque": true`` and ``complete`` fills them in from a reference schema
  (``terraform providers schema -json`` of another release of the same provider), which also supplies the ephemeral
  resources that cdktf does not model at all.

Usage::

    python extract_schema.py cdktf WHEEL OUT.json --nesting blocks|attributes
    python extract_schema.py complete OUT.json REFERENCE.json --reference-name "hashicorp/aws 5.100.0"
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

Nesting = Literal["blocks", "attributes"]
JsonType = str | list[Any]  # a type in Terraform's JSON type notation

FORMAT = 1
RESOURCE_BASES = {"cdktf.TerraformResource", "cdktf.TerraformDataSource"}
PROVIDER_BASE = "cdktf.TerraformProvider"
# Properties of generated classes that are cdktf's own, not the provider's.
CDKTF_INTERNAL = {"internalValue", "tfResourceType", "fqn", "friendlyUniqueId", "terraformResourceType"}
# Arguments of a provider block that are Terraform meta-arguments rather than the provider's.
PROVIDER_META = {"alias"}
MAX_DEPTH = 16
# Write-only arguments (Terraform 1.11+: never stored in state) are named `<argument>_wo` by hashicorp/aws;
# cdktf does not mark them.
WRITE_ONLY_SUFFIX = "_wo"

ANCHOR = re.compile(r"registry\.terraform\.io/providers/[\w.-]+/[\w.-]+/[\w.]+/docs[\w/-]*#([a-z0-9_]+)[ }]")
README_VERSION = re.compile(r"bindings for ([\w.-]+/[\w.-]+) provider version ([0-9][\w.+-]*)")
LINK_VERSION = re.compile(r"registry\.terraform\.io/providers/([\w.-]+/[\w.-]+)/([0-9][\w.+-]*)/docs")
TYPE_LINK = re.compile(r"/docs/(?:resources|data-sources)/[a-z0-9_]+ ([a-z0-9_]+)\}")
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

CDKTF_MAPS: dict[str, JsonType] = {
    "cdktf.StringMap": ["map", "string"],
    "cdktf.NumberMap": ["map", "number"],
    "cdktf.BooleanMap": ["map", "bool"],
    "cdktf.AnyMap": ["map", "dynamic"],
}
PRIMITIVES: dict[str, JsonType] = {
    "string": "string",
    "number": "number",
    "boolean": "bool",
    "date": "string",
    "any": "dynamic",
    "json": "dynamic",
}


class Attribute(TypedDict):
    """One attribute: its type, whether the configuration must, may or cannot set it, and if it is write-only."""

    type: JsonType
    use: Literal["required", "optional", "computed"]
    write_only: NotRequired[bool]


Mode = Literal["single", "list", "set", "map"]


class Nested(TypedDict):
    """A nested object: how many it takes and its own block."""

    mode: Mode
    required: bool
    block: Block
    style: NotRequired[Literal["block", "attribute"]]
    min_items: NotRequired[int]
    max_items: NotRequired[int]
    opaque: NotRequired[bool]


class Block(TypedDict):
    """The attributes and nested objects of a resource, data source, provider or nested object."""

    attributes: dict[str, Attribute]
    nested: dict[str, Nested]


class Schema(TypedDict):
    """The whole compact schema of one provider."""

    format: int
    source: str
    version: str
    generated_from: str
    nesting: Nesting
    provider: Block
    resources: dict[str, Block]
    data_sources: dict[str, Block]
    ephemeral_resources: dict[str, Block]
    completed_from: NotRequired[str]


def empty_block() -> Block:
    """A block with nothing in it."""
    return {"attributes": {}, "nested": {}}


def read_assembly(wheel: Path) -> dict[str, Any]:
    """Read the ``.jsii`` JSON out of the wheel's ``_jsii/*.jsii.tgz`` without unpacking anything to disk."""
    with zipfile.ZipFile(wheel) as zf:
        members = [n for n in zf.namelist() if n.endswith(".jsii.tgz") and "/_jsii/" in n]
        if len(members) != 1:
            raise SystemExit(f"{wheel}: expected one _jsii/*.jsii.tgz, found {members}")
        tgz = zf.read(members[0])
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
        member = tar.extractfile("package/.jsii")
        if member is None:
            raise SystemExit(f"{wheel}: no package/.jsii in {members[0]}")
        assembly: dict[str, Any] = json.load(member)
    return assembly


def snake_case(camel: str) -> str:
    """``bucketDomainName`` -> ``bucket_domain_name`` (cdktf's reverse mapping, for names without a doc link)."""
    return CAMEL_BOUNDARY.sub("_", camel).lower()


class Extractor:
    """Walks the assembly's types and builds the compact schema."""

    def __init__(self, assembly: Mapping[str, Any], nesting: Nesting) -> None:
        self.types: Mapping[str, Any] = assembly["types"]
        self.package: str = assembly["name"]
        self.nesting: Nesting = nesting
        self.known_names: dict[str, str] = {}
        self._learn_names()

    def _learn_names(self) -> None:
        """Record camelCase -> terraform_name for every linked argument, to name computed attributes alike."""
        for prop in self._struct_properties():
            name = self._linked_name(prop)
            if name:
                self.known_names.setdefault(prop["name"], name)

    def _struct_properties(self) -> Iterator[Mapping[str, Any]]:
        for fqn, decl in self.types.items():
            if decl.get("datatype") and fqn.startswith(self.package + "."):
                yield from decl.get("properties", [])

    @staticmethod
    def _linked_name(prop: Mapping[str, Any]) -> str | None:
        docs = prop.get("docs", {})
        match = ANCHOR.search(f"{docs.get('summary', '')} {docs.get('remarks', '')}")
        return match.group(1) if match else None

    def _name(self, prop: Mapping[str, Any]) -> str:
        return self._linked_name(prop) or self.known_names.get(prop["name"]) or snake_case(prop["name"])

    # -- types ---------------------------------------------------------------------------------------------------
    def _is_local_struct(self, fqn: str) -> bool:
        return fqn.startswith(self.package + ".") and bool(self.types.get(fqn, {}).get("datatype"))

    @staticmethod
    def _without_resolvable(jtype: Mapping[str, Any]) -> Mapping[str, Any]:
        """``boolean | IResolvable`` -> ``boolean``; a union of several real types stays a union."""
        if "union" not in jtype:
            return jtype
        options = [t for t in jtype["union"]["types"] if t.get("fqn") != "cdktf.IResolvable"]
        return options[0] if len(options) == 1 else jtype

    def _nested_struct(self, jtype: Mapping[str, Any]) -> tuple[Mode, str] | None:
        """The nesting mode and struct of a nested object type, or None for a plain value type."""
        jtype = self._without_resolvable(jtype)
        if "fqn" in jtype and self._is_local_struct(jtype["fqn"]):
            return "single", jtype["fqn"]
        if "collection" in jtype:
            element = self._without_resolvable(jtype["collection"]["elementtype"])
            if "fqn" in element and self._is_local_struct(element["fqn"]):
                return ("map" if jtype["collection"]["kind"] == "map" else "list"), element["fqn"]
        return None

    def _value_type(self, jtype: Mapping[str, Any]) -> JsonType:
        jtype = self._without_resolvable(jtype)
        if "primitive" in jtype:
            return PRIMITIVES.get(jtype["primitive"], "dynamic")
        if "collection" in jtype:
            kind = "map" if jtype["collection"]["kind"] == "map" else "list"
            return [kind, self._value_type(jtype["collection"]["elementtype"])]
        if "fqn" in jtype:
            return CDKTF_MAPS.get(jtype["fqn"], "dynamic")
        return "dynamic"

    # -- blocks --------------------------------------------------------------------------------------------------
    def _struct_props(self, fqn: str) -> list[Mapping[str, Any]]:
        """A struct's own properties and those of the provider structs it extends."""
        decl = self.types[fqn]
        props: list[Mapping[str, Any]] = []
        for parent in decl.get("interfaces", []):
            if self._is_local_struct(parent):
                props.extend(self._struct_props(parent))
        props.extend(decl.get("properties", []))
        return props

    def block(self, struct_fqn: str, getters_fqn: str | None, depth: int = 0) -> Block:
        """The block for a config struct; ``getters_fqn`` is the class whose read-only getters are computed."""
        result = empty_block()
        for prop in self._struct_props(struct_fqn):
            name = self._name(prop)
            required = not prop.get("optional", False)
            nested = self._nested_struct(prop["type"]) if depth < MAX_DEPTH else None
            if self._is_opaque_block(name, prop):
                result["nested"][name] = {"mode": "list", "required": required, "block": empty_block(), "opaque": True}
            elif nested:
                mode, child = nested
                child_getters = child + "OutputReference"
                result["nested"][name] = {
                    "mode": mode,
                    "required": required,
                    "block": self.block(child, child_getters if child_getters in self.types else None, depth + 1),
                }
            else:
                use: Literal["required", "optional"] = "required" if required else "optional"
                result["attributes"][name] = {"type": self._value_type(prop["type"]), "use": use}
                if name.endswith(WRITE_ONLY_SUFFIX):
                    result["attributes"][name]["write_only"] = True
        if getters_fqn:
            self._add_computed(result, getters_fqn)
        return result

    def _is_opaque_block(self, name: str, prop: Mapping[str, Any]) -> bool:
        """A block that cdktf typed ``any`` (too big or recursive to generate); its docs still say "<name> block."."""
        jtype = self._without_resolvable(prop["type"])
        return jtype.get("primitive") == "any" and prop.get("docs", {}).get("summary", "") == f"{name} block."

    def _add_computed(self, block: Block, class_fqn: str) -> None:
        """Add read-only getters that have no ``<name>Input`` twin: attributes the provider computes."""
        props = self.types[class_fqn].get("properties", [])
        names = {p["name"] for p in props}
        for prop in props:
            camel = prop["name"]
            if (
                prop.get("static")
                or not prop.get("immutable")
                or camel in CDKTF_INTERNAL
                or camel.endswith("Input")
                or camel + "Input" in names
            ):
                continue
            name = self._name(prop)
            if name in block["attributes"] or name in block["nested"]:
                continue
            jtype = prop["type"]
            value: JsonType = "dynamic" if jtype.get("fqn", "").startswith(self.package) else self._value_type(jtype)
            block["attributes"][name] = {"type": value, "use": "computed"}

    # -- the whole provider --------------------------------------------------------------------------------------
    def schema(self, readme: str, generated_from: str) -> Schema:
        """Extract every resource, data source and the provider block."""
        source, version = self._provider_identity(readme)
        result: Schema = {
            "format": FORMAT,
            "source": source,
            "version": version,
            "generated_from": generated_from,
            "nesting": self.nesting,
            "provider": empty_block(),
            "resources": {},
            "data_sources": {},
            "ephemeral_resources": {},
        }
        for fqn, decl in self.types.items():
            base = decl.get("base")
            if base == PROVIDER_BASE:
                provider = self.block(self._config_struct(decl), None)
                for meta in PROVIDER_META:
                    provider["attributes"].pop(meta, None)
                result["provider"] = provider
            elif base in RESOURCE_BASES:
                match = TYPE_LINK.search(decl.get("docs", {}).get("summary", ""))
                if not match:
                    raise SystemExit(f"cannot find the Terraform type name of {fqn}")
                block = self.block(self._config_struct(decl), fqn)
                block["attributes"].setdefault("id", {"type": "string", "use": "computed"})
                kind = result["resources"] if base == "cdktf.TerraformResource" else result["data_sources"]
                kind[match.group(1)] = block
        return result

    @staticmethod
    def _config_struct(decl: Mapping[str, Any]) -> str:
        """The struct a generated class takes as its ``config`` constructor parameter."""
        for param in decl["initializer"]["parameters"]:
            if param["name"] == "config":
                fqn: str = param["type"]["fqn"]
                return fqn
        raise SystemExit(f"{decl['fqn']} has no config parameter")

    def _provider_identity(self, readme: str) -> tuple[str, str]:
        """``("hashicorp/aws", "6.25.0")`` from the README, else from the first versioned doc link."""
        match = README_VERSION.search(readme)
        if match:
            return match.group(1), match.group(2)
        for decl in self.types.values():
            link = LINK_VERSION.search(decl.get("docs", {}).get("summary", ""))
            if link:
                return link.group(1), link.group(2)
        raise SystemExit("cannot find which provider version the assembly was generated from")


def extract(wheel: Path, nesting: Nesting) -> Schema:
    """Read a cdktf provider wheel and return its compact schema."""
    assembly = read_assembly(wheel)
    generated_from = f"{assembly['targets']['python']['distName']} {assembly['version']}"
    readme = assembly.get("readme", {}).get("markdown", "")
    return Extractor(assembly, nesting).schema(readme, generated_from)


# -- completion from a reference schema (``terraform providers schema -json``) ----------------------------------------
TERRAFORM_NESTING: dict[str, Mode] = {"single": "single", "group": "single", "list": "list", "set": "set", "map": "map"}


def from_terraform_block(block: Mapping[str, Any]) -> Block:
    """Terraform's JSON schema notation for a block -> the compact notation, keeping exact nesting and counts."""
    result = empty_block()
    for name, attr in block.get("attributes", {}).items():
        if "nested_type" in attr:
            nested_type = attr["nested_type"]
            result["nested"][name] = {
                "mode": TERRAFORM_NESTING[nested_type.get("nesting_mode", "single")],
                "required": bool(attr.get("required")),
                "block": from_terraform_block({"attributes": nested_type.get("attributes", {})}),
                "style": "attribute",
            }
            continue
        use: Literal["required", "optional", "computed"] = (
            "required" if attr.get("required") else "optional" if attr.get("optional") else "computed"
        )
        result["attributes"][name] = {"type": attr.get("type", "dynamic"), "use": use}
        if attr.get("write_only"):
            result["attributes"][name]["write_only"] = True
    for name, block_type in block.get("block_types", {}).items():
        nested: Nested = {
            "mode": TERRAFORM_NESTING[block_type.get("nesting_mode", "list")],
            "required": int(block_type.get("min_items", 0)) > 0,
            "block": from_terraform_block(block_type.get("block", {})),
            "style": "block",
        }
        if block_type.get("min_items"):
            nested["min_items"] = int(block_type["min_items"])
        if block_type.get("max_items"):
            nested["max_items"] = int(block_type["max_items"])
        result["nested"][name] = nested
    return result


def _fill_opaque(block: Block, reference: Mapping[str, Any] | None, path: str, filled: list[str]) -> None:
    """Replace opaque nested objects by the reference's blocks of the same path; copy write-only marks."""
    for name, attr in (reference or {}).get("attributes", {}).items():
        if attr.get("write_only") and name in block["attributes"]:
            block["attributes"][name]["write_only"] = True
    ref_types = (reference or {}).get("block_types", {})
    for name, nested in block["nested"].items():
        ref = ref_types.get(name)
        if nested.get("opaque"):
            if ref is not None:
                block["nested"][name] = from_terraform_block({"block_types": {name: ref}})["nested"][name]
                filled.append(f"{path}.{name}")
        else:
            _fill_opaque(nested["block"], ref.get("block") if ref else None, f"{path}.{name}", filled)


def complete(schema: Schema, reference: Mapping[str, Any], reference_name: str) -> list[str]:
    """Fill opaque blocks and add ephemeral resources from a reference; what was filled (``type.path``)."""
    address = f"registry.terraform.io/{schema['source']}"
    provider = reference.get("provider_schemas", {}).get(address)
    if provider is None:
        raise SystemExit(f"the reference schema has no {address}")
    filled: list[str] = []
    kinds = ((schema["resources"], "resource_schemas"), (schema["data_sources"], "data_source_schemas"))
    for blocks, ref_kind in kinds:
        for type_name, block in blocks.items():
            ref = provider.get(ref_kind, {}).get(type_name, {}).get("block")
            _fill_opaque(block, ref, type_name, filled)
    # Regional resources took a `region` argument in hashicorp/aws 6.0; give it to older ephemeral resources too.
    regional = sum("region" in block["attributes"] for block in schema["resources"].values())
    add_region = regional > len(schema["resources"]) / 2
    for type_name, ephemeral in provider.get("ephemeral_resource_schemas", {}).items():
        block = from_terraform_block(ephemeral.get("block", {}))
        if add_region:
            block["attributes"].setdefault("region", {"type": "string", "use": "optional"})
        schema["ephemeral_resources"][type_name] = block
        filled.append(f"ephemeral {type_name}")
    schema["completed_from"] = reference_name
    return filled


def write_schema(schema: Schema, out: Path) -> None:
    """Write the compact JSON atomically."""
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(schema, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``cdktf`` extracts one wheel into one JSON file; ``complete`` fills it from a reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    cdktf = commands.add_parser("cdktf", help="extract a cdktf-cdktf-provider-<name> wheel")
    cdktf.add_argument("wheel", type=Path, help="a cdktf-cdktf-provider-<name> wheel")
    cdktf.add_argument("out", type=Path, help="where to write the compact schema JSON")
    cdktf.add_argument(
        "--nesting",
        choices=["blocks", "attributes"],
        required=True,
        help="serve nested objects as blocks (SDKv2 providers) or as nested attributes (plugin framework)",
    )
    fill = commands.add_parser("complete", help="fill opaque blocks and ephemeral resources from a reference")
    fill.add_argument("schema", type=Path, help="a compact schema written by the cdktf command (rewritten)")
    fill.add_argument("reference", type=Path, help="output of `terraform providers schema -json`")
    fill.add_argument("--reference-name", required=True, help='what the reference is, e.g. "hashicorp/aws 5.100.0"')
    args = parser.parse_args(argv)
    if args.command == "cdktf":
        schema = extract(args.wheel, args.nesting)
        write_schema(schema, args.out)
        print(
            f"{schema['source']} {schema['version']} (from {schema['generated_from']}): "
            f"{len(schema['resources'])} resources, {len(schema['data_sources'])} data sources -> {args.out}"
        )
    else:
        schema = json.loads(args.schema.read_text(encoding="utf-8"))
        filled = complete(schema, json.loads(args.reference.read_text(encoding="utf-8")), args.reference_name)
        write_schema(schema, args.schema)
        print(f"{schema['source']} {schema['version']}: from {args.reference_name}: {', '.join(filled) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
