"""Deploy harness: apply a generated Terraform root against moto's server on 127.0.0.1, verify, check drift, destroy.

The generated code is never changed. The test copies the design's ``terraform/`` folder to a temporary folder and
writes one extra file next to the root, ``zz_moto_override.tf`` (Terraform merges ``*_override.tf`` files over the
root): every ``provider "aws"`` configuration the root declares gets endpoints for every service at the local
server, dummy credentials and the skip flags; the S3 backend is replaced by local state.

Where moto lacks a resource type, the caller lists it with the reason; every other resource is applied with
``-target`` (addresses from ``terraform plan -json``), leaving out only the unsupported resources and the
resources that depend on them (from ``terraform graph``). What cannot even be planned here (a data source moto
lacks, a provider with no real binary on the machine) is left out of the first plan the same way: the plan then
targets every other resource of the graph.
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
# module.<name>. ... [data.]<type>.<name>: a resource type has an underscore, unlike var, local, output, module
_RESOURCE_ADDRESS = re.compile(r"^(module\.[^.]+\.)*(data\.)?[a-z0-9]+_[a-z0-9_]+\.[^.]+$")
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
            # the account ID comes from moto's STS: resources whose ID is the account ID (the ECR registry scanning
            # configuration) would otherwise get an empty ID and be read back as absent
            "  skip_requesting_account_id  = false\n"
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
        log = self.root.parent / f"terraform-{len(self.log):02d}-{args[0]}.log"
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
        """Every resource instance address the plan creates (managed resources only), of ``target`` if given."""
        self.run("plan", "-input=false", "-no-color", "-out=initial.tfplan", *self.var_args(), *self.targets(target))
        shown = json.loads(self.run("show", "-json", "initial.tfplan").stdout)
        return [
            change["address"]
            for change in shown.get("resource_changes", [])
            if change.get("mode") == "managed" and change["change"]["actions"] != ["no-op"]
        ]

    def graph_edges(self) -> list[tuple[str, str]]:
        """(dependent, dependency) pairs between resource configuration addresses, from ``terraform graph``."""
        dot = self.run("graph", "-type=plan").stdout
        edges = []
        for source, target in re.findall(r'"([^"]+)"\s*->\s*"([^"]+)"', dot):
            # a module's or provider's "close" node waits for everything in it: it carries no data
            if any(n.endswith("(close)") or "provider[" in n or n == "root" for n in (source, target)):
                continue
            edges.append((_node_address(source), _node_address(target)))
        return edges

    def resource_nodes(self) -> list[str]:
        """Configuration addresses of every resource and data source in ``terraform graph`` (no provider is called)."""
        dot = self.run("graph", "-type=plan").stdout
        nodes = {_node_address(node) for node in re.findall(r'"(\[root\] [^"]+)"', dot)}
        return sorted(node for node in nodes if _RESOURCE_ADDRESS.match(node))

    def targets(self, target: list[str] | None) -> list[str]:
        return [f"-target={address}" for address in target] if target is not None else []

    def apply(self, target: list[str] | None) -> None:
        self.run("apply", "-input=false", "-no-color", "-auto-approve", *self.var_args(), *self.targets(target))

    def drift(self, target: list[str] | None) -> tuple[int, dict[str, list[str]]]:
        """``plan -detailed-exitcode`` after apply: its exit code and, per changed resource, the changed attributes."""
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
            keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) or unknown.get(k))
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
    return re.sub(r"\s*\((expand|close)\)$", "", node).strip()


def config_address(instance: str) -> str:
    """``module.a["k"].aws_x.y[0]`` -> ``module.a.aws_x.y``: the configuration address of a resource instance."""
    return re.sub(r"\[[^\]]*\]", "", instance)


def resource_type(address: str) -> str:
    """The resource type of a (configuration or instance) address."""
    parts = config_address(address).split(".")
    return parts[-2]


def excluded_addresses(
    planned: list[str], edges: list[tuple[str, str]], unsupported: Mapping[str, str]
) -> dict[str, str]:
    """Instance address -> reason, for the unsupported resources and every resource that depends on one.

    A key of ``unsupported`` is a resource type, or a configuration address from ``terraform graph`` (a resource,
    a module output) whose dependents are left out.
    """
    blocked: dict[str, str] = {}
    for key, why in unsupported.items():
        if "." in key:  # a configuration address (such as a module output moto leaves empty): its dependents go
            blocked[key] = f"{key}: {why}"
    for address in planned:
        rtype = resource_type(address)
        if rtype in unsupported:
            blocked[config_address(address)] = f"{rtype}: {unsupported[rtype]}"
    # dependents, transitively (on configuration addresses; module nodes carry the edges between modules)
    changed = True
    while changed:
        changed = False
        for dependent, dependency in edges:
            if dependency in blocked and dependent not in blocked:
                blocked[dependent] = f"depends on {dependency}"
                changed = True
    result = {}
    for address in planned:
        reason = blocked.get(config_address(address))
        if reason is not None:
            result[address] = reason
    return result


@dataclass
class DeployRecord:
    """What one deploy did, for the test output and benchmarks/README.md."""

    example: str
    root: str
    planned: int = 0
    applied: int = 0
    excluded: dict[str, str] = field(default_factory=dict)
    drift_tolerated: dict[str, list[str]] = field(default_factory=dict)
    readback_ignored: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"deploy {self.example} {self.root}: {self.applied}/{self.planned} resources applied; "
            + ", ".join(f"{step} {secs:.1f} s" for step, secs in self.seconds.items())
        ]
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
        record.seconds[step] = round(time.monotonic() - start, 1)


def copy_terraform(design_dir: Path, work: Path) -> Path:
    """Copy the design's ``terraform/`` folder into ``work`` and return the copy."""
    target = work / "terraform"
    shutil.copytree(design_dir / "terraform", target)
    return target
