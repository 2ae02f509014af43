"""Offline validators for generated output: ``terraform fmt``, ``terraform validate`` and checkov.

Everything runs on this machine with no network: ``tools/validators/setup.py`` prepares a cache folder
(``$ARCHGEN_TOOLS_CACHE``, else ``~/.cache/archgen-tools``) with Terraform CLI configs, schema-only stand-in
providers and checkov in its own virtual environment. When a tool or the cache is missing, each function raises
:class:`ValidatorUnavailableError` (an ``AssertionError``), so a test fails, never skips, and the message names the
command to run.

``terraform_validate`` has two modes:

* ``"real"``: the machine's real hashicorp/aws provider (5.100.0), the other providers from stand-ins;
* ``"schema"``: hashicorp/aws 6.x served by a stand-in from its published schema, likewise the others.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Mode = Literal["real", "schema"]

SETUP_COMMAND = ".venv/bin/python tools/validators/setup.py"
TERRAFORM_TIMEOUT = 300
CHECKOV_TIMEOUT = 600
# Files that a Terraform run leaves behind and that never belong to the generated output.
TERRAFORM_LEFTOVERS = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup")
# Environment variables that would change what Terraform does from outside the test.
TERRAFORM_ENV_DROPPED = ("TF_DATA_DIR", "TF_WORKSPACE", "TF_PLUGIN_CACHE_DIR", "TF_CLI_ARGS", "TF_LOG", "TF_LOG_PATH")

_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)
_PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"', re.MULTILINE)
_TERRAFORM_BLOCK = re.compile(r"^\s*terraform\s*\{", re.MULTILINE)
_REQUIRED_PROVIDERS = re.compile(r"^\s*required_providers\s*\{", re.MULTILINE)
_BACKEND_BLOCK = re.compile(r'^\s*backend\s+"', re.MULTILINE)


class ValidatorUnavailableError(AssertionError):
    """A validator cannot run: a tool or the set-up cache is missing."""


@dataclass(frozen=True)
class Failure:
    """One failed checkov check (or a file checkov could not parse: ``check_id == "PARSING_ERROR"``)."""

    check_id: str
    check_name: str
    resource: str
    file: str
    line: int
    framework: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.check_id} {self.resource}: {self.check_name}"


# -- the set-up cache ------------------------------------------------------------------------------------------------
def tools_cache() -> Path:
    """The folder ``tools/validators/setup.py`` fills."""
    env = os.environ.get("ARCHGEN_TOOLS_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "archgen-tools"


def _unavailable(what: str) -> ValidatorUnavailableError:
    return ValidatorUnavailableError(f"{what}; run `{SETUP_COMMAND}` (cache: {tools_cache()})")


def setup_state() -> dict[str, Any]:
    """What `tools/validators/setup.py` recorded (state.json); raises when it has not run."""
    path = tools_cache() / "state.json"
    if not path.is_file():
        raise _unavailable(f"the validators are not set up ({path} is missing)")
    state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return state


def _terraform() -> str:
    terraform = shutil.which("terraform")
    if terraform is None:
        raise ValidatorUnavailableError("terraform is not on PATH: install Terraform 1.11 or newer")
    return terraform


def _cli_config(mode: Mode) -> Path:
    if mode not in ("real", "schema"):
        raise ValueError(f"mode must be 'real' or 'schema', not {mode!r}")
    state = setup_state()
    config = tools_cache() / f"{mode}.tfrc"
    if not config.is_file():
        missing = "; ".join(state.get("missing", [])) or f"{config} is missing"
        raise _unavailable(f"terraform validate ({mode}) is not set up: {missing}")
    if mode == "real":
        mirror = Path(state.get("real_aws", {}).get("mirror", "/nonexistent"))
        if not mirror.is_dir():
            raise _unavailable(f"the real hashicorp/aws mirror {mirror} is gone (or set ARCHGEN_TF_MIRROR)")
    return config


def _terraform_env(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TERRAFORM_ENV_DROPPED and not k.startswith("TF_CLI_ARGS")}
    env.update(TF_CLI_CONFIG_FILE=str(config), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")
    return env


# -- terraform fmt ---------------------------------------------------------------------------------------------------
def terraform_fmt(directory: Path | str) -> list[str]:
    """Files under ``directory`` that ``terraform fmt`` would change, or the syntax errors it found; [] when clean."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory} is not a folder")
    cmd = [_terraform(), "fmt", "-check", "-recursive", "-list=true", "-no-color", str(directory)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=TERRAFORM_TIMEOUT)
    if proc.returncode == 0:
        return []
    if proc.returncode == 3:  # files need formatting: fmt lists them
        return [line.strip() for line in proc.stdout.splitlines() if line.strip()]
    return [line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip(" │╷╵")]


# -- terraform init + validate ---------------------------------------------------------------------------------------
def _local_module_dirs(root: Path) -> set[Path]:
    """The root and every local module it reaches through ``source = "./…"`` or ``"../…"``."""
    seen: set[Path] = set()
    todo = [root.resolve()]
    while todo:
        folder = todo.pop()
        if folder in seen or not folder.is_dir():
            continue
        seen.add(folder)
        for tf_file in folder.glob("*.tf"):
            for match in _LOCAL_SOURCE.finditer(tf_file.read_text(encoding="utf-8", errors="replace")):
                todo.append((folder / match.group(1)).resolve())
    return seen


def _format_diagnostic(diag: Mapping[str, Any]) -> str:
    where = ""
    rng = diag.get("range")
    if rng:
        where = f"{rng.get('filename', '?')}:{rng.get('start', {}).get('line', '?')}: "
    detail = " ".join(str(diag.get("detail", "")).split())
    return f"{where}{diag.get('summary', '')}" + (f": {detail}" if detail else "")


def _init_errors(proc: subprocess.CompletedProcess[str]) -> list[str]:
    errors = []
    for line in proc.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        diag = message.get("diagnostic") if isinstance(message, dict) else None
        if diag and diag.get("severity") == "error":
            errors.append("init: " + _format_diagnostic(diag))
    if proc.returncode != 0 and not errors:
        errors = [f"init: {line}" for line in (proc.stderr + proc.stdout).splitlines() if line.strip(" │╷╵")]
    return errors


def _run(terraform: str, args: list[str], workdir: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [terraform, *args], cwd=workdir, env=env, capture_output=True, text=True, check=False, timeout=TERRAFORM_TIMEOUT
    )


def terraform_validate(root_dir: Path | str, mode: Mode) -> list[str]:
    """``terraform init -backend=false`` + ``terraform validate`` on one root module; its errors, [] when valid.

    The root and the local modules it uses are copied to a temporary folder first, so no ``.terraform/`` or lock
    file lands in the output. Each error reads ``<file>:<line>: <summary>: <detail>`` (paths relative to the root);
    a failed init gives ``init: …`` lines.
    """
    root = Path(root_dir).resolve()
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder")
    env = _terraform_env(_cli_config(mode))
    terraform = _terraform()
    base = Path(os.path.commonpath(sorted(_local_module_dirs(root))))
    with tempfile.TemporaryDirectory(prefix=f"archgen-validate-{mode}-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(base, copy, symlinks=True, ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
        workdir = copy / root.relative_to(base)
        errors = _init_errors(_run(terraform, ["init", "-backend=false", "-input=false", "-json"], workdir, env))
        if errors:
            return errors
        proc = _run(terraform, ["validate", "-json", "-no-color"], workdir, env)
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        return [f"validate: {line}" for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
    errors = [_format_diagnostic(d) for d in result.get("diagnostics", []) if d.get("severity") == "error"]
    if proc.returncode != 0 and not errors:
        errors = [f"validate: exit {proc.returncode}: {proc.stderr.strip()}"]
    return errors


def find_roots(directory: Path | str) -> list[Path]:
    """Root modules under ``directory``: folders with a ``provider "…"`` block, or with a ``terraform {}`` block
    that has both ``required_providers`` and a backend (local modules have neither)."""
    directory = Path(directory)
    roots = []
    for folder in sorted({p.parent for p in directory.rglob("*.tf")}):
        if any(part in TERRAFORM_LEFTOVERS for part in folder.relative_to(directory).parts):
            continue
        text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.tf")))
        has_provider = bool(_PROVIDER_BLOCK.search(text))
        has_settings = all(r.search(text) for r in (_TERRAFORM_BLOCK, _REQUIRED_PROVIDERS, _BACKEND_BLOCK))
        if has_provider or has_settings:
            roots.append(folder)
    return roots


def terraform_validate_all(directory: Path | str, mode: Mode, jobs: int = 2) -> dict[str, list[str]]:
    """``terraform_validate`` on every root under ``directory`` (``jobs`` at a time): root (relative) -> errors."""
    directory = Path(directory)
    roots = find_roots(directory)
    if not roots:
        raise AssertionError(f"no Terraform root module under {directory}")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda root: terraform_validate(root, mode), roots)
        return {str(root.relative_to(directory)): errors for root, errors in zip(roots, results, strict=True)}


# -- checkov ---------------------------------------------------------------------------------------------------------
def _checkov_executable() -> Path:
    state = setup_state()
    executable = Path(state.get("checkov", {}).get("executable", tools_cache() / "checkov" / "bin" / "checkov"))
    if not executable.is_file():
        raise _unavailable(f"checkov is not installed ({executable} is missing)")
    return executable


def _failures(report: Mapping[str, Any]) -> Iterable[Failure]:
    framework = str(report.get("check_type", ""))
    results = report.get("results", {})
    for check in results.get("failed_checks", []):
        lines = check.get("file_line_range") or [0]
        yield Failure(
            check_id=check["check_id"],
            check_name=check.get("check_name", ""),
            resource=check.get("resource", ""),
            file=str(check.get("file_path", "")).lstrip("/"),
            line=int(lines[0]),
            framework=framework,
        )
    for path in results.get("parsing_errors", []):
        yield Failure("PARSING_ERROR", "checkov could not parse this file", "", str(path), 0, framework)


def checkov(directory: Path | str, frameworks: Sequence[str]) -> list[Failure]:
    """Run checkov offline on ``directory`` with the given frameworks (``terraform``, ``kubernetes``,
    ``cloudformation``, ...); the failed checks and unparsable files, [] when everything passed."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory} is not a folder")
    if not frameworks:
        raise ValueError("name at least one checkov framework")
    executable = _checkov_executable()
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CKV_SKIP_PACKAGE_UPDATE_CHECK="true")
    env.pop("BC_API_KEY", None)
    with tempfile.TemporaryDirectory(prefix="archgen-checkov-") as tmp:
        cmd = [str(executable), "--directory", str(directory), "--framework", *frameworks]
        cmd += ["--output", "json", "--output-file-path", tmp, "--skip-download"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=CHECKOV_TIMEOUT)
        result_file = Path(tmp) / "results_json.json"
        if proc.returncode not in (0, 1) or not result_file.is_file():
            raise AssertionError(f"checkov failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
        data = json.loads(result_file.read_text(encoding="utf-8"))
    reports = data if isinstance(data, list) else [data]
    return [failure for report in reports for failure in _failures(report)]
