"""Set up the offline validators that archgen's tests use (idempotent; a re-run that finds everything is a no-op).

Run it with the project's interpreter: ``.venv/bin/python tools/validators/setup.py [--cache DIR]``.
The cache folder is ``--cache``, else ``$ARCHGEN_TOOLS_CACHE``, else ``~/.cache/archgen-tools``; it receives:

* ``wheels/``       the pinned wheels, from ``pip download --no-deps`` (``tf`` and the ``cdktf-cdktf-provider-*`` ones)
* ``schemas/``      per stand-in: ``<name>.json``, the compact schema extracted from its wheel by
                    ``extract_schema.py`` (hashicorp/aws completed from the real provider's own schema: ephemeral
                    resources, write-only flags, wafv2/QuickSight blocks that cdktf types ``any``); ``<name>.pb``,
                    the stand-in's encoded answer; ``<name>.meta.json``, what it was built from
* ``stub-venv/``    a virtual environment with ``tf``, which runs the stand-in ``stub/tfstub_provider.py``
* ``mirror/``       a Terraform filesystem mirror holding one tiny executable per stand-in provider
* ``plugin-cache/`` Terraform's plugin cache for ``real.tfrc`` (links the 700 MB provider instead of copying it)
* ``schema.tfrc``   CLI config: every provider from the stand-ins (hashicorp/aws as the 6.x schema)
* ``real.tfrc``     CLI config: the machine's real hashicorp/aws mirror (``$ARCHGEN_TF_MIRROR``, else the first
                    ``/*/*/registry.terraform.io/hashicorp/aws``), the other providers from the stand-ins
* ``checkov/``      checkov in its own virtual environment (it pins an old boto3 and replaces python-hcl2)
* ``state.json``    what was set up, for ``tests/validators.py``

It needs ``pip`` to reach a package index (the only network use); everything it builds works offline.
Exit status 1 when something the tests need is missing (``terraform`` on PATH, the real aws mirror, a failed step).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import glob
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent
EXTRACTOR = HERE / "extract_schema.py"
STAND_IN = HERE / "tfstub_provider.py"

TF_PACKAGE = ("tf", "1.2.0")
CHECKOV_PACKAGE = ("checkov", "3.3.30")
KUBERNETES_VALIDATE = "kubernetes-validate"
REAL_AWS_GLOB = "/*/*/registry.terraform.io/hashicorp/aws"
PLATFORM = "linux_amd64"
SETUP_COMMAND = ".venv/bin/python tools/validators/setup.py"


@dataclass(frozen=True)
class StandIn:
    """A provider served by the schema-only stand-in, and the cdktf wheel its schema comes from."""

    short: str
    wheel_version: str
    nesting: Literal["blocks", "attributes"]
    complete_from_real: bool = False  # fill cdktf's gaps from the real provider's schema (aws only)

    @property
    def package(self) -> str:
        """The PyPI distribution name."""
        return f"cdktf-cdktf-provider-{self.short}"


# cdktf wheel -> provider: aws 21.22.1 -> hashicorp/aws 6.25.0, cloudflare 13.9.1 -> cloudflare/cloudflare 5.14.0,
# random 12.0.1 -> 3.7.2, tls 11.0.1 -> 4.1.0, archive 11.0.1 -> 2.7.1 (the last prebuilt releases, 2025-12).
# hashicorp/aws and the SDKv2-era providers take nested blocks; cloudflare v5 (plugin framework) nested attributes.
# cdktf leaves out ephemeral resources and types a few huge recursive blocks (wafv2 `statement`, QuickSight
# `definition`) as `any`: those come from the real hashicorp/aws provider's own schema, dumped once.
STAND_INS = (
    StandIn("aws", "21.22.1", "blocks", complete_from_real=True),
    StandIn("cloudflare", "13.9.1", "attributes"),
    StandIn("random", "12.0.1", "blocks"),
    StandIn("tls", "11.0.1", "blocks"),
    StandIn("archive", "11.0.1", "blocks"),
)

REFERENCE_ROOT = """\
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
"""

SMOKE_ROOT = """\
terraform {
  required_providers {
    aws        = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
    cloudflare = { source = "cloudflare/cloudflare", version = ">= 5.0, < 6.0" }
    random     = { source = "hashicorp/random" }
    tls        = { source = "hashicorp/tls" }
    archive    = { source = "hashicorp/archive" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "tls_private_key" "key" {
  algorithm = "ED25519"
}

data "archive_file" "zip" {
  type                    = "zip"
  output_path             = "out.zip"
  source_content          = "x"
  source_content_filename = "x.txt"
}

resource "aws_s3_bucket" "bucket" {
  bucket = "smoke-${random_id.suffix.hex}"
}

resource "cloudflare_ruleset" "rules" {
  zone_id = "0123"
  name    = "smoke"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules   = [{ action = "block", expression = "true" }]
}
"""


class SetupError(Exception):
    """A step failed; the message says which and why."""


class Report:
    """Prints one line per step, with how long it took."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.missing: list[str] = []

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[list[str]]:
        """Time a step; the step appends what it did to the yielded list (nothing appended = already there)."""
        notes: list[str] = []
        start = time.monotonic()
        yield notes
        took = time.monotonic() - start
        what = "; ".join(notes) if notes else "up to date"
        print(f"  {label:<20} {what} ({took:.1f} s)", flush=True)

    def need(self, what: str) -> None:
        """Record something the tests need that is missing."""
        self.missing.append(what)
        print(f"  MISSING: {what}", flush=True)


# -- small helpers ---------------------------------------------------------------------------------------------------
def default_cache() -> Path:
    """``$ARCHGEN_TOOLS_CACHE``, else ``~/.cache/archgen-tools``."""
    env = os.environ.get("ARCHGEN_TOOLS_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "archgen-tools"


def run(cmd: list[str], what: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure raise SetupError with its output."""
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if proc.returncode != 0:
        output = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines() if "is ignored" not in line)
        raise SetupError(f"{what} failed (exit {proc.returncode}): {shlex.join(cmd)}\n{output[-4000:]}")
    return proc


def write_if_changed(path: Path, text: str, mode: int | None = None) -> bool:
    """Write ``text`` unless the file already holds it; True when written."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    if mode is not None:
        tmp.chmod(mode)
    tmp.replace(path)
    return True


def digest(*parts: str | bytes) -> str:
    """A short content hash."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def wheel_file(wheels: Path, name: str, version: str) -> Path | None:
    """The downloaded wheel of ``name==version``, if present."""
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(wheels.glob(pattern))
    return found[0] if found else None


def make_venv(path: Path) -> Path:
    """Create a virtual environment with pip (bootstrapping pip where ensurepip is missing); its python."""
    python = path / "bin" / "python"
    proc = subprocess.run([sys.executable, "-m", "venv", str(path)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        shutil.rmtree(path, ignore_errors=True)
        run([sys.executable, "-m", "venv", "--without-pip", str(path)], "python -m venv --without-pip")
        run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "pip"], "bootstrapping pip")
    return python


def installed_version(python: Path, distribution: str) -> str | None:
    """The version of ``distribution`` installed for ``python``, or None."""
    if not python.exists():
        return None
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


# -- the steps -------------------------------------------------------------------------------------------------------
class Setup:
    """All steps, in order; each checks what is there first."""

    def __init__(self, cache: Path, report: Report) -> None:
        self.cache = cache
        self.report = report
        self.wheels = cache / "wheels"
        self.schemas = cache / "schemas"
        self.stub_venv = cache / "stub-venv"
        self.stub_python = self.stub_venv / "bin" / "python"
        self.stub = cache / "stub" / STAND_IN.name
        self.mirror = cache / "mirror"
        self.plugin_cache = cache / "plugin-cache"
        self.checkov_venv = cache / "checkov"
        self.checkov_log = cache / "checkov-install.log"
        self.terraform = shutil.which("terraform")
        self.real_mirror = find_real_aws_mirror()
        self.state: dict[str, Any] = {"cache": str(cache), "setup_command": SETUP_COMMAND}

    # checkov: the slowest step, so it starts first and runs while the rest is built
    def start_checkov(self) -> subprocess.Popen[bytes] | None:
        """Start installing checkov into its own venv unless the pinned version is there; the running install."""
        name, version = CHECKOV_PACKAGE
        stamp = self.checkov_venv / ".archgen-stamp"
        wanted = f"{name}=={version}"
        if stamp.is_file() and stamp.read_text().strip() == wanted and (self.checkov_venv / "bin" / name).exists():
            return None
        if installed_version(self.checkov_venv / "bin" / "python", name) == version:
            stamp.write_text(wanted + "\n")
            return None
        python = self.checkov_venv / "bin" / "python"
        if not python.exists():
            shutil.rmtree(self.checkov_venv, ignore_errors=True)
            python = make_venv(self.checkov_venv)
        log = self.checkov_log.open("wb")
        cmd = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wanted]
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)

    def finish_checkov(self, proc: subprocess.Popen[bytes] | None, started: float) -> None:
        """Wait for the checkov install and check it."""
        name, version = CHECKOV_PACKAGE
        with self.report.step("checkov") as notes:
            if proc is not None:
                code = proc.wait()
                with self.checkov_log.open("a") as log:
                    log.write("done\n" if code == 0 else f"failed: exit {code}\n")
                if code != 0:
                    raise SetupError(f"pip install {name}=={version} failed; see {self.checkov_log}")
                (self.checkov_venv / ".archgen-stamp").write_text(f"{name}=={version}\n")
                took = time.monotonic() - started
                notes.append(f"installed {name} {version} into {self.checkov_venv} ({took:.0f} s since its start)")
        self.state["checkov"] = {"version": version, "executable": str(self.checkov_venv / "bin" / name)}

    def download_wheels(self) -> None:
        """``pip download --no-deps`` the pinned wheels that are not in ``wheels/`` yet."""
        wanted = [TF_PACKAGE, *((s.package, s.wheel_version) for s in STAND_INS)]
        with self.report.step("wheels") as notes:
            missing = [f"{n}=={v}" for n, v in wanted if wheel_file(self.wheels, n, v) is None]
            if missing:
                self.wheels.mkdir(parents=True, exist_ok=True)
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
                cmd += ["--disable-pip-version-check", "--quiet", "--dest", str(self.wheels), *missing]
                run(cmd, "pip download")
                notes.append("downloaded " + ", ".join(missing))

    def stub_environment(self) -> None:
        """The stand-ins' venv with ``tf``, and a copy of the stand-in program that does not depend on this checkout."""
        name, version = TF_PACKAGE
        with self.report.step("stand-in venv") as notes:
            stamp = self.stub_venv / ".archgen-stamp"
            wanted = f"{name}=={version}"
            if not (stamp.is_file() and stamp.read_text().strip() == wanted and self.stub_python.exists()):
                if not self.stub_python.exists():
                    make_venv(self.stub_venv)
                wheel = wheel_file(self.wheels, name, version)
                spec = str(wheel) if wheel else wanted
                cmd = [str(self.stub_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec]
                run(cmd, "pip install tf")
                stamp.write_text(wanted + "\n")
                notes.append(f"installed {name} {version} into {self.stub_venv}")
            if write_if_changed(self.stub, STAND_IN.read_text(encoding="utf-8")):
                notes.append(f"copied {STAND_IN.name}")

    # schemas: extract from the wheel, complete from the real provider (aws), encode the stand-in's answer
    def schemas_step(self) -> None:
        """Bring every stand-in's schema up to date, in parallel; the reference schema is dumped once if needed."""
        with self.report.step("schemas") as notes:
            self.schemas.mkdir(parents=True, exist_ok=True)
            todo = [(s, key) for s in STAND_INS if (key := self._schema_key(s)) != self._meta(s).get("key")]
            reference: Path | None = None
            with tempfile.TemporaryDirectory(prefix="archgen-reference-") as tmp:
                if any(s.complete_from_real for s, _ in todo) and self.real_mirror and self.terraform:
                    reference = self._dump_reference(self.terraform, Path(tmp))
                    notes.append(f"dumped the schema of {reference.stem}")
                with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
                    notes.extend(pool.map(lambda job: self._build_schema(job[0], job[1], reference), todo))
            for stand_in in STAND_INS:
                if stand_in.complete_from_real and not self._meta(stand_in).get("completed_from"):
                    notes.append(f"WARNING: {stand_in.short} was not completed (no real provider mirror or terraform)")

    def _schema_key(self, stand_in: StandIn) -> str:
        wheel = wheel_file(self.wheels, stand_in.package, stand_in.wheel_version)
        if wheel is None:
            raise SetupError(f"{stand_in.package} {stand_in.wheel_version} was not downloaded")
        reference = "none"
        if stand_in.complete_from_real and self.terraform and self.real_mirror:
            versions = sorted(p.name for p in (self.real_mirror / "registry.terraform.io/hashicorp/aws").iterdir())
            reference = f"{self.real_mirror}:{','.join(versions)}"
        code = digest(EXTRACTOR.read_bytes(), STAND_IN.read_bytes())
        return f"{wheel.name} nesting={stand_in.nesting} reference={reference} code={code}"

    def _meta(self, stand_in: StandIn) -> dict[str, Any]:
        """What the last build of this schema recorded (empty when never built or its outputs are gone)."""
        path = self.schemas / f"{stand_in.short}.meta.json"
        if not (path.is_file() and (self.schemas / f"{stand_in.short}.pb").is_file()):
            return {}
        meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return meta

    def _dump_reference(self, terraform: str, tmp: Path) -> Path:
        """``terraform providers schema -json`` of the real hashicorp/aws provider."""
        assert self.real_mirror is not None
        config = tmp / "reference.tfrc"
        config.write_text(tfrc([(self.real_mirror, None, None)], None), encoding="utf-8")
        (tmp / "main.tf").write_text(REFERENCE_ROOT, encoding="utf-8")
        env = dict(os.environ, TF_CLI_CONFIG_FILE=str(config), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
        init = [terraform, "init", "-backend=false", "-input=false", "-no-color"]
        run(init, "reference: terraform init", cwd=tmp, env=env)
        lock = (tmp / ".terraform.lock.hcl").read_text(encoding="utf-8")
        version = re.search(r'version\s*=\s*"([^"]+)"', lock)
        name = f"hashicorp-aws-{version.group(1) if version else 'unknown'}"
        out = tmp / f"{name}.json"
        dump = run([terraform, "providers", "schema", "-json"], "reference: providers schema", cwd=tmp, env=env)
        out.write_text(dump.stdout, encoding="utf-8")
        return out

    def _build_schema(self, stand_in: StandIn, key: str, reference: Path | None) -> str:
        wheel = wheel_file(self.wheels, stand_in.package, stand_in.wheel_version)
        assert wheel is not None
        target = self.schemas / f"{stand_in.short}.json"
        cmd = [sys.executable, str(EXTRACTOR), "cdktf", str(wheel), str(target), "--nesting", stand_in.nesting]
        line = run(cmd, f"extracting the {stand_in.short} schema").stdout.strip().split(" -> ")[0]
        if stand_in.complete_from_real and reference is not None:
            version = reference.stem.rsplit("-", 1)[-1]
            name = f"hashicorp/aws {version} (the real provider in {self.real_mirror})"
            cmd = [sys.executable, str(EXTRACTOR), "complete", str(target), str(reference), "--reference-name", name]
            filled = run(cmd, f"completing the {stand_in.short} schema").stdout.strip()
            line += f"; completed from hashicorp/aws {version}: {filled.count(',') + 1} blocks and ephemeral types"
        answer = target.with_suffix(".pb")
        run([str(self.stub_python), str(STAND_IN), "compile", str(target), str(answer)], "encoding the answer")
        schema = json.loads(target.read_text(encoding="utf-8"))
        meta = {k: schema.get(k) for k in ("source", "version", "generated_from", "completed_from")}
        meta["key"] = key
        write_if_changed(target.with_suffix(".meta.json"), json.dumps(meta, indent=2, sort_keys=True) + "\n")
        return line

    # terraform: mirror, CLI configs, smoke test
    def mirror_and_configs(self) -> bool:
        """Write the stand-ins' filesystem mirror and the two CLI configs; True when anything changed."""
        with self.report.step("mirror") as notes:
            providers: dict[str, str] = {}
            wanted: set[Path] = set()
            for stand_in in STAND_INS:
                meta = self._meta(stand_in)
                if not meta:
                    raise SetupError(f"the {stand_in.short} schema was not built")
                source, version = meta["source"], meta["version"]
                providers[source] = version
                exe = self.mirror / "registry.terraform.io" / source / version / PLATFORM
                exe = exe / f"terraform-provider-{source.split('/')[1]}_v{version}"
                wanted.add(exe)
                if write_if_changed(exe, self._wrapper(stand_in, meta), 0o755):
                    notes.append(f"{source} {version}")
            for stale in [p for p in self.mirror.rglob("*") if p.is_file() and p not in wanted]:
                stale.unlink()
                notes.append(f"removed {stale.relative_to(self.mirror)}")
            changed = bool(notes)
            if changed:
                # the plugin cache may hold copies of the old stand-in executables
                shutil.rmtree(self.plugin_cache, ignore_errors=True)
            self.state["stand_ins"] = providers
            self.state["schemas"] = {s.short: self._meta(s) for s in STAND_INS}
        with self.report.step("CLI configs") as notes:
            changed |= self._write_configs(notes)
        return changed

    def _wrapper(self, stand_in: StandIn, meta: dict[str, Any]) -> str:
        source, version = meta["source"], meta["version"]
        answer = self.schemas / f"{stand_in.short}.pb"
        command = [str(self.stub_python), "-I", str(self.stub), "serve", str(answer)]
        command += ["--address", f"registry.terraform.io/{source}"]
        return (
            "#!/bin/sh\n"
            f"# Schema-only stand-in for {source} {version} (schema from {meta['generated_from']}),\n"
            "# written by archgen's tools/validators/setup.py. HOME is where tf keeps its TLS certificate.\n"
            f"export HOME={shlex.quote(str(self.cache / 'home'))}\n"
            f'exec {shlex.join(command)} "$@"\n'
        )

    def _write_configs(self, notes: list[str]) -> bool:
        schema_tfrc = tfrc([(self.mirror, None, None)], None)
        changed = write_if_changed(self.cache / "schema.tfrc", schema_tfrc)
        real_tfrc_path = self.cache / "real.tfrc"
        aws = "registry.terraform.io/hashicorp/aws"
        mirror = self.real_mirror
        if mirror is None:
            real_tfrc_path.unlink(missing_ok=True)
            where = os.environ.get("ARCHGEN_TF_MIRROR") or f"none matches {REAL_AWS_GLOB}"
            self.report.need(
                f"the real hashicorp/aws provider mirror ({where}): set ARCHGEN_TF_MIRROR to a filesystem mirror "
                f"folder holding {aws}/<version>/{PLATFORM}"
            )
        else:
            real_tfrc = tfrc([(mirror, aws, None), (self.mirror, None, aws)], self.plugin_cache)
            changed |= write_if_changed(real_tfrc_path, real_tfrc)
            versions = sorted(p.name for p in (mirror / aws).iterdir() if (p / PLATFORM).is_dir())
            self.state["real_aws"] = {"mirror": str(mirror), "versions": versions}
        if changed:
            notes.append("wrote schema.tfrc" + (", real.tfrc" if mirror else ""))
        self.state["tfrc"] = {"schema": str(self.cache / "schema.tfrc"), "real": str(real_tfrc_path)}
        return changed

    def smoke_test(self, changed: bool) -> None:
        """``terraform init`` + ``validate`` of a root using every provider, in both modes; warms the plugin cache."""
        with self.report.step("terraform") as notes:
            terraform = self.terraform
            if terraform is None:
                self.report.need("terraform on PATH (Terraform 1.11 or newer)")
                return
            version = json.loads(run([terraform, "version", "-json"], "terraform version").stdout)
            self.state["terraform"] = {"path": terraform, "version": version.get("terraform_version")}
            modes = [m for m in ("real", "schema") if (self.cache / f"{m}.tfrc").is_file()]
            stamp_file = self.cache / "smoke.ok"
            stamp = self._smoke_stamp(modes, version.get("terraform_version", ""))
            if not changed and stamp_file.is_file() and stamp_file.read_text() == stamp:
                return
            with ThreadPoolExecutor(max_workers=2) as pool:
                for mode, took in pool.map(lambda m: (m, self._smoke(terraform, m)), modes):
                    notes.append(f"smoke test {mode}: init+validate {took:.1f} s")
            stamp_file.write_text(stamp)

    def _smoke_stamp(self, modes: list[str], terraform_version: str) -> str:
        """Changes when anything the smoke test depends on changes."""
        inputs = [terraform_version, *modes, self.stub.read_text(encoding="utf-8")]
        inputs += [(self.cache / f"{mode}.tfrc").read_text(encoding="utf-8") for mode in modes]
        inputs += [json.dumps(self._meta(s), sort_keys=True) for s in STAND_INS]
        return digest(*inputs)

    def _smoke(self, terraform: str, mode: str) -> float:
        env = dict(os.environ, TF_CLI_CONFIG_FILE=str(self.cache / f"{mode}.tfrc"), CHECKPOINT_DISABLE="1")
        env["TF_IN_AUTOMATION"] = "1"
        start = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"archgen-smoke-{mode}-") as tmp:
            (Path(tmp) / "main.tf").write_text(SMOKE_ROOT, encoding="utf-8")
            init = [terraform, "init", "-backend=false", "-input=false", "-no-color"]
            run(init, f"{mode}: terraform init", cwd=tmp, env=env)
            run([terraform, "validate", "-no-color"], f"{mode}: terraform validate", cwd=tmp, env=env)
        return time.monotonic() - start

    def python_tools(self) -> None:
        """kubernetes-validate in the project's environment, and kubectl (for kustomize): report only."""
        with self.report.step("kubernetes") as notes:
            have = importlib.util.find_spec("kubernetes_validate") is not None
            self.state["kubernetes_validate"] = have
            if not have:
                notes.append(
                    f"WARNING: {KUBERNETES_VALIDATE} is not installed in {sys.prefix}; "
                    f"it belongs in pyproject's dev extras ('{KUBERNETES_VALIDATE}>=1.37')"
                )
            kubectl = shutil.which("kubectl")
            self.state["kubectl"] = kubectl
            notes.append(f"kubectl {'at ' + kubectl if kubectl else 'not found (kustomize checks unavailable)'}")

    def write_state(self) -> None:
        """Record what was set up for tests/validators.py."""
        self.state["complete"] = not self.report.missing
        self.state["missing"] = self.report.missing
        write_if_changed(self.cache / "state.json", json.dumps(self.state, indent=2, sort_keys=True) + "\n")


def find_real_aws_mirror() -> Path | None:
    """The filesystem mirror holding the real hashicorp/aws provider: ``$ARCHGEN_TF_MIRROR`` or the first match."""
    env = os.environ.get("ARCHGEN_TF_MIRROR")
    if env:
        candidates = [Path(env).expanduser().resolve() / "registry.terraform.io/hashicorp/aws"]
    else:
        candidates = [Path(p) for p in sorted(glob.glob(REAL_AWS_GLOB))]
    for aws in candidates:
        if any((version / PLATFORM).is_dir() for version in aws.glob("*")):
            return aws.parents[2]
    return None


def tfrc(mirrors: list[tuple[Path, str | None, str | None]], plugin_cache: Path | None) -> str:
    """A CLI config with one ``filesystem_mirror`` per (path, include, exclude) and no network installation."""
    lines = []
    if plugin_cache is not None:
        # Installing the 700 MB real provider into every temporary root is slow; the cache links it instead.
        plugin_cache.mkdir(parents=True, exist_ok=True)
        lines += [
            f"plugin_cache_dir = {json.dumps(str(plugin_cache))}",
            "plugin_cache_may_break_dependency_lock_file = true",
            "",
        ]
    lines.append("provider_installation {")
    for path, include, exclude in mirrors:
        lines += ["  filesystem_mirror {", f"    path    = {json.dumps(str(path))}"]
        if include:
            lines.append(f"    include = [{json.dumps(include)}]")
        if exclude:
            lines.append(f"    exclude = [{json.dumps(exclude)}]")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def locked(cache: Path) -> Iterator[None]:
    """One set-up at a time per cache folder."""
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".setup.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    """Run every step; exit 1 when something the tests need is missing."""
    parser = argparse.ArgumentParser(description="Set up archgen's offline validators (terraform, checkov).")
    parser.add_argument("--cache", type=Path, default=default_cache(), help="cache folder (default: %(default)s)")
    args = parser.parse_args(argv)
    cache: Path = args.cache.expanduser().resolve()
    report = Report()
    print(f"archgen validators -> {cache}", flush=True)
    with locked(cache):
        setup = Setup(cache, report)
        checkov_started = time.monotonic()
        checkov = None
        try:
            checkov = setup.start_checkov()
            setup.download_wheels()
            setup.stub_environment()
            setup.schemas_step()
            changed = setup.mirror_and_configs()
            setup.smoke_test(changed)
            setup.python_tools()
        except SetupError as err:
            report.need(str(err))
        try:
            setup.finish_checkov(checkov, checkov_started)
        except SetupError as err:
            report.need(str(err))
        setup.write_state()
    status = "incomplete" if report.missing else "ready"
    print(f"validators {status} in {time.monotonic() - report.started:.1f} s", flush=True)
    return 1 if report.missing else 0


if __name__ == "__main__":
    sys.exit(main())
