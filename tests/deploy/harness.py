"""Deploy harness: apply a generated Terraform root against moto's server on 127.0.0.1, verify, check drift, destroy.

The generated code is never changed. The test copies the design's ``terraform/`` folder to a temporary folder and
writes one extra file next to the root, ``zz_moto_override.tf`` (Terraform merges ``*_override.tf`` files over the
root): every ``provider "aws"`` configuration the root declares gets endpoints for every service at the local
server, dummy credentials and the skip flags; the S3 backend is replaced by local state. The provider still asks
the server's STS for the account ID (moto's 123456789012), as it would AWS: without it, it reads a rule that
references a security group of the same account back as a cross-account reference (``<account>/sg-...``).

Where moto lacks a resource type (or a data source), the caller lists it with the reason; every other resource is
applied with ``-target`` on the configuration addresses of ``terraform graph``, leaving out only the unsupported
resources and data sources and what depends on them. Targeting also keeps Terraform from reading a data source
that is left out. Where only a reference to an unsupported resource stops a supported one, the caller may write a
stand-in override into that module of the copy (``write_stand_ins``) so the supported one is still applied.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from tests.validators import TERRAFORM_ENV_DROPPED, cli_config

HOST = "127.0.0.1"
ACCOUNT_ID = "123456789012"  # moto's default account
DUMMY_KEY = "testing"
APPLY_TIMEOUT = 600

# Every service endpoint the generated roots can call (names as hashicorp/aws 5.100.0's `endpoints` block takes).
ENDPOINT_SERVICES = (
    "acm",
    "apigateway",
    "apigatewayv2",
    "appautoscaling",
    "autoscaling",
    "backup",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "configservice",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "efs",
    "eks",
    "elasticache",
    "elbv2",
    "events",
    "firehose",
    "glue",
    "guardduty",
    "iam",
    "kinesis",
    "kms",
    "lambda",
    "logs",
    "rds",
    "route53",
    "s3",
    "scheduler",
    "secretsmanager",
    "servicediscovery",
    "sfn",
    "signer",
    "sns",
    "sqs",
    "ssm",
    "sts",
    "wafv2",
    "xray",
)

_ALIAS = re.compile(r'^\s*alias\s*=\s*"([^"]+)"', re.MULTILINE)
_PROVIDER = re.compile(r'^provider\s+"aws"\s*\{(.*?)^\}', re.MULTILINE | re.DOTALL)


# -- moto's server ---------------------------------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class MotoServer:
    """moto's server, a separate process on 127.0.0.1."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"


@contextlib.contextmanager
def moto_server(log_dir: Path) -> Iterator[MotoServer]:
    """Start ``moto_server`` on a free port, wait until it answers, stop it afterwards."""
    port = free_port()
    log = log_dir / "moto.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MOTO_CALL_RESET_API": "false", "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
        )
    server = MotoServer(port, process, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{server.endpoint}/moto-api/data.json", timeout=2):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"moto's server did not start: {log.read_text(errors='replace')}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def aws_session(region: str) -> boto3.session.Session:
    """A boto3 session with dummy credentials; pass ``endpoint_url=server.endpoint`` to each client."""
    return boto3.session.Session(aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_KEY, region_name=region)


# -- the override file -----------------------------------------------------------------------------------------------
def provider_aliases(root: Path) -> list[str | None]:
    """The ``provider "aws"`` configurations the root declares: None for the default one, else the alias."""
    aliases: list[str | None] = []
    for path in sorted(root.glob("*.tf")):
        for body in _PROVIDER.findall(path.read_text(encoding="utf-8")):
            match = _ALIAS.search(body)
            aliases.append(match.group(1) if match else None)
    if None not in aliases:
        aliases.insert(0, None)
    return aliases


def override_text(root: Path, endpoint: str) -> str:
    """``zz_moto_override.tf``: every aws provider configuration against ``endpoint``, local state."""
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in ENDPOINT_SERVICES)
    blocks = []
    for alias in provider_aliases(root):
        alias_line = f'  alias = "{alias}"\n' if alias else ""
        blocks.append(
            'provider "aws" {\n'
            f"{alias_line}"
            f'  access_key                  = "{DUMMY_KEY}"\n'
            f'  secret_key                  = "{DUMMY_KEY}"\n'
            "  skip_credentials_validation = true\n"
            "  skip_metadata_api_check     = true\n"
            "  s3_use_path_style           = true\n"
            "  max_retries                 = 2\n"
            "\n"
            "  endpoints {\n"
            f"{endpoints}\n"
            "  }\n"
            "}\n"
        )
    backend = 'terraform {\n  backend "local" {\n    path = "terraform.tfstate"\n  }\n}\n'
    return "# Written by the deploy test: moto's server on 127.0.0.1, local state.\n" + "\n".join([*blocks, backend])


# -- read-back gaps that would cascade -------------------------------------------------------------------------------
_RESOURCE_BLOCK = re.compile(r'^resource\s+"([^"]+)"\s+"([^"]+)"\s*\{(.*?)^\}', re.MULTILINE | re.DOTALL)
_IGNORE_CHANGES = re.compile(r"^\s*ignore_changes\s*=\s*\[(.*)\]\s*$", re.MULTILINE)
READBACK_OVERRIDE = "zz_moto_readback_override.tf"


def readback_overrides(terraform_dir: Path, ignored: Mapping[str, Sequence[str]]) -> dict[Path, str]:
    """Per folder, an override file with ``ignore_changes`` for the attributes of ``ignored`` (resource type ->
    attributes) on every resource of those types, keeping the ``ignore_changes`` a block already has.

    For read-back gaps whose difference forces a replacement or makes dependents' values unknown: listed after the
    fact (as MOTO_READBACK is), every dependent would show a change too. Written only for the plan after apply.
    """
    found: dict[Path, list[str]] = {}
    for path in sorted(terraform_dir.rglob("*.tf")):
        if path.name.endswith("_override.tf") or ".terraform" in path.parts:
            continue
        for rtype, name, body in _RESOURCE_BLOCK.findall(path.read_text(encoding="utf-8")):
            if rtype not in ignored:
                continue
            existing = _IGNORE_CHANGES.search(body)
            kept = [a.strip() for a in existing.group(1).split(",") if a.strip()] if existing else []
            attributes = ", ".join([*kept, *ignored[rtype]])
            found.setdefault(path.parent, []).append(
                f'resource "{rtype}" "{name}" {{\n  lifecycle {{\n    ignore_changes = [{attributes}]\n  }}\n}}\n'
            )
    header = "# Written by the deploy test for the plan after apply: attributes moto does not read back.\n"
    return {folder / READBACK_OVERRIDE: header + "\n".join(blocks) for folder, blocks in found.items()}


# -- terraform -------------------------------------------------------------------------------------------------------
@dataclass
class Terraform:
    """Terraform in one root of a temporary copy, with the real aws provider from the machine's mirror."""

    root: Path
    var_file: Path
    log: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        source = {k: v for k, v in os.environ.items() if k not in TERRAFORM_ENV_DROPPED}
        plugin_cache = self.root.parent / ".plugin-cache"
        plugin_cache.mkdir(exist_ok=True)
        return {
            **source,
            "TF_CLI_CONFIG_FILE": str(cli_config("real")),
            "TF_PLUGIN_CACHE_DIR": str(plugin_cache),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "AWS_ACCESS_KEY_ID": DUMMY_KEY,
            "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
            "AWS_EC2_METADATA_DISABLED": "true",
            # anything not sent to the local server (an endpoint missing above) fails at once instead of leaving
            # the machine: the proxy is a closed port on 127.0.0.1
            "HTTPS_PROXY": f"http://{HOST}:9",
            "HTTP_PROXY": f"http://{HOST}:9",
            "https_proxy": f"http://{HOST}:9",
            "http_proxy": f"http://{HOST}:9",
            "NO_PROXY": HOST,
            "no_proxy": HOST,
        }

    def run(self, *args: str, check: bool = True, timeout: int = APPLY_TIMEOUT) -> subprocess.CompletedProcess[str]:
        """Run terraform; its output also goes to ``terraform-<n>.log`` beside the root, to follow a slow apply."""
        log = self.root.parent / f"terraform-{self.root.name}-{len(self.log):02d}-{args[0]}.log"
        errors = log.with_suffix(".err")
        with log.open("w", encoding="utf-8") as out, errors.open("w", encoding="utf-8") as err:
            process = subprocess.run(
                ["terraform", *args],
                cwd=self.root,
                env=self.env(),
                stdout=out,
                stderr=err,
                text=True,
                timeout=timeout,
                check=False,
            )
        result = subprocess.CompletedProcess(
            process.args, process.returncode, log.read_text(encoding="utf-8"), errors.read_text(encoding="utf-8")
        )
        self.log.append(f"$ terraform {' '.join(args)} -> {result.returncode}")
        if check and result.returncode != 0:
            raise AssertionError(
                f"terraform {' '.join(args[:6])} … failed ({result.returncode}) in {self.root}:\n"
                f"{result.stderr[-6000:]}\n{result.stdout[-3000:]}"
            )
        return result

    def var_args(self) -> list[str]:
        return [f"-var-file={self.var_file}"]

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color")

    def planned_addresses(self, target: list[str] | None = None) -> list[str]:
        """Every resource instance address the plan creates or changes (managed resources only)."""
        self.run("plan", "-input=false", "-no-color", "-out=pass.tfplan", *self.var_args(), *self.targets(target))
        shown = json.loads(self.run("show", "-json", "pass.tfplan").stdout)
        return [
            change["address"]
            for change in shown.get("resource_changes", [])
            if change.get("mode") == "managed" and change["change"]["actions"] != ["no-op"]
        ]

    def graph(self) -> Graph:
        """The root's configuration graph from ``terraform graph`` (no API calls): resources, data sources, edges."""
        dot = self.run("graph", "-type=plan").stdout
        nodes = {_node_address(n) for n in re.findall(r'"(\[root\] [^"]+)"', dot)}
        edges = []
        for source, target in re.findall(r'"([^"]+)"\s*->\s*"([^"]+)"', dot):
            # a module's or provider's "close" node waits for everything in it: it carries no data
            if any(n.endswith("(close)") or "provider[" in n or n == "root" for n in (source, target)):
                continue
            edges.append((_node_address(source), _node_address(target)))
        return Graph(sorted(n for n in nodes if _RESOURCE_NODE.match(n)), edges)

    def outputs(self) -> dict[str, Any]:
        """The root's outputs after apply: name -> value."""
        shown = json.loads(self.run("output", "-json").stdout)
        return {name: output["value"] for name, output in shown.items()}

    def targets(self, target: list[str] | None) -> list[str]:
        return [f"-target={address}" for address in target] if target is not None else []

    def apply(self, target: list[str] | None) -> None:
        self.run("apply", "-input=false", "-no-color", "-auto-approve", *self.var_args(), *self.targets(target))

    def drift(self, target: list[str] | None) -> tuple[int, dict[str, list[str]]]:
        """``plan -detailed-exitcode`` after apply: its exit code and, per changed resource, the changed attributes
        (``"<name> (known after apply)"`` where the new value is unknown until apply)."""
        result = self.run(
            "plan",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            "-out=drift.tfplan",
            *self.var_args(),
            *self.targets(target),
            check=False,
        )
        if result.returncode == 1:
            raise AssertionError(f"terraform plan after apply failed:\n{result.stderr[-6000:]}")
        shown = json.loads(self.run("show", "-json", "drift.tfplan").stdout)
        changed: dict[str, list[str]] = {}
        for change in shown.get("resource_changes", []):
            if change["change"]["actions"] in (["no-op"], ["read"]):
                continue
            before = change["change"].get("before") or {}
            after = change["change"].get("after") or {}
            unknown = change["change"].get("after_unknown") or {}
            # a value Terraform only learns during apply is told apart from a different known value
            keys = sorted(
                f"{k} (known after apply)" if unknown.get(k) else k
                for k in set(before) | set(after)
                if before.get(k) != after.get(k) or unknown.get(k)
            )
            changed[change["address"]] = keys
        return result.returncode, changed

    def state(self) -> dict[str, Any]:
        shown: dict[str, Any] = json.loads(self.run("show", "-json").stdout)
        return shown

    def destroy(self, target: list[str] | None) -> None:
        self.run("destroy", "-input=false", "-no-color", "-auto-approve", *self.var_args(), *self.targets(target))

    def state_list(self) -> list[str]:
        result = self.run("state", "list", check=False)
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        # a targeted destroy keeps data sources in the state: only managed resources count
        return [a for a in lines if not (a.startswith("data.") or ".data." in a)]


def _node_address(node: str) -> str:
    """``[root] module.x.aws_foo.bar (expand)`` -> ``module.x.aws_foo.bar``."""
    node = node.removeprefix("[root] ")
    return re.sub(r"\s*\((expand|close|validation)\)$", "", node).strip()


# a managed resource (``module.m.aws_x.y``) or data source (``data.aws_x.y``) node: a resource type has an
# underscore, unlike var, local, output and module
_RESOURCE_NODE = re.compile(r"^(module\.[^.]+\.)*(data\.)?[a-z0-9]+_[a-z0-9_]+\.[^.]+$")


@dataclass(frozen=True)
class Graph:
    """A root's resource and data-source configuration addresses, and (dependent, dependency) pairs of all nodes."""

    resources: list[str]
    edges: list[tuple[str, str]]

    def managed(self) -> list[str]:
        return [n for n in self.resources if not (n.startswith("data.") or ".data." in n)]


def config_address(instance: str) -> str:
    """``module.a["k"].aws_x.y[0]`` -> ``module.a.aws_x.y``: the configuration address of a resource instance."""
    return re.sub(r"\[[^\]]*\]", "", instance)


def resource_type(address: str) -> str:
    """The resource type of a (configuration or instance) address."""
    parts = config_address(address).split(".")
    return parts[-2]


def kind_key(address: str) -> str:
    """What UNSUPPORTED is keyed by: the resource type, or ``data.<type>`` for a data source."""
    parts = config_address(address).split(".")
    return f"data.{parts[-2]}" if len(parts) > 2 and parts[-3] == "data" else parts[-2]


def blocked_resources(graph: Graph, unsupported: Mapping[str, str]) -> dict[str, str]:
    """Configuration address -> reason, for the unsupported resources and data sources and everything depending on
    one, transitively through the variables, locals and outputs between them (resources and data sources only).

    A key of ``unsupported`` is a resource type, ``data.<type>`` or a configuration address (a module output).
    """
    seeds = [n for n in graph.resources if kind_key(n) in unsupported]
    blocked = {n: f"{kind_key(n)}: {unsupported[kind_key(n)]}" for n in seeds}
    # a key may also be a configuration address (a module output moto leaves empty): what depends on it is left out
    for key, reason in unsupported.items():
        if "." in key and not key.startswith("data."):
            blocked[key] = f"{key}: {reason}"
            seeds.append(key)
    origin = {n: n for n in seeds}  # the first blocked resource on the way, for the reason
    changed = True
    while changed:
        changed = False
        for dependent, dependency in graph.edges:
            if dependency in blocked and dependent not in blocked:
                origin[dependent] = dependency if dependency in graph.resources else origin[dependency]
                blocked[dependent] = f"depends on {origin[dependent]}"
                changed = True
    resources = set(graph.resources)
    return {address: reason for address, reason in blocked.items() if address in resources}


@dataclass
class DeployRecord:
    """What one deploy did, for the test output and benchmarks/README.md."""

    example: str
    root: str
    planned: set[str] = field(default_factory=set)
    applied: int = 0
    excluded: dict[str, str] = field(default_factory=dict)
    stand_ins: dict[str, str] = field(default_factory=dict)
    drift_tolerated: dict[str, list[str]] = field(default_factory=dict)
    readback_ignored: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def not_applied(self) -> int:
        """How many managed resources (configuration addresses) were left out."""
        return sum(1 for address in self.excluded if not kind_key(address).startswith("data."))

    def summary(self) -> str:
        lines = [
            f"deploy {self.example} {self.root}: {self.applied}/{len(self.planned) + self.not_applied()} resources"
            " applied; " + ", ".join(f"{step} {secs:.1f} s" for step, secs in self.seconds.items())
        ]
        lines += [f"  applied with a stand-in: {where} ({reason})" for where, reason in sorted(self.stand_ins.items())]
        lines += [f"  not applied: {address} ({reason})" for address, reason in sorted(self.excluded.items())]
        lines += [
            f"  plan after apply differs only where moto does not read back: {address} {keys}"
            for address, keys in sorted(self.drift_tolerated.items())
        ]
        lines += [
            f"  plan after apply ignores (ignore_changes) what moto does not read back: {rtype} {keys}"
            for rtype, keys in sorted(self.readback_ignored.items())
        ]
        return "\n".join(lines)


@contextlib.contextmanager
def timed(record: DeployRecord, step: str) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        record.seconds[step] = round(record.seconds.get(step, 0.0) + time.monotonic() - start, 1)


def write_stand_ins(terraform_dir: Path, stand_ins: Mapping[str, str]) -> None:
    """Write ``zz_moto_override.tf`` into each named module of the copy that the design has."""
    for module, hcl in stand_ins.items():
        folder = terraform_dir / "modules" / module
        if folder.is_dir():
            (folder / "zz_moto_override.tf").write_text(
                "# Written by the deploy test: a stand-in for what moto cannot create.\n" + hcl, encoding="utf-8"
            )


def copy_terraform(design_dir: Path, work: Path) -> Path:
    """Copy the design's ``terraform/`` folder into ``work`` and return the copy."""
    target = work / "terraform"
    shutil.copytree(design_dir / "terraform", target)
    return target
