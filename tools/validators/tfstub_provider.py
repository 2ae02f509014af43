"""A schema-only stand-in for a Terraform provider, so that ``terraform validate`` can run offline.

It speaks Terraform's plugin protocol v6 with the help of the ``tf`` package (PyPI ``tf`` 1.2.0): ``tf``'s runner
does the go-plugin handshake, TLS and process lifecycle, and ``tf``'s generated protocol messages build the answers.
The stand-in answers ``GetProviderSchema`` with a compact schema written by ``extract_schema.py`` and accepts every
``Validate*`` call without a diagnostic. Terraform itself then reports what a schema can tell: unknown resource
types, unsupported or missing arguments, wrong block counts, wrong types, bad references. Value checks done inside
the real provider (allowed values, CIDR syntax, ...) are not emulated, and plan or apply are refused.

Usage::

    python tfstub_provider.py compile SCHEMA.json ANSWER.pb     # encode the GetProviderSchema answer once
    python tfstub_provider.py serve ANSWER.pb --address registry.terraform.io/hashicorp/aws

Terraform starts ``serve`` (a tiny executable in a filesystem mirror execs it). The answer is encoded ahead of time
because building it takes seconds for hashicorp/aws, and Terraform starts the provider more than once per command.

Nested objects are served as the schema's ``nesting`` says: ``blocks`` for SDKv2 providers (``rule { ... }``),
``attributes`` for plugin-framework providers (``rules = [{ ... }]``); a nested object may override that with its
own ``style``.

``tf`` 1.2.0 implements protocol 6.6, which predates ephemeral resources, so the stand-in registers its own
handlers for the ``tfplugin6.Provider`` service (raw bytes in and out) in place of ``tf``'s servicer, and appends
``ephemeral_resource_schemas`` (field 8 of ``GetProviderSchema.Response`` since protocol 6.7) to the encoded answer;
likewise an attribute's ``write_only`` flag (field 11 of ``Schema.Attribute``, protocol 6.8) is added as raw bytes.

This file runs inside the stand-ins' own virtual environment, where ``tf`` is installed; the project's
environment only type-checks it.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-not-found, import-untyped, unused-ignore]
import tf.runner  # type: ignore[import-not-found, import-untyped, unused-ignore]
from tf.gen import tfplugin_pb2 as pb  # type: ignore[import-not-found, import-untyped, unused-ignore]
from tf.gen import tfplugin_pb2_grpc as tf_rpc  # type: ignore[import-not-found, import-untyped, unused-ignore]

REGISTRY = "registry.terraform.io"
SERVICE = "tfplugin6.Provider"
EPHEMERAL_SCHEMAS_FIELD = 8  # GetProviderSchema.Response.ephemeral_resource_schemas, protocol 6.7+
WRITE_ONLY = bytes([11 << 3, 1])  # Schema.Attribute.write_only = true (field 11, protocol 6.8+), encoded
# Calls answered with an empty message: no diagnostics, no functions, no identity schemas, stopped.
EMPTY_ANSWERS = (
    "ValidateProviderConfig",
    "ValidateResourceConfig",
    "ValidateDataResourceConfig",
    "ValidateEphemeralResourceConfig",
    "GetFunctions",
    "GetResourceIdentitySchemas",
    "StopProvider",
)
# SDKv2 serves ``timeouts`` as a single block; its other nested objects are list blocks.
SINGLE_BLOCKS = {"timeouts"}


# -- compact schema -> protocol messages -------------------------------------------------------------------------
def _type_bytes(json_type: Any) -> bytes:
    """A type in Terraform's JSON type notation, as the protocol carries it."""
    return json.dumps(json_type, separators=(",", ":")).encode()


def _attribute(name: str, spec: Mapping[str, Any]) -> Any:
    use = spec["use"]
    attribute = pb.Schema.Attribute(
        name=name,
        type=_type_bytes(spec["type"]),
        required=use == "required",
        optional=use == "optional",
        computed=use == "computed",
    )
    if spec.get("write_only"):
        attribute.MergeFromString(WRITE_ONLY)  # kept as an unknown field and sent on
    return attribute


def _object_nesting(mode: str) -> Any:
    return {
        "single": pb.Schema.Object.SINGLE,
        "list": pb.Schema.Object.LIST,
        "set": pb.Schema.Object.SET,
        "map": pb.Schema.Object.MAP,
    }[mode]


def _nested_attribute(name: str, nested: Mapping[str, Any]) -> Any:
    """A nested object as a plugin-framework nested attribute: ``name = { ... }`` or ``name = [{ ... }]``."""
    inner = nested["block"]
    attributes = [_attribute(n, a) for n, a in sorted(inner["attributes"].items())]
    attributes += [_nested_attribute(n, child) for n, child in sorted(inner["nested"].items())]
    required = nested["required"]
    return pb.Schema.Attribute(
        name=name,
        nested_type=pb.Schema.Object(attributes=attributes, nesting=_object_nesting(nested["mode"])),
        required=required,
        optional=not required,
    )


def _nested_block(name: str, nested: Mapping[str, Any], nesting: str) -> Any:
    """A nested object as a block: ``name { ... }``, repeated for lists and sets, at most once for single ones.

    Exact counts come with objects taken from a reference schema; objects from cdktf follow SDKv2's conventions
    (a single object is a list block of at most one, ``timeouts`` a single block).
    """
    block = build_block(nested["block"], nesting)
    mode = nested["mode"]
    exact = nested.get("style") == "block"
    if mode == "single" and (exact or name in SINGLE_BLOCKS):
        return pb.Schema.NestedBlock(type_name=name, block=block, nesting=pb.Schema.NestedBlock.SINGLE)
    modes = {"list": pb.Schema.NestedBlock.LIST, "set": pb.Schema.NestedBlock.SET, "map": pb.Schema.NestedBlock.MAP}
    return pb.Schema.NestedBlock(
        type_name=name,
        block=block,
        nesting=modes.get(mode, pb.Schema.NestedBlock.LIST),
        min_items=nested.get("min_items", 1 if nested["required"] else 0),
        max_items=nested.get("max_items", 1 if mode == "single" else 0),
    )


def _as_block(nested: Mapping[str, Any], nesting: str) -> bool:
    style = nested.get("style")
    if style:
        return bool(style == "block")
    # SDKv2 has no map of blocks: such an object can only have come from a nested attribute.
    return nesting == "blocks" and nested["mode"] != "map"


def build_block(block: Mapping[str, Any], nesting: str) -> Any:
    """The protocol's ``Schema.Block`` for one block of the compact schema."""
    attributes = [_attribute(name, spec) for name, spec in sorted(block["attributes"].items())]
    block_types = []
    for name, nested in sorted(block["nested"].items()):
        if nested.get("opaque"):
            # content unknown (cdktf typed it `any` and nothing filled it in): accept any value, but not a block
            attributes.append(_attribute(name, {"type": "dynamic", "use": "optional"}))
        elif _as_block(nested, nesting):
            block_types.append(_nested_block(name, nested, nesting))
        else:
            attributes.append(_nested_attribute(name, nested))
    return pb.Schema.Block(attributes=attributes, block_types=block_types)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _map_entry_field(field: int, key: str, message: bytes) -> bytes:
    """One ``map<string, Message>`` entry, encoded as protobuf field ``field`` (wire type 2)."""
    key_bytes = key.encode()
    entry = b"\x0a" + _varint(len(key_bytes)) + key_bytes + b"\x12" + _varint(len(message)) + message
    return _varint(field << 3 | 2) + _varint(len(entry)) + entry


# -- the service -------------------------------------------------------------------------------------------------
def encode_schema_answer(schema: Mapping[str, Any]) -> bytes:
    """The encoded ``GetProviderSchema.Response`` for a compact schema."""
    nesting = schema["nesting"]

    def schemas(kind: str) -> dict[str, Any]:
        return {name: pb.Schema(block=build_block(b, nesting)) for name, b in schema.get(kind, {}).items()}

    answer: bytes = pb.GetProviderSchema.Response(
        provider=pb.Schema(block=build_block(schema["provider"], nesting)),
        provider_meta=pb.Schema(block=pb.Schema.Block()),
        resource_schemas=schemas("resources"),
        data_source_schemas=schemas("data_sources"),
        server_capabilities=_capabilities(),
    ).SerializeToString()
    for name, ephemeral in sorted(schemas("ephemeral_resources").items()):
        answer += _map_entry_field(EPHEMERAL_SCHEMAS_FIELD, name, ephemeral.SerializeToString())
    return answer


def _capabilities() -> Any:
    """Terraform may reuse a schema it already fetched from another process of this provider."""
    return pb.ServerCapabilities(get_provider_schema_optional=True)


class StandIn:
    """The answers of one stand-in provider, from its pre-encoded schema answer."""

    def __init__(self, schema_answer: bytes) -> None:
        self.schema_answer = schema_answer
        self._lock = threading.Lock()
        self._metadata: bytes | None = None

    def provider_schema(self, request: bytes, context: Any) -> bytes:
        """``GetProviderSchema``: every schema."""
        return self.schema_answer

    def metadata(self, request: bytes, context: Any) -> bytes:
        """``GetMetadata``: the capabilities and the type names (decoded from the schema answer on first use)."""
        with self._lock:
            if self._metadata is None:
                schemas = pb.GetProviderSchema.Response.FromString(self.schema_answer)
                answer = pb.GetMetadata.Response(
                    server_capabilities=_capabilities(),
                    resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in schemas.resource_schemas],
                    data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=n) for n in schemas.data_source_schemas],
                )
                self._metadata = bytes(answer.SerializeToString())
            return self._metadata

    @staticmethod
    def empty(request: bytes, context: Any) -> bytes:
        """An empty answer: valid, nothing to report."""
        return b""

    def handler(self) -> Any:
        """A gRPC handler for the calls ``terraform init`` and ``validate`` make; others are UNIMPLEMENTED."""
        answers: dict[str, Callable[[bytes, Any], bytes]] = dict.fromkeys(EMPTY_ANSWERS, self.empty)
        answers["GetProviderSchema"] = self.provider_schema
        answers["GetMetadata"] = self.metadata
        return grpc.method_handlers_generic_handler(
            SERVICE, {name: grpc.unary_unary_rpc_method_handler(call) for name, call in answers.items()}
        )


class _Named:
    """What ``tf.runner.run_provider`` needs of a provider object."""

    def __init__(self, address: str) -> None:
        self.address = address

    def full_name(self) -> str:
        return self.address


def serve(stand_in: StandIn, address: str, argv: list[str]) -> None:
    """Run the go-plugin server of ``tf`` with the stand-in's handlers in place of ``tf``'s own servicer."""

    def register(_tf_servicer: Any, server: Any) -> None:
        server.add_generic_rpc_handlers((stand_in.handler(),))

    # tf.runner registers the Provider service through this module function, looked up when it runs.
    tf_rpc.add_ProviderServicer_to_server = register
    tf.runner.run_provider(_Named(address), argv)


def main(argv: list[str]) -> None:
    """``compile`` a compact schema into an answer file, or ``serve`` one (other arguments go to ``tf``'s runner)."""
    parser = argparse.ArgumentParser(description="schema-only Terraform provider stand-in")
    commands = parser.add_subparsers(dest="command", required=True)
    compile_ = commands.add_parser("compile", help="encode the GetProviderSchema answer of a compact schema")
    compile_.add_argument("schema", type=Path, help="compact schema JSON from extract_schema.py")
    compile_.add_argument("out", type=Path, help="where to write the encoded answer")
    serve_ = commands.add_parser("serve", help="serve an encoded answer over the plugin protocol")
    serve_.add_argument("answer", type=Path, help="an answer file written by `compile`")
    serve_.add_argument("--address", required=True, help="registry.terraform.io/<namespace>/<type>")
    args, rest = parser.parse_known_args(argv[1:])
    if args.command == "compile":
        schema = json.loads(args.schema.read_text(encoding="utf-8"))
        tmp = args.out.with_suffix(".tmp")
        tmp.write_bytes(encode_schema_answer(schema))
        tmp.replace(args.out)
    else:
        serve(StandIn(args.answer.read_bytes()), args.address, [argv[0], *rest])


if __name__ == "__main__":
    main(sys.argv)
